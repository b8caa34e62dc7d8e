"""The layout's promises: pure domain modules load without Flask or SQLAlchemy, and the web
layer is the only one that knows about Flask."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bacstudy"

# Pure: no web framework and no database, even indirectly.
PURE_MODULES = [
    "bacstudy.errors",
    "bacstudy.study.scheduling",
    "bacstudy.quiz.generate",
    "bacstudy.progress.stats",
    "bacstudy.progress.charts",
    "bacstudy.decks.source",
    "bacstudy.decks.parse",
    "bacstudy.decks.faces",
    "bacstudy.decks.scene_svg",
]
FORBIDDEN = ("flask", "werkzeug", "sqlalchemy", "alembic")
# Besides web/: the app factory, the command line and the session-per-request glue.
WEB_GLUE = {"__init__.py", "cli.py", "db/session.py"}


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_neither_flask_nor_the_database(module: str) -> None:
    """Run in a fresh interpreter, so nothing another test imported can hide a dependency."""
    code = (
        f"import sys, {module}\n"
        f"loaded = sorted(name for name in {FORBIDDEN!r} if name in sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} loads {result.stderr.strip().splitlines()[-1]}"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_web_layer_the_cli_and_the_app_factory_import_flask() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "web" or str(relative) in WEB_GLUE:
            continue
        flask_imports = {
            name for name in _imported_modules(path) if name.split(".")[0].startswith("flask")
        }
        if flask_imports:
            offenders.append(f"{relative}: {sorted(flask_imports)}")
    assert not offenders


def test_no_domain_module_imports_the_web_layer() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "web"
        and str(path.relative_to(PACKAGE)) not in WEB_GLUE
        and any(name.startswith("bacstudy.web") for name in _imported_modules(path))
    ]
    assert not offenders
