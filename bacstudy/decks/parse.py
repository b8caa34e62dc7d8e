"""Read and strictly validate deck sources (``cards/<deck>/deck.yaml``).

Every problem in a deck is collected and reported together, each with file,
line and field, so an author fixes a file in one pass. Nothing is returned
unless the whole source is valid: callers never see half a deck.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bacstudy.decks.located_yaml import LocatedYaml, YamlPath, load_located
from bacstudy.decks.source import (
    NOTE_TYPES,
    DeckSource,
    Document,
    Hotspot,
    NoteSource,
    SceneSource,
    SourceRef,
    SymbolSource,
    cloze_numbers,
)
from bacstudy.errors import DeckError, DeckInvalid

DECK_FILE = "deck.yaml"
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HOTSPOT_ARITY = {"rect": 4, "circle": 3}

DECK_KEYS = ({"id", "title", "documents", "notes"}, {"description", "scenes"})
DOCUMENT_KEYS = ({"id", "file", "title"}, set[str]())
SCENE_KEYS = ({"id", "title", "image", "symbols"}, set[str]())
SYMBOL_KEYS = ({"id", "label", "meaning", "hotspot"}, {"ours"})
SOURCE_KEYS = ({"document", "section"}, set[str]())
NOTE_COMMON_OPTIONAL = {"explanation", "disagreement", "wrong_answers", "symbols"}
NOTE_KEYS = {
    "basic": ({"id", "type", "front", "back", "tags", "sources"}, NOTE_COMMON_OPTIONAL),
    "reversed": ({"id", "type", "front", "back", "tags", "sources"}, NOTE_COMMON_OPTIONAL),
    "cloze": ({"id", "type", "text", "tags", "sources"}, NOTE_COMMON_OPTIONAL),
}


@dataclass(frozen=True)
class _SvgImage:
    text: str
    width: float
    height: float
    group_ids: frozenset[str]


def format_path(path: YamlPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def load_decks(root: Path) -> list[DeckSource]:
    """Load every deck under ``root``: a folder of deck folders, one deck folder, or a deck file."""
    root = Path(root)
    if root.is_file():
        return [load_deck(root.parent)]
    if (root / DECK_FILE).is_file():
        return [load_deck(root)]
    if not root.is_dir():
        raise DeckInvalid([DeckError(root, 0, "", "no such deck folder")])
    decks: list[DeckSource] = []
    errors: list[DeckError] = []
    seen: dict[str, Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name[0] not in "._"):
        try:
            deck = load_deck(folder)
        except DeckInvalid as invalid:
            errors.extend(invalid.errors)
            continue
        if deck.id in seen:
            errors.append(
                DeckError(
                    deck.source_file,
                    1,
                    "id",
                    f"deck id {deck.id!r} is also used by {seen[deck.id]}",
                )
            )
        seen[deck.id] = deck.source_file
        decks.append(deck)
    if errors:
        raise DeckInvalid(errors)
    return decks


def load_deck(folder: Path) -> DeckSource:
    source_file = Path(folder) / DECK_FILE
    try:
        text = source_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DeckInvalid([DeckError(source_file, 0, "", f"cannot read: {error}")]) from error
    checker = _DeckChecker(source_file, load_located(text))
    deck = checker.deck()
    if checker.errors:
        raise DeckInvalid(sorted(checker.errors, key=lambda e: e.line))
    assert deck is not None
    return deck


class _DeckChecker:
    """Walks the loaded YAML once, building the dataclasses and collecting every error."""

    def __init__(self, source_file: Path, located: LocatedYaml):
        self.file = source_file
        self.folder = source_file.parent
        self.located = located
        self.errors = [
            DeckError(source_file, line, format_path(path), message)
            for line, path, message in located.problems
        ]

    def error(self, path: YamlPath, message: str) -> None:
        self.errors.append(
            DeckError(self.file, self.located.line_of(path), format_path(path), message)
        )

    # -- generic shapes ------------------------------------------------------

    def mapping(
        self, value: Any, path: YamlPath, keys: tuple[set[str], set[str]]
    ) -> dict[str, Any] | None:
        required, optional = keys
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping with keys {sorted(required)}")
            return None
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(sorted(required | optional))
                self.error((*path, key), f"unknown key {key!r} (allowed: {allowed})")
        for key in sorted(required - value.keys()):
            self.error((*path, key), "missing required field")
        return value

    def items(self, value: Any, path: YamlPath, *, allow_empty: bool = False) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return []
        if not value and not allow_empty:
            self.error(path, "must not be empty")
        return value

    def entries(
        self,
        value: Any,
        path: YamlPath,
        keys: tuple[set[str], set[str]],
        *,
        allow_empty: bool = False,
    ) -> Iterator[tuple[YamlPath, dict[str, Any]]]:
        """The well-formed mappings of a list, each with its path; the others become errors."""
        for i, raw in enumerate(self.items(value, path, allow_empty=allow_empty)):
            entry = self.mapping(raw, (*path, i), keys)
            if entry is not None:
                yield (*path, i), entry

    def text(self, mapping: dict[str, Any], key: str, path: YamlPath) -> str | None:
        if key not in mapping:
            return None
        value = mapping[key]
        if not isinstance(value, str) or not value.strip():
            self.error((*path, key), "expected non-empty text")
            return None
        return value.strip()

    def slug(self, mapping: dict[str, Any], key: str, path: YamlPath) -> str | None:
        value = self.text(mapping, key, path)
        if value is not None and not SLUG_PATTERN.match(value):
            self.error((*path, key), f"{value!r} must be lowercase letters, digits and dashes")
            return None
        return value

    def unique(
        self, seen: dict[str, YamlPath], value: str | None, path: YamlPath, what: str
    ) -> None:
        if value is None:
            return
        if value in seen:
            first = self.located.line_of(seen[value])
            self.error(path, f"duplicate {what} {value!r} (first at line {first})")
        else:
            seen[value] = path

    # -- the deck --------------------------------------------------------------

    def deck(self) -> DeckSource | None:
        if self.located.value is None and self.errors:
            return None
        top = self.mapping(self.located.value, (), DECK_KEYS)
        if top is None:
            return None
        deck_id = self.slug(top, "id", ())
        title = self.text(top, "title", ())
        description = self.text(top, "description", ()) or ""
        documents = self.documents(top.get("documents"))
        scenes = self.scenes(top.get("scenes"))
        symbol_ids = {symbol.id for scene in scenes for symbol in scene.symbols}
        notes = self.notes(top.get("notes"), {d.id for d in documents}, symbol_ids)
        if self.errors or deck_id is None or title is None:
            return None
        return DeckSource(
            id=deck_id,
            title=title,
            description=description,
            folder=self.folder,
            documents=tuple(documents),
            scenes=tuple(scenes),
            notes=tuple(notes),
            source_file=self.file,
        )

    def documents(self, value: Any) -> list[Document]:
        documents: list[Document] = []
        seen: dict[str, YamlPath] = {}
        for path, entry in self.entries(value, ("documents",), DOCUMENT_KEYS):
            doc_id = self.slug(entry, "id", path)
            self.unique(seen, doc_id, (*path, "id"), "document id")
            file, title = self.text(entry, "file", path), self.text(entry, "title", path)
            if doc_id and file and title:
                documents.append(Document(id=doc_id, file=file, title=title))
        return documents

    def scenes(self, value: Any) -> list[SceneSource]:
        scenes: list[SceneSource] = []
        scene_ids: dict[str, YamlPath] = {}
        symbol_ids: dict[str, YamlPath] = {}
        for path, entry in self.entries(value, ("scenes",), SCENE_KEYS, allow_empty=True):
            scene_id = self.slug(entry, "id", path)
            self.unique(scene_ids, scene_id, (*path, "id"), "scene id")
            title = self.text(entry, "title", path)
            image = self.text(entry, "image", path)
            svg = self.svg(image, (*path, "image")) if image else None
            symbols = []
            for j, raw_symbol in enumerate(self.items(entry.get("symbols"), (*path, "symbols"))):
                symbol = self.symbol(raw_symbol, (*path, "symbols", j), svg)
                if symbol is not None:
                    self.unique(symbol_ids, symbol.id, (*path, "symbols", j, "id"), "symbol id")
                    symbols.append(symbol)
            if scene_id and title and image and svg:
                scenes.append(
                    SceneSource(
                        id=scene_id,
                        title=title,
                        image=image,
                        width=svg.width,
                        height=svg.height,
                        symbols=tuple(symbols),
                        svg=svg.text,
                    )
                )
        return scenes

    def svg(self, image: str, path: YamlPath) -> _SvgImage | None:
        """Read a scene image: its text, its size from the viewBox, and the ids of its groups."""
        file = (self.folder / image).resolve()
        if not file.is_relative_to(self.folder.resolve()):
            self.error(path, f"{image!r} is outside the deck folder")
            return None
        if file.suffix != ".svg":
            self.error(path, f"{image!r}: scenes must be SVG images")
            return None
        if not file.is_file():
            self.error(path, f"image file {image!r} does not exist")
            return None
        try:
            text = file.read_text(encoding="utf-8")
            root = ElementTree.fromstring(text)
        except (ElementTree.ParseError, UnicodeDecodeError) as error:
            self.error(path, f"{image!r} is not valid SVG: {error}")
            return None
        try:
            min_x, min_y, width, height = (
                float(v) for v in root.get("viewBox", "").replace(",", " ").split()
            )
        except ValueError:
            self.error(path, f"{image!r} needs a viewBox of four numbers")
            return None
        if (min_x, min_y) != (0, 0) or width <= 0 or height <= 0:
            self.error(path, f"{image!r}: the viewBox must start at 0 0 and have a positive size")
            return None
        groups = {el.get("id", "") for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "g"}
        return _SvgImage(text=text, width=width, height=height, group_ids=frozenset(groups))

    def symbol(self, raw: Any, path: YamlPath, svg: _SvgImage | None) -> SymbolSource | None:
        entry = self.mapping(raw, path, SYMBOL_KEYS)
        if entry is None:
            return None
        symbol_id = self.slug(entry, "id", path)
        label = self.text(entry, "label", path)
        meaning = self.text(entry, "meaning", path)
        ours = entry.get("ours", False)
        if not isinstance(ours, bool):
            self.error((*path, "ours"), "expected true or false")
        if symbol_id and svg and symbol_id not in svg.group_ids:
            self.error((*path, "id"), f'the scene image has no <g id="{symbol_id}"> group')
        size = (svg.width, svg.height) if svg else None
        hotspot = self.hotspot(entry.get("hotspot"), (*path, "hotspot"), size)
        if symbol_id and label and meaning and hotspot:
            return SymbolSource(
                id=symbol_id, label=label, meaning=meaning, hotspot=hotspot, ours=bool(ours)
            )
        return None

    def hotspot(self, raw: Any, path: YamlPath, size: tuple[float, float] | None) -> Hotspot | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or len(raw) != 1:
            self.error(path, "expected exactly one of rect, circle or polygon")
            return None
        ((shape, coords),) = raw.items()
        path = (*path, shape)
        if shape not in ("rect", "circle", "polygon"):
            self.error(path, f"unknown hotspot shape {shape!r} (rect, circle or polygon)")
            return None
        numeric = isinstance(coords, list) and all(
            isinstance(c, int | float) and not isinstance(c, bool) for c in coords
        )
        expected = HOTSPOT_ARITY.get(shape)
        if (
            not numeric
            or (expected and len(coords) != expected)
            or (shape == "polygon" and (len(coords) < 6 or len(coords) % 2))
        ):
            needs = {
                "rect": "[x, y, width, height]",
                "circle": "[cx, cy, r]",
                "polygon": "[x1, y1, x2, y2, x3, y3, …]",
            }[shape]
            self.error(path, f"expected {needs}")
            return None
        hotspot = Hotspot(shape=shape, coords=tuple(float(c) for c in coords))
        left, top, right, bottom = hotspot.bounds()
        if size and (
            left < 0
            or top < 0
            or right > size[0]
            or bottom > size[1]
            or right <= left
            or bottom <= top
        ):
            self.error(
                path,
                f"hotspot {list(coords)} is empty or outside the {size[0]:g}x{size[1]:g} scene",
            )
            return None
        return hotspot

    def notes(self, value: Any, document_ids: set[str], symbol_ids: set[str]) -> list[NoteSource]:
        notes: list[NoteSource] = []
        seen_ids: dict[str, YamlPath] = {}
        seen_fronts: dict[str, YamlPath] = {}
        for i, raw in enumerate(self.items(value, ("notes",))):
            path: YamlPath = ("notes", i)
            note_type = raw.get("type") if isinstance(raw, dict) else "basic"
            if note_type not in NOTE_TYPES:
                self.error((*path, "type"), f"expected one of {', '.join(NOTE_TYPES)}")
                continue
            entry = self.mapping(raw, path, NOTE_KEYS[note_type])
            if entry is None:
                continue
            note = self.note(entry, path, note_type, document_ids, symbol_ids)
            if note is None:
                continue
            self.unique(seen_ids, note.id, (*path, "id"), "note id")
            front = note.fields.get("front", note.fields.get("text", ""))
            self.unique(seen_fronts, " ".join(front.lower().split()), (*path, "front"), "front")
            notes.append(note)
        return notes

    def note(
        self,
        entry: dict[str, Any],
        path: YamlPath,
        note_type: str,
        document_ids: set[str],
        symbol_ids: set[str],
    ) -> NoteSource | None:
        errors_before = len(self.errors)
        note_id = self.slug(entry, "id", path)
        field_names = ("text",) if note_type == "cloze" else ("front", "back")
        fields = {name: self.text(entry, name, path) for name in field_names}
        if note_type == "cloze" and fields["text"] and not cloze_numbers(fields["text"]):
            self.error((*path, "text"), "a cloze note needs at least one {{c1::…}} deletion")
        tags = self.text_list(entry, "tags", path, slug=True)
        sources = []
        for j, raw_source in enumerate(self.items(entry.get("sources"), (*path, "sources"))):
            source_path = (*path, "sources", j)
            source = self.mapping(raw_source, source_path, SOURCE_KEYS)
            if source is None:
                continue
            document, section = (
                self.text(source, "document", source_path),
                self.text(source, "section", source_path),
            )
            if document and document not in document_ids:
                self.error((*source_path, "document"), f"unknown document {document!r}")
            elif document and section:
                sources.append(SourceRef(document=document, section=section))
        symbols = self.text_list(entry, "symbols", path, slug=True, required=False)
        for j, symbol in enumerate(symbols):
            if symbol not in symbol_ids:
                self.error((*path, "symbols", j), f"unknown symbol {symbol!r}")
        wrong_answers = self.text_list(entry, "wrong_answers", path, required=False)
        explanation = self.text(entry, "explanation", path)
        disagreement = self.text(entry, "disagreement", path)
        if len(self.errors) > errors_before or note_id is None:
            return None
        return NoteSource(
            id=note_id,
            type=note_type,
            fields={k: v for k, v in fields.items() if v},
            tags=tuple(tags),
            sources=tuple(sources),
            explanation=explanation,
            disagreement=disagreement,
            wrong_answers=tuple(wrong_answers),
            symbols=tuple(symbols),
        )

    def text_list(
        self,
        entry: dict[str, Any],
        key: str,
        path: YamlPath,
        *,
        slug: bool = False,
        required: bool = True,
    ) -> list[str]:
        if key not in entry:
            return []
        values = []
        for j, item in enumerate(self.items(entry[key], (*path, key), allow_empty=not required)):
            if not isinstance(item, str) or not item.strip():
                self.error((*path, key, j), "expected non-empty text")
            elif slug and not SLUG_PATTERN.match(item):
                self.error(
                    (*path, key, j), f"{item!r} must be lowercase letters, digits and dashes"
                )
            else:
                values.append(item.strip())
        if len(set(values)) != len(values):
            self.error((*path, key), "contains the same entry twice")
        return values
