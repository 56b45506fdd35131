"""Charts drawn as inline SVG (generator/render/charts.py)."""

from __future__ import annotations

import re

from generator.render import charts


def test_ordered_categories_come_sorted_whatever_series_saw_them_first():
    svg = charts.bar_chart(
        "Credits", [("Japan", [("2020", 5), ("2023", 7)]), ("partner", [("2016", 1)])], ordered=True
    )
    assert re.findall(r"<tspan[^>]*>(\d{4})</tspan>", svg) == ["2016", "2020", "2023"]


def test_a_long_label_is_wrapped_under_its_bar_and_kept_whole_in_its_title():
    label = "1 Energy industries (renewable / non-renewable sources)"
    lines = charts.wrap_label(label, 162)
    assert lines == ["1 Energy industries", "(renewable / non-renewable", "sources)"]
    assert all(len(line) <= 162 / 6.2 for line in lines)
    assert charts.wrap_label("a " * 60, 40)[-1].endswith("…")
    assert len(charts.wrap_label("a " * 60, 40)) == 3
    svg = charts.bar_chart("Scopes", [("projects", [(label, 3), ("<b>x</b>", 1)])])
    assert f"<title>{label}</title>" in svg and "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>" not in svg
