"""Exports of decks to other tools: ``anki`` writes an Anki package."""
