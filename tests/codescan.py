"""Static scans of the project's own source, shared by the guard tests (R9, R11) and the
no-Qt-in-the-core test."""

from __future__ import annotations

import ast


def imported_modules(tree: ast.AST) -> set[str]:
    """Dotted names of every absolute import at any depth (lazy ones included), the names a
    ``from x import y`` brings in as ``x.y``, and literal importlib.import_module / __import__."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.add(first.value)
    return found
