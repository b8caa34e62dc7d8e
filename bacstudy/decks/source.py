"""The parsed form of a deck source: plain frozen dataclasses, no I/O, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NOTE_TYPES = ("basic", "reversed", "cloze")
SYMBOL_NOTE_TYPE = "symbol"
# Generated symbol notes use "symbol:<id>"; authored ids cannot contain ":".
SYMBOL_NOTE_PREFIX = "symbol:"

# {{c1::answer}} or {{c1::answer::hint}}
CLOZE_PATTERN = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.+?))?\}\}", re.DOTALL)


def cloze_numbers(text: str) -> list[int]:
    """The distinct deletion numbers in a cloze text, ascending."""
    return sorted({int(match.group(1)) for match in CLOZE_PATTERN.finditer(text)})


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    title: str


@dataclass(frozen=True)
class SourceRef:
    document: str  # a Document.id of the same deck
    section: str


@dataclass(frozen=True)
class Hotspot:
    """A clickable region in scene coordinates.

    ``rect``: x, y, width, height; ``circle``: cx, cy, r; ``polygon``: x1, y1, x2, y2, …
    """

    shape: str
    coords: tuple[float, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Hotspot:
        """From the ``{"shape", "coords"}`` form the database stores."""
        return cls(shape=data["shape"], coords=tuple(data["coords"]))

    def to_json(self) -> dict[str, Any]:
        return {"shape": self.shape, "coords": list(self.coords)}

    def bounds(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y)."""
        if self.shape == "rect":
            x, y, width, height = self.coords
            return x, y, x + width, y + height
        if self.shape == "circle":
            cx, cy, r = self.coords
            return cx - r, cy - r, cx + r, cy + r
        xs, ys = self.coords[0::2], self.coords[1::2]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class SymbolSource:
    id: str
    label: str
    meaning: str
    hotspot: Hotspot
    ours: bool = False


@dataclass(frozen=True)
class SceneSource:
    id: str
    title: str
    image: str  # relative to the deck folder
    width: float
    height: float
    symbols: tuple[SymbolSource, ...]
    svg: str = field(default="", repr=False)  # the image itself, stored with the deck


@dataclass(frozen=True)
class NoteSource:
    id: str
    type: str
    fields: dict[str, str]
    tags: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    explanation: str | None = None
    disagreement: str | None = None
    wrong_answers: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()

    def card_templates(self) -> list[tuple[str, int]]:
        """(template, ordinal) of every card this note yields."""
        if self.type == "basic":
            return [("basic", 0)]
        if self.type == "reversed":
            return [("basic", 0), ("reversed", 0)]
        if self.type == "cloze":
            return [("cloze", number) for number in cloze_numbers(self.fields["text"])]
        if self.type == SYMBOL_NOTE_TYPE:
            return [("symbol-meaning", 0), ("symbol-pick", 0)]
        raise ValueError(f"unknown note type {self.type!r}")


@dataclass(frozen=True)
class DeckSource:
    id: str
    title: str
    description: str
    folder: Path
    documents: tuple[Document, ...]
    scenes: tuple[SceneSource, ...]
    notes: tuple[NoteSource, ...]
    source_file: Path = field(compare=False, default=Path("deck.yaml"))

    def all_notes(self) -> list[NoteSource]:
        """Authored notes, then one generated note per scene symbol (its mnemonic cards)."""
        return list(self.notes) + [
            symbol_note(self, symbol) for scene in self.scenes for symbol in scene.symbols
        ]


def symbol_note(deck: DeckSource, symbol: SymbolSource) -> NoteSource:
    """The note behind a symbol's two mnemonic cards.

    It inherits the sources and tags of the notes the symbol encodes, so the
    mnemonic cards are cited and studied with the facts they stand for.
    """
    encoded = [note for note in deck.notes if symbol.id in note.symbols]
    sources = tuple(dict.fromkeys(ref for note in encoded for ref in note.sources))
    tags = tuple(dict.fromkeys(("mnemonic", *(tag for note in encoded for tag in note.tags))))
    return NoteSource(
        id=SYMBOL_NOTE_PREFIX + symbol.id,
        type=SYMBOL_NOTE_TYPE,
        fields={"label": symbol.label, "meaning": symbol.meaning},
        tags=tags,
        sources=sources,
        symbols=(symbol.id,),
    )
