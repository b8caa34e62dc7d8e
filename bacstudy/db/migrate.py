"""Schema migrations through Alembic, driven from Python rather than an ini file.

The migration scripts live inside the package (``bacstudy/migrations``) so a
wheel carries them; everything that creates, upgrades or checks the schema
goes through the three functions here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def outdated_message(self) -> str:
        """What to tell whoever meets a database behind the code: the state and the fix."""
        current = self.current or "empty (no tables yet)"
        return (
            f"The database is not at the schema this version needs: it is {current}, "
            f"the code expects revision {self.head}. Run `bacstudy init` to create or "
            "upgrade it (your data is kept)."
        )


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine) -> None:
    """Create the schema, or bring it to the newest revision."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_status(engine: Engine) -> SchemaStatus:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migration scripts found"
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return SchemaStatus(current=current, head=head)


def new_revision(engine: Engine, message: str) -> Path:
    """Autogenerate a migration from the difference between the models and ``engine``'s schema.

    Revision ids are sequence numbers (0001, 0002, …) so the history reads in order.
    """
    config = _config()
    scripts = ScriptDirectory.from_config(config)
    next_id = f"{len(list(scripts.walk_revisions())) + 1:04d}"
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        script = command.revision(config, message=message, autogenerate=True, rev_id=next_id)
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
