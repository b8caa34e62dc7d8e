"""Alembic environment: runs on the connection bacstudy hands over (see bacstudy.db.migrate)."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from bacstudy import models  # noqa: F401  (registers the tables on Base.metadata)
from bacstudy.db.base import Base, UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write UTCDateTime as its plain column type, so old migrations never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
