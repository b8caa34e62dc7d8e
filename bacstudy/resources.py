"""Locate the top-level ``templates/``, ``static/`` and ``cards/`` folders.

A wheel carries them inside the package (``bacstudy/_bundled/``, see
pyproject.toml); an editable install or a plain checkout has them beside the
package. One lookup serves both so nothing else needs to know how it was
installed.
"""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` from the wheel bundle or, failing that, the checkout."""
    bundled = _PACKAGE_DIR / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / name
