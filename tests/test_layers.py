"""The package layering of docs/architecture (core at the bottom, the CLI on top) holds for every import,
function-level imports included: no module imports a package of a higher layer, and the packages form no cycle."""

import ast
import pathlib
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "minikctl"

# Lowest first. policy sits under api because the admission plugins (api/admission/) are its clients.
LAYERS = [("core", "errors", "env"), ("store",), ("cluster",), ("policy",), ("api",),
          ("controllers", "network", "metrics", "auth"), ("printers",), ("bootstrap",), ("cli", "__main__"),
          ("serve",)]
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


def _module_name(path: pathlib.Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(path: pathlib.Path):
    """(line, imported minikctl module) for every import statement in the file, at any depth."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            if target == ["minikctl"]:
                for alias in node.names:
                    yield node.lineno, ["minikctl", alias.name]
            else:
                yield node.lineno, target


def _package_edges():
    """(importer package, imported package) -> first 'file:line' seen."""
    edges = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent == PACKAGE and path.name == "__init__.py":
            continue
        source = _module_name(path)[1]
        for line, target in _imported(path):
            if target[0] == "minikctl" and len(target) > 1 and target[1] != source:
                edges.setdefault((source, target[1]), f"{path.relative_to(PACKAGE.parent)}:{line}")
    return edges


def test_every_package_has_a_layer():
    packages = {_module_name(path)[1] for path in PACKAGE.rglob("*.py") if len(_module_name(path)) > 1}
    assert packages - RANK.keys() == set()


def test_no_import_points_up():
    upward = sorted(f"{where}: {source} imports {target}" for (source, target), where in _package_edges().items()
                    if RANK[target] > RANK[source])
    assert upward == []


def test_packages_form_no_cycle():
    graph = {}
    for source, target in _package_edges():
        graph.setdefault(source, set()).add(target)

    def reaches(start, goal, seen):
        return any(nxt == goal or (nxt not in seen and not seen.add(nxt) and reaches(nxt, goal, seen))
                   for nxt in graph.get(start, ()))

    cycles = sorted(package for package in graph if reaches(package, package, set()))
    assert cycles == []


@pytest.mark.parametrize("source, target", [("core", "api"), ("cluster", "controllers")])
def test_the_check_sees_function_level_imports(tmp_path, monkeypatch, source, target):
    """A function-level import is caught too (the cycle the issue found hid behind them)."""
    module = tmp_path / "minikctl" / source / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(f"def f():\n    from minikctl.{target} import x\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "minikctl")
    assert _package_edges() == {(source, target): f"minikctl/{source}/probe.py:2"}
