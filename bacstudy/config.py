"""Configuration from environment variables, with defaults that are safe to run as they are.

| variable                 | default                                        |
|--------------------------|------------------------------------------------|
| BACSTUDY_DATABASE_URL    | sqlite:///<instance>/bacstudy.sqlite3          |
| BACSTUDY_INSTANCE_PATH   | Flask's instance folder for the package        |
| BACSTUDY_SECRET_KEY      | generated once into <instance>/secret_key      |
| BACSTUDY_DECKS_PATH      | the ``cards/`` folder shipped with bacstudy    |
| BACSTUDY_SECURE_COOKIES  | off; "1" sends cookies over HTTPS only         |

``create_app(config)`` takes the same keys without the prefix; what it is
given wins over the environment, which is how tests configure an app.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "BACSTUDY_"
SETTINGS = ("DATABASE_URL", "INSTANCE_PATH", "SECRET_KEY", "DECKS_PATH", "SECURE_COOKIES")
SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "bacstudy.sqlite3"


def settings_from(environ: Mapping[str, str], overrides: Mapping[str, Any] | None) -> dict:
    """Merge ``BACSTUDY_*`` variables and explicit overrides; unset values are left out."""
    settings: dict[str, Any] = {
        name: environ[ENV_PREFIX + name] for name in SETTINGS if environ.get(ENV_PREFIX + name)
    }
    settings.update(overrides or {})
    return settings


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / DATABASE_FILE}"


def load_or_create_secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, creating it (mode 0600) on first use.

    Creation is exclusive, so two processes starting together agree on one key.
    """
    key_file = instance_path / SECRET_KEY_FILE
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = key_file.read_text(encoding="ascii").strip()
        if not key:
            raise RuntimeError(f"{key_file} is empty; delete it to generate a new key") from None
        return key
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def is_on(value: object) -> bool:
    """An environment-style switch: 1, true, yes or on (any case) mean on."""
    return str(value).strip().lower() in ("1", "true", "yes", "on")
