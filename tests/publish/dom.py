"""Pages as normalised DOM: elements, their attributes and their text, whitespace aside."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"br", "img", "input", "meta", "link", "hr", "col", "area", "base", "source", "wbr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = ["#document", {}, []]
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        attributes = {k: ("" if v is None or v == k else v) for k, v in attrs}
        if "class" in attributes:
            attributes["class"] = " ".join(attributes["class"].split())
        node = [tag, attributes, []]
        self.stack[-1][2].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1][2].append(data)

    def handle_comment(self, data):
        pass


def normalised(html: str) -> list[str]:
    """One line per element (tag and sorted attributes) and per run of text, indented by
    depth; runs of whitespace count as one space, whitespace-only text as none."""
    parser = _Tree()
    parser.feed(html)
    parser.close()
    lines: list[str] = []

    def walk(node: list, depth: int) -> None:
        tag, attributes, children = node
        attrs = "".join(f' {k}="{v}"' for k, v in sorted(attributes.items()))
        lines.append("  " * depth + f"<{tag}{attrs}>")
        text = ""
        for child in [*children, None]:
            if isinstance(child, str):
                text += child
                continue
            if shown := re.sub(r"\s+", " ", text).strip():
                lines.append("  " * (depth + 1) + shown)
            text = ""
            if child is not None:
                walk(child, depth + 1)

    walk(parser.root, 0)
    return lines
