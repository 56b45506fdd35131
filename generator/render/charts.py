"""Charts as inline SVG, drawn at build time: no script, no network, readable as text.

Every label is escaped; every chart carries a title and a description for screen readers and
a table of its numbers beside it on the page.
"""

from __future__ import annotations

from html import escape

PALETTE = ("#00695c", "#3949ab", "#8d6e63", "#6a1b9a", "#c62828", "#2e7d32", "#ef6c00")


def bar_chart(
    title: str,
    series: list[tuple[str, list[tuple[str, int]]]],
    unit: str = "",
    ordered: bool = False,
) -> str:
    """A stacked bar chart: categories on the x axis, one colour per series.

    Categories come in the order first seen, or sorted (`ordered`, e.g. years: a year only one
    series has would otherwise land after the others)."""
    categories: list[str] = []
    for _, points in series:
        for label, _ in points:
            if label not in categories:
                categories.append(label)
    if ordered:
        categories.sort()
    if not categories:
        return f"<p>{escape(title)}: no data recorded.</p>"
    totals = {c: 0 for c in categories}
    for _, points in series:
        for label, value in points:
            totals[label] += value
    top = max(totals.values()) or 1
    width, height, left, bottom, top_pad = 720, 300, 56, 56, 24
    plot_h = height - bottom - top_pad
    step = (width - left - 16) / len(categories)
    bar = max(4.0, step * 0.7)
    parts = [
        f'<svg class="jcm-chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="t-{_id(title)} d-{_id(title)}">',
        f'<title id="t-{_id(title)}">{escape(title)}</title>',
        f'<desc id="d-{_id(title)}">{escape(_describe(series, unit))}</desc>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 8}" y2="{top_pad + plot_h}" '
        'stroke="currentColor" stroke-width="1"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" font-size="11">{top:,}</text>',
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, category in enumerate(categories):
        x = left + i * step + (step - bar) / 2
        y = top_pad + plot_h
        for s, (name, points) in enumerate(series):
            value = dict(points).get(category, 0)
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(name)}, {escape(category)}: '
                f"{value:,}{escape(unit)}</title></rect>"
            )
        lines = "".join(
            f'<tspan x="{x + bar / 2:.1f}" dy="{0 if n == 0 else 12}">{escape(line)}</tspan>'
            for n, line in enumerate(wrap_label(category, step))
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
            f'font-size="11"><title>{escape(category)}</title>{lines}</text>'
        )
    legend_x = left
    for s, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{legend_x}" y="{height - 18}" width="10" height="10" '
            f'fill="{PALETTE[s % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{legend_x + 14}" y="{height - 9}" font-size="11">{escape(name)}</text>'
        )
        legend_x += 18 + 7 * len(name)
    parts.append("</svg>")
    return f'<figure class="jcm-figure-chart" markdown="0">{"".join(parts)}</figure>'


def wrap_label(label: str, room: float, lines: int = 3) -> list[str]:
    """A category label broken into lines that fit under its bar (about 6 px a character at
    11 px), at most `lines` of them, the last shortened with an ellipsis."""
    per_line = max(4, int(room / 6.2))
    out: list[str] = []
    for word in label.split():
        if out and len(out[-1]) + 1 + len(word) <= per_line:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: per_line - 1].rstrip() + "…"
    return [line if len(line) <= per_line else line[: per_line - 1] + "…" for line in out]


def _id(title: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]


def _describe(series: list[tuple[str, list[tuple[str, int]]]], unit: str) -> str:
    return "; ".join(
        f"{name}: " + ", ".join(f"{label} {value:,}{unit}" for label, value in points)
        for name, points in series
        if points
    )
