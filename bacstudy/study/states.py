"""Reading and writing one student's card state, guarded by its version.

Every change to a card state (an answer, an undo, a quiz miss brought forward)
goes through :func:`write_state`, which applies only while the row is still at
the version the change was prepared against: a racing request or a second tab
is refused instead of overwriting, and a double click counts once.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bacstudy.models import CardState
from bacstudy.study.scheduling import MemoryState


def read_state(session: Session, user_id: int, card_id: int) -> CardState | None:
    """The stored state, read fresh: states are changed by guarded UPDATEs, not the ORM."""
    return session.get(CardState, (user_id, card_id), populate_existing=True)


def write_state(
    session: Session, user_id: int, card_id: int, expected_version: int, memory: MemoryState
) -> bool:
    """Store ``memory`` if the row is still at ``expected_version`` (0: none stored yet).

    Returns False, changing nothing, when another request got there first.
    """
    values = CardState.columns_of(memory)
    if expected_version == 0:
        try:
            with session.begin_nested():
                session.add(CardState(user_id=user_id, card_id=card_id, version=1, **values))
        except IntegrityError:
            return False
        return True
    updated = session.execute(
        update(CardState)
        .where(
            CardState.user_id == user_id,
            CardState.card_id == card_id,
            CardState.version == expected_version,
        )
        .values(version=CardState.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return updated.rowcount == 1  # type: ignore[attr-defined]
