"""Which module imports which (docs/architecture.md shows the page cache's layout):
no import circles anywhere in the project, and the page cache imports no app."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = {
    "accounts",
    "assignments",
    "awards",
    "blog",
    "comments",
    "imports",
    "notifications",
    "references",
}


def project_modules():
    modules = {}
    for package in ROOT.iterdir():
        if package.name == "tests" or not (package / "__init__.py").exists():
            continue
        for path in package.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def imports_of(modules):
    """{module: the project modules it imports}, at the top or inside functions."""

    def project_module(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(project_module(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{base}" if base else package
                found.update(project_module(f"{base}.{alias.name}") for alias in node.names)
        found.discard(None)
        found.discard(name)
        graph[name] = found
    return graph


def circles(graph):
    """The groups of modules that import each other, directly or round a circle."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while module not in group:
                group.add(stack.pop())
            on_stack.difference_update(group)
            if len(group) > 1:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups


def test_no_module_imports_itself_round_a_circle():
    assert circles(imports_of(project_modules())) == []


def test_the_page_cache_imports_no_app():
    graph = imports_of(project_modules())
    page_cache = {m: deps for m, deps in graph.items() if m.split(".")[0] == "pagecache"}
    assert page_cache, "the pagecache package moved"
    for module, deps in page_cache.items():
        assert not {dep.split(".")[0] for dep in deps} & APPS, module


def test_the_circle_finder_finds_circles():
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
