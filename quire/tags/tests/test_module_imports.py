"""The tags app's modules import one another without a cycle, counting the imports made inside
functions too: a cycle hidden in a function body is still a cycle (the module it reaches back
into may be half-initialised when a task worker or a migration imports it first)."""

import ast
from pathlib import Path

import quire.tags

PACKAGE = Path(quire.tags.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("quire", "tags", *parts))


def _imports(path: Path, name: str) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {
        _module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    }
    return {
        name: {other for other in _imports(path, name) if other in modules and other != name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_tags_modules_import_each_other_without_a_cycle():
    assert _cycle(_graph()) is None


def test_the_rebuild_task_sits_beside_the_job_it_runs():
    graph = _graph()
    assert "quire.tags.filters" in graph["quire.tags.tasks"]
    assert "quire.tags.tasks" not in graph["quire.tags.filters"]


def test_uncategorized_fandoms_sits_beside_the_fixed_tags():
    from quire.tags import fixed

    assert fixed.UNCATEGORIZED_FANDOMS == "Uncategorized Fandoms"
