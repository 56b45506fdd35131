"""The generator uses its libraries through their public APIs only, and never forks.

Read from the syntax tree of every module of `generator/`: no import of a private name (`_x`)
from mkdocs, Markdown, pymdownx, jinja2, material, openpyxl or pagefind; no access to an
attribute `_x` that the generator does not define itself (it can only be a library's); no
`getattr`/`setattr`/`hasattr`/`delattr` of a private name, no `setattr` on a library's object; no function assigned to an
attribute of a library object; no `fork`, no process pools, no shared memory. **Why:** a
private name may change in any release, and an upgrade (security fixes included) must not mean
re-reading the generator against the libraries' insides. Documented extension points
(`env.filters[...]`, plugin events, template overrides) are public.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
LIBRARIES = ("mkdocs", "markdown", "pymdownx", "jinja2", "material", "openpyxl", "pagefind")

ALLOWED: dict[str, str] = {}
"""`file:line` → the library documentation that makes the use there public. Empty: none."""

FORKING = {
    ("os", "fork"),
    ("os", "forkpty"),
    ("os", "register_at_fork"),
    ("multiprocessing", None),
    ("mmap", None),
    ("concurrent.futures", "ProcessPoolExecutor"),
}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _library(module: str) -> bool:
    return module.split(".")[0] in LIBRARIES


def own_private_names(sources: dict[str, ast.AST]) -> set[str]:
    """The private names the generator defines: functions, classes, attributes it assigns,
    slots, module constants and keyword arguments."""
    names: set[str] = set()
    for tree in sources.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.isidentifier()  # __slots__ entries
            ):
                names.add(node.value)
    return {n for n in names if _private(n)}


def violations(sources: dict[str, ast.AST]) -> list[str]:
    own = own_private_names(sources)
    found: list[str] = []
    for path, tree in sorted(sources.items()):
        library_names: set[str] = set()
        function_names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}

        def report(node: ast.AST, what: str, path: str = path) -> None:
            found.append(f"{path}:{node.lineno}: {what}")

        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    module = alias.name
                    if _library(module):
                        library_names.add((alias.asname or module).split(".")[0])
                        if any(_private(part) for part in module.split(".")):
                            report(node, f"imports the private module {module}")
                    for mod, name in FORKING:
                        if name is None and module.split(".")[0] == mod:
                            report(
                                node, f"imports {module} (no forked processes, no shared memory)"
                            )
            elif isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                for alias in node.names:
                    if _library(module):
                        library_names.add(alias.asname or alias.name)
                        if _private(alias.name) or any(_private(p) for p in module.split(".")):
                            report(node, f"imports the private name {module}.{alias.name}")
                    if (module, alias.name) in FORKING or (module.split(".")[0], None) in FORKING:
                        report(node, f"imports {module}.{alias.name} (no forked processes)")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                root = node
                while isinstance(root, ast.Attribute):
                    root = root.value
                rooted = isinstance(root, ast.Name) and root.id in library_names
                if _private(node.attr) and (rooted or node.attr not in own):
                    report(node, f"uses the private attribute {node.attr}")
                if isinstance(node.value, ast.Name) and (node.value.id, node.attr) in FORKING:
                    report(node, f"calls {node.value.id}.{node.attr} (no forked processes)")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("getattr", "setattr", "hasattr", "delattr") and node.args[1:]:
                    name, target = node.args[1], node.args[0]
                    if isinstance(name, ast.Constant) and _private(str(name.value)):
                        report(node, f"{node.func.id} of the private name {name.value}")
                    root = target
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    if node.func.id == "setattr" and (
                        isinstance(root, ast.Name) and root.id in library_names
                    ):
                        report(node, f"setattr on {ast.unparse(target)}, a library object")
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if not isinstance(target, ast.Attribute):
                        continue
                    root = target
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    value = node.value
                    is_function = isinstance(value, ast.Lambda) or (
                        isinstance(value, ast.Name) and value.id in function_names
                    )
                    if isinstance(root, ast.Name) and root.id in library_names:
                        report(node, f"assigns to {ast.unparse(target)}, a library's attribute")
                    elif is_function and not (
                        isinstance(root, ast.Name) and root.id in ("self", "cls")
                    ):
                        report(node, f"assigns a function to {ast.unparse(target)}")
    return [v for v in found if ":".join(v.split(":", 2)[:2]) not in ALLOWED]


def sources_of(folder: Path) -> dict[str, ast.AST]:
    return {
        path.relative_to(folder.parent).as_posix(): ast.parse(path.read_text("utf-8"), str(path))
        for path in sorted(folder.rglob("*.py"))
    }


def test_the_generator_uses_public_apis_only_and_never_forks():
    assert violations(sources_of(PACKAGE)) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from mkdocs.commands.build import _build_page", "private name"),
        ("from mkdocs.structure.pages import _RelativePathTreeprocessor", "private name"),
        ("import material\nmaterial._x", "private attribute _x"),
        ("def f(page):\n    return page._cache", "private attribute _cache"),
        ("def f(config):\n    return getattr(config, '_current_page')", "getattr of the private"),
        ("import jinja2\nsetattr(jinja2.Environment, 'x', 1)", "a library object"),
        ("import jinja2\ndef load(x): pass\njinja2.Environment.get_template = load", "library"),
        ("def f(env):\n    env.get_template = lambda name: None", "assigns a function"),
        ("import os\nos.fork()", "no forked processes"),
        ("import mmap", "shared memory"),
        ("from multiprocessing import Pool", "no forked processes"),
    ],
)
def test_a_violation_is_found_with_its_file_and_line(code, expected):
    found = violations({"generator/x.py": ast.parse(code)})
    assert found and expected in found[0] and found[0].startswith("generator/x.py:")


def test_public_uses_pass():
    code = (
        "import jinja2\nfrom mkdocs.config import load_config\n"
        "class A:\n    def __init__(self):\n        self._own = 1\n"
        "    def f(self, env):\n        env.filters['t'] = str\n        return self._own\n"
    )
    assert violations({"generator/x.py": ast.parse(code)}) == []


def test_an_allowed_use_is_named_by_its_file_and_line(monkeypatch):
    import tests.test_public_apis as this

    code = {"generator/x.py": ast.parse("import os\nos.fork()")}
    assert violations(code)
    monkeypatch.setattr(this, "ALLOWED", {"generator/x.py:2": "a documented reason"})
    assert violations(code) == []
