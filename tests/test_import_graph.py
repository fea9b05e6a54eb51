"""The package's modules import one another in one direction: no import circle inside ``dashboard/``.

The graph is drawn from each module's source with ``ast``. Two graphs are checked:

- every import, wherever it stands: at module level, inside a function (the deliberate lazy
  imports: a worker child importing what only it needs, a page runner imported when a page runs)
  and under ``if TYPE_CHECKING:``. A lazy import does not fail at load time, but it still ties the
  two modules together: each needs the other. Both circles this project has had were closed by
  one (``data.dataset`` ↔ ``data.frames``; the shell and the room view), so leaving lazy imports
  out would pass over exactly the circles this test is for. The circles known today are listed
  below, each by its modules: a new circle fails, and so does a known one that grows or is gone.
- the imports a module runs when it is loaded (module level, also under ``if``/``try``/``with``
  and in class bodies; not in functions, not for the type checker): no circle at all, ever. A
  circle there is an ImportError or a half-initialised module depending on which is imported first.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "dashboard"

# Each circle known today (its modules), to be removed by the change that turns it around: none.
KNOWN_CIRCLES: set[frozenset[str]] = set()


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def every_import(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in the module, wherever it stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def load_time_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements a module runs when loaded: not in a function, not for the type checker only."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                stack.extend(node.body)
            stack.extend(node.orelse)
        elif isinstance(node, ast.Try | ast.TryStar):
            stack.extend([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                stack.extend(handler.body)
        elif isinstance(node, ast.With):
            stack.extend(node.body)
        elif isinstance(node, ast.ClassDef):
            stack.extend(node.body)  # a class body runs at load time too


def import_graph(root: Path, package: str, lazy: bool = True) -> dict[str, set[str]]:
    """Module → the package's modules it imports (with ``lazy``, also inside functions and for type checking)."""
    modules = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    statements = every_import if lazy else load_time_imports
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in statements(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                base = here[: len(here) - node.level + 1] if node.level else []
                stem = ".".join([*base, *([node.module] if node.module else [])])
                # ``from a.b import c``: c is a module of its own, or a name in a.b (then a.b is the import)
                candidates = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem for a in node.names]
            for target in candidates:
                while target and target not in modules:  # a name inside a module: that module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The modules of each circle: every strongly connected group of two or more (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.add(frozenset(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def describe(graph: dict[str, set[str]], groups: set[frozenset[str]]) -> str:
    """Each circle's imports, one module a line: what a reader needs to find the arrow to turn."""
    lines = []
    for group in sorted(groups, key=sorted):
        lines += [f"  {m} → {', '.join(sorted(graph[m] & group))}" for m in sorted(group)] + [""]
    return "\n".join(lines)


def test_the_package_has_no_import_circle_but_the_known_ones() -> None:
    graph = import_graph(REPO, PACKAGE)
    found = circles(graph)
    assert not found - KNOWN_CIRCLES, "import circle(s) not known before:\n" + describe(graph, found - KNOWN_CIRCLES)
    assert not KNOWN_CIRCLES - found, f"gone (or changed): take them out of KNOWN_CIRCLES: {KNOWN_CIRCLES - found}"


def test_no_module_imports_itself_back_at_load_time() -> None:
    graph = import_graph(REPO, PACKAGE, lazy=False)
    found = circles(graph)
    assert not found, "import circle(s) at load time:\n" + describe(graph, found)


def test_the_data_layer_imports_no_layer_above_it() -> None:
    for name, targets in import_graph(REPO, PACKAGE).items():
        if name.startswith("dashboard.data"):
            above = {t for t in targets if not t.startswith("dashboard.data")}
            assert not above, f"{name} imports {sorted(above)}"


def test_dataset_and_frames_depend_one_way() -> None:
    graph = import_graph(REPO, PACKAGE)
    assert "dashboard.data.dataset" in graph["dashboard.data.frames"]
    assert "dashboard.data.frames" not in graph["dashboard.data.dataset"]


# -- the checker itself, on small made-up packages ---------------------------------------------------
def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


AB = frozenset({"p.a", "p.b"})


@pytest.mark.parametrize(
    ("files", "every", "at_load"),
    [
        pytest.param(
            {"p/__init__.py": "", "p/a.py": "from p import b\nimport os\n", "p/b.py": "import p.c\n", "p/c.py": ""},
            set(),
            set(),
            id="a line, and imports from outside the package",
        ),
        pytest.param(
            {"p/__init__.py": "", "p/a.py": "from p.b import x\n", "p/b.py": "from .a import y\n"},
            {AB},
            {AB},
            id="two modules, absolute one way and relative the other",
        ),
        pytest.param(
            {
                "p/__init__.py": "",
                "p/a.py": "import p.b\n",
                "p/b.py": "from p import c\n",
                "p/c.py": "from . import a\n",
            },
            {frozenset({"p.a", "p.b", "p.c"})},
            {frozenset({"p.a", "p.b", "p.c"})},
            id="three modules",
        ),
        pytest.param(
            {"p/__init__.py": "", "p/a.py": "from p.b import x\n", "p/b.py": "def f():\n    from p.a import y\n"},
            {AB},
            set(),
            id="closed by a lazy import inside a function",
        ),
        pytest.param(
            {
                "p/__init__.py": "",
                "p/a.py": "from p.b import x\n",
                "p/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.a import y\n",
            },
            {AB},
            set(),
            id="closed by an import for the type checker only",
        ),
        pytest.param(
            {
                "p/__init__.py": "",
                "p/a.py": "try:\n    from p.b import x\nexcept ImportError:\n    pass\n",
                "p/b.py": "if True:\n    import p.a.thing\n",
            },
            {AB},
            {AB},
            id="under try and if, and a name inside a module",
        ),
        pytest.param(
            {
                "p/__init__.py": "",
                "p/q/__init__.py": "from p.q import a\n",
                "p/q/a.py": "from p.q import b\n",
                "p/q/b.py": "from .. import q\n",
            },
            {frozenset({"p.q", "p.q.a", "p.q.b"})},
            {frozenset({"p.q", "p.q.a", "p.q.b"})},
            id="through a package's __init__",
        ),
    ],
)
def test_the_checker_finds_circles_in_small_packages(
    tmp_path: Path, files: dict[str, str], every: set, at_load: set
) -> None:
    root = write(tmp_path, files)
    assert circles(import_graph(root, "p")) == every
    assert circles(import_graph(root, "p", lazy=False)) == at_load
