"""Deck sources: the parsed model, the strict loader, and the sync into the database."""

from bacstudy.decks.model import Deck, Document, Hotspot, Note, Scene, SourceRef, Symbol
from bacstudy.decks.parse import DeckError, DeckInvalid, load_deck, load_decks

__all__ = [
    "Deck",
    "DeckError",
    "DeckInvalid",
    "Document",
    "Hotspot",
    "Note",
    "Scene",
    "SourceRef",
    "Symbol",
    "load_deck",
    "load_decks",
]
