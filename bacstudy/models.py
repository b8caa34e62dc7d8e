"""Typed ORM models: the only place that knows the table layout.

Content tables (decks, scenes, symbols, notes, cards) mirror the deck sources
and are keyed by the sources' stable ids (``slug``) so a re-sync updates rows
in place. Rows are *retired* rather than deleted so that user progress, which
points at cards, is never lost. Per-user tables (card states, review logs)
reference users with ``ON DELETE CASCADE`` so deleting an account removes
everything of it.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from bacstudy.db.base import Base, UTCDateTime
from bacstudy.study.scheduling import MemoryState, StudySettings

MEMORY_FIELDS = tuple(field.name for field in fields(MemoryState))


class OwnedByUser:
    """A row of one student's: deleting the account deletes it (ON DELETE CASCADE)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class DeckContent:
    """Columns of every content row in deck order: its id, its place, and when it retired.

    Rows are retired rather than deleted so the progress that points at them is kept.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class User(Base):
    """An account and its study settings (defaults as in ``scheduling.StudySettings``)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9, server_default="0.9")
    learning_steps: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1, 10])
    relearning_steps: Mapped[list[int]] = mapped_column(JSON, default=lambda: [10])
    maximum_interval_days: Mapped[int] = mapped_column(
        Integer, default=36500, server_default="36500"
    )
    new_per_day: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200, server_default="200")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")

    @property
    def study_settings(self) -> StudySettings:
        return StudySettings(
            desired_retention=self.desired_retention,
            learning_steps_minutes=tuple(self.learning_steps),
            relearning_steps_minutes=tuple(self.relearning_steps),
            maximum_interval_days=self.maximum_interval_days,
            new_per_day=self.new_per_day,
            reviews_per_day=self.reviews_per_day,
            timezone=self.timezone,
        )


class LoginFailure(Base):
    """A failed login, kept for a while to slow down password guessing per username."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginSession(OwnedByUser, Base):
    """A signed-in browser. The cookie holds only this random id, new at every login,
    so a login never reuses an earlier id and logging out revokes it on the server."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class InDeck(DeckContent):
    """Content that belongs directly to a deck, named in it by a stable slug."""

    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:
        return (UniqueConstraint("deck_id", "slug"),)


class Deck(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # [{"id", "file", "title"}] as in the deck source; notes cite these.
    documents: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime)

    scenes: Mapped[list[Scene]] = relationship(back_populates="deck", order_by="Scene.position")
    notes: Mapped[list[Note]] = relationship(back_populates="deck", order_by="Note.position")


class Scene(InDeck, Base):
    """A mnemonic picture; its symbols are hotspots that link to notes."""

    __tablename__ = "scenes"

    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    # Path relative to the deck folder, e.g. "images/scene.svg".
    image: Mapped[str] = mapped_column(String(300))
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    # The SVG itself: stored with the deck so a sync swaps it atomically and the app
    # serves it without knowing where the deck sources live.
    svg: Mapped[str] = mapped_column(Text, deferred=True)  # ~100 kB: loaded only when used

    deck: Mapped[Deck] = relationship(back_populates="scenes")
    symbols: Mapped[list[Symbol]] = relationship(back_populates="scene", order_by="Symbol.position")


note_symbols = Table(
    "note_symbols",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id"), primary_key=True),
    Column("symbol_id", ForeignKey("symbols.id"), primary_key=True),
)

note_tags = Table(
    "note_tags",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True, index=True),
)


class Symbol(DeckContent, Base):
    """A drawn symbol of a scene: what it shows, what it stands for, where to click it."""

    __tablename__ = "symbols"
    __table_args__ = (UniqueConstraint("scene_id", "slug"),)

    scene_id: Mapped[int] = mapped_column(ForeignKey("scenes.id"))
    label: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(Text)
    slug: Mapped[str] = mapped_column(String(100))
    # {"shape": "rect" | "circle" | "polygon", "coords": [...]} in scene units.
    hotspot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # True for symbols bacstudy added, not taken from the source mnemonic.
    ours: Mapped[bool] = mapped_column(Boolean, default=False)

    scene: Mapped[Scene] = relationship(back_populates="symbols")
    notes: Mapped[list[Note]] = relationship(secondary=note_symbols, back_populates="symbols")


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Note(InDeck, Base):
    """One fact from the sources; it yields one or more cards."""

    __tablename__ = "notes"

    # "basic", "reversed", "cloze" or "symbol" (generated from a scene symbol).
    type: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(150))
    # "front"/"back" or "text", depending on the type.
    fields: Mapped[dict[str, str]] = mapped_column(JSON)
    # [{"document": file name, "title": document title, "section": heading}]
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    explanation: Mapped[str | None] = mapped_column(Text)
    disagreement: Mapped[str | None] = mapped_column(Text)
    wrong_answers: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    deck: Mapped[Deck] = relationship(back_populates="notes")
    tags: Mapped[list[Tag]] = relationship(secondary=note_tags, order_by="Tag.name")
    symbols: Mapped[list[Symbol]] = relationship(secondary=note_symbols, back_populates="notes")
    cards: Mapped[list[Card]] = relationship(back_populates="note", order_by="Card.id")


