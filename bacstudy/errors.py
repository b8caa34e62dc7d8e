"""Every error the domain raises, each with the HTTP status that fits it.

Domain code raises these without knowing about the web; the web layer turns
any :class:`DomainError` into a page or JSON answer with ``status`` and
``message``, after rolling the request back, so a refused action changes
nothing. The CLI prints ``message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path


class DomainError(Exception):
    """A request the rules refuse; ``message`` says why in words a student understands."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """Absent, or not the asking student's: another student's things do not exist for them."""

    status = 404


class InvalidInput(DomainError):
    """A value outside what the rules accept."""

    status = 400


class Conflict(DomainError):
    """Allowed in general, but not in the present state (already answered, changed meanwhile)."""

    status = 409


# Studying
class AlreadyAnswered(Conflict):
    pass


class CardChanged(Conflict):
    pass


class NothingToUndo(Conflict):
    pass


# Quizzes
class QuizRefused(Conflict):
    """An answer or action the quiz rules do not allow; nothing is changed."""


class InvalidQuizInput(InvalidInput):
    """An answer or a setting outside what the quiz offers."""


# Accounts
class AccountError(InvalidInput):
    """A request to create or change an account that cannot be honoured."""


class TooManyAttempts(AccountError):
    status = 429

    def __init__(self, retry_after: timedelta):
        minutes = max(1, round(retry_after.total_seconds() / 60))
        super().__init__(f"too many failed logins; try again in {minutes} minute(s)")
        self.retry_after = retry_after


# Files students or authors hand in: every problem is found and listed, nothing is applied.
class ProgressImportError(InvalidInput):
    """A progress file that cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class DeckError:
    """One problem in a deck source, with its place."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class DeckInvalid(InvalidInput):
    """Raised with every error found; the deck (or set of decks) must not be loaded."""

    def __init__(self, errors: list[DeckError]):
        super().__init__(f"{len(errors)} error(s) in deck sources")
        self.errors = errors