class Card(Base):
    """One reviewable prompt of a note: a template, and the deletion number for cloze."""

    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("note_id", "template", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id"))
    # "basic", "reversed", "cloze", "symbol-meaning" or "symbol-pick".
    template: Mapped[str] = mapped_column(String(30))
    # The cloze deletion number; 0 for every other template.
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    note: Mapped[Note] = relationship(back_populates="cards")


class CardState(Base):
    """A user's FSRS memory state for one card: every field of ``fsrs.Card``."""

    __tablename__ = "card_states"
    __table_args__ = (Index("ix_card_states_user_due", "user_id", "due"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    # fsrs.State: 1 learning, 2 review, 3 relearning.
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every answer and undo: an answer prepared against an older version
    # (another tab, a retried request) is refused instead of applied twice.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # The one mapping between a stored row and the scheduler's MemoryState.
    # (its columns are named as MemoryState's fields).
    @property
    def memory(self) -> MemoryState:
        return MemoryState(**{name: getattr(self, name) for name in MEMORY_FIELDS})

    @staticmethod
    def columns_of(memory: MemoryState) -> dict[str, Any]:
        """The column values that store ``memory``."""
        return {name: getattr(memory, name) for name in MEMORY_FIELDS}


class CardFlags(Base):
    """A student's suspend and bury marks on a card, kept apart from its FSRS state."""

    __tablename__ = "card_flags"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Presentation(OwnedByUser, Base):
    """A card as shown to a student, with the intervals its buttons promised.

    Answers refer to it by its random token; it can be answered once.
    """

    __tablename__ = "presentations"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # {"1": seconds, …, "4": seconds}: the fuzzed interval of each rating.
    intervals: Mapped[dict[str, float]] = mapped_column(JSON)
    # The card state's version when shown; 0 for a card never studied.
    state_version: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PersonalNote(Base):
    """A student's own note or mnemonic on a card; keyed by card id, so deck edits keep it."""

    __tablename__ = "personal_notes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewLog(Base):
    """One answer, with the full state before and after, so it can be undone or replayed."""

    __tablename__ = "review_logs"
    __table_args__ = (Index("ix_review_logs_user_reviewed_at", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy.
    rating: Mapped[int] = mapped_column(Integer)
    # What the card was when answered: "new", "learning", "review" or "relearning"
    # (daily limits count new cards and reviews by it, as Anki's revlog type does).
    kind: Mapped[str] = mapped_column(String(12))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    # fsrs.Card.to_dict() without the card id; None before a card's first review.
    state_before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state_after: Mapped[dict[str, Any]] = mapped_column(JSON)


class Quiz(OwnedByUser, Base):
    """One quiz attempt: its settings (a seed makes it reproducible) and its questions."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"))
    # "tutor" (feedback after each answer) or "exam" (feedback at the end).
    mode: Mapped[str] = mapped_column(String(10))
    seed: Mapped[int] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    requested_count: Mapped[int] = mapped_column(Integer)
    time_limit_seconds: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set on a quiz that retests the questions missed in another.
    retest_of_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id"))

    deck: Mapped[Deck] = relationship()
    questions: Mapped[list[QuizQuestion]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position", cascade="all, delete-orphan"
    )


class QuizQuestion(Base):
    """A generated question as asked (a snapshot: deck edits do not change a quiz in progress)."""

    __tablename__ = "quiz_questions"
    __table_args__ = (UniqueConstraint("quiz_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    type: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    # [{"id": "a", "text": "…"}]; empty for hotspot questions.
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    correct: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(100))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id"))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    symbol_slug: Mapped[str | None] = mapped_column(String(100))
    scene_slug: Mapped[str | None] = mapped_column(String(100))
    explanation: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    answer: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_correct: Mapped[bool | None] = mapped_column(Boolean)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


class QueueAction(OwnedByUser, Base):
    """An explicit change to a student's queue outside answering (quiz misses brought forward)."""

    __tablename__ = "queue_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    action: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
