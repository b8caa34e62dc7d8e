"""Anki packages (``.apkg``) of a deck, built with genanki.

Everything that identifies something in Anki is derived from bacstudy's stable
ids, so importing a newer export *updates* the notes it imported before:
note GUIDs come from (deck, note id), note-type and deck ids from fixed names.
Anki replaces a note only when the incoming one is newer, so every export
stamps its notes with the export time.

Media are SVG: the scene and, per symbol, the scene with that symbol
highlighted. Anki desktop, AnkiDroid and AnkiMobile all show card images
through a web view (Qt WebEngine, Android WebView, WKWebView), and all of them
render SVG in ``<img>``; a vector image stays sharp on a phone and a 4K screen
at a fraction of a PNG's size. The SVGs are self-contained (inline styles only,
no scripts or external references) and carry explicit width and height.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import genanki

from bacstudy.decks import scene_svg
from bacstudy.decks.source import Hotspot
from bacstudy.models import Deck, Note, Scene

_ID_LOW, _ID_HIGH = 1 << 30, 1 << 31  # the range genanki recommends for ids
IO_STOCK_KIND = 6  # Anki's ORIGINAL_STOCK_KIND_IMAGE_OCCLUSION


def stable_id(*parts: str) -> int:
    """A deterministic Anki id for a name: the same parts always give the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return _ID_LOW + int(digest[:15], 16) % (_ID_HIGH - _ID_LOW)


CSS = """
.card { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 20px;
  line-height: 1.45; text-align: center; color: #1d2327; background: #f7f7f4; padding: 0.5em; }
.prompt { font-size: 1.15em; margin: 0.4em 0 0.8em; }
.answer { font-size: 1.1em; }
.explanation { color: #5c6770; font-style: italic; font-size: 0.85em; margin-top: 0.6em; }
.disagree { text-align: left; border-left: 4px solid #d98c1f; background: #fbf0df;
  padding: 0.3em 0.6em; font-size: 0.8em; margin-top: 0.6em; }
.sources { text-align: left; font-size: 0.7em; color: #5c6770; margin-top: 0.6em; }
.sources ul { margin: 0.2em 0; padding-left: 1.2em; }
.mnemonic img, .scene img { max-width: 100%; height: auto; border-radius: 8px; }
.cloze { color: #2f6f5e; font-weight: bold; }
hr#answer { border: 0; border-top: 1px dashed #dde2e0; }
.nightMode .card, .night_mode .card, .card.nightMode, .card.night_mode {
  color: #e6e9eb; background: #15191c; }
.nightMode .explanation, .night_mode .explanation, .nightMode .sources, .night_mode .sources {
  color: #9aa6ae; }
.nightMode .disagree, .night_mode .disagree { background: #3a2c17; }
.nightMode .cloze, .night_mode .cloze { color: #6cc3a6; }
"""

_EXTRAS = (
    '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
    '{{#Mnemonic}}<div class="mnemonic">{{Mnemonic}}</div>{{/Mnemonic}}'
    '{{#Disagreement}}<div class="disagree"><b>Sources disagree:</b> {{Disagreement}}</div>'
    "{{/Disagreement}}"
    '{{#Sources}}<div class="sources">{{Sources}}</div>{{/Sources}}'
)

BASIC_MODEL = genanki.Model(
    stable_id("bacstudy", "model", "basic"),
    "bacstudy Basic (optional reversed)",
    fields=[
        {"name": name}
        for name in (
            "Front",
            "Back",
            "Explanation",
            "Sources",
            "Disagreement",
            "Mnemonic",
            "Add Reverse",
            "bacstudy id",
        )
    ],
    templates=[
        {
            "name": "Card 1",
            "qfmt": '<div class="prompt">{{Front}}</div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Back}}</div>' + _EXTRAS,
        },
        {
            "name": "Card 2 (reversed)",
            "qfmt": '{{#Add Reverse}}<div class="prompt">{{Back}}</div>{{/Add Reverse}}',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Front}}</div>' + _EXTRAS,
        },
    ],
    css=CSS,
)

CLOZE_MODEL = genanki.Model(
    stable_id("bacstudy", "model", "cloze"),
    "bacstudy Cloze",
    fields=[
        {"name": name}
        for name in ("Text", "Explanation", "Sources", "Disagreement", "Mnemonic", "bacstudy id")
    ],
    templates=[
        {
            "name": "Cloze",
            "qfmt": '<div class="prompt">{{cloze:Text}}</div>',
            "afmt": '<div class="prompt">{{cloze:Text}}</div>' + _EXTRAS,
        }
    ],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)

SYMBOL_MODEL = genanki.Model(
    stable_id("bacstudy", "model", "mnemonic-symbol"),
    "bacstudy Mnemonic symbol",
    fields=[{"name": name} for name in ("Label", "Meaning", "Scene", "Sources", "bacstudy id")],
    templates=[
        {
            "name": "What does this symbol stand for?",
            "qfmt": '<div class="prompt">What does the highlighted symbol stand for?</div>'
            '<div class="scene">{{Scene}}</div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="answer"><b>{{Label}}</b><br>'
            '{{Meaning}}</div><div class="sources">{{Sources}}</div>',
        },
        {
            "name": "Which symbol stands for it?",
            "qfmt": '<div class="prompt">Which symbol in the scene stands for: {{Meaning}}</div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="answer"><b>{{Label}}</b></div>'
            '<div class="scene">{{Scene}}</div><div class="sources">{{Sources}}</div>',
        },
    ],
    css=CSS,
)


class _ImageOcclusionModel(genanki.Model):
    """Anki's own Image Occlusion note type (Anki 23.10+), marked as the stock kind so that
    Anki reviews and edits it natively ("hide one, guess one")."""

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        data = super().to_json(timestamp, deck_id)
        data["originalStockKind"] = IO_STOCK_KIND
        return data


_IO_FRONT = (
    "{{#Header}}<div>{{Header}}</div>{{/Header}}\n"
    '<div style="display: none">{{cloze:Occlusion}}</div>\n<div id="err"></div>\n'
    '<div id="image-occlusion-container">\n    {{Image}}\n'
    '    <canvas id="image-occlusion-canvas"></canvas>\n</div>\n'
    "<script>\ntry {\n    anki.imageOcclusion.setup();\n} catch (exc) {\n"
    '    document.getElementById("err").innerHTML = `Error loading image occlusion. '
    "Is your Anki version up to date?<br><br>${exc}`;\n}\n</script>\n"
)
IMAGE_OCCLUSION_MODEL = _ImageOcclusionModel(
    stable_id("bacstudy", "model", "image-occlusion"),
    "bacstudy Image Occlusion",
    fields=[{"name": name} for name in ("Occlusion", "Image", "Header", "Back Extra", "Comments")],
    templates=[
        {
            "name": "Image Occlusion",
            "qfmt": _IO_FRONT,
            "afmt": _IO_FRONT + '\n<div><button id="toggle">Toggle Masks</button></div>\n'
            "{{#Back Extra}}<div>{{Back Extra}}</div>{{/Back Extra}}\n",
        }
    ],
    css=(
        "#image-occlusion-canvas { --inactive-shape-color: #ffeba2; "
        "--active-shape-color: #ff8e8e; --inactive-shape-border: 1px #212121; "
        "--active-shape-border: 1px #212121; --highlight-shape-color: #ff8e8e00; "
        "--highlight-shape-border: 1px #ff8e8e; }\n" + CSS
    ),
    model_type=genanki.Model.CLOZE,
)


@dataclass(frozen=True)
class ExportSummary:
    notes: int
    cards: int
    media: list[str]


def tag_for(deck_slug: str, tag: str) -> str:
    return f"bacstudy::{deck_slug}::{tag}"


def note_guid(deck_slug: str, note_slug: str) -> str:
    return genanki.guid_for("bacstudy", deck_slug, note_slug)


def media_name(deck_slug: str, scene_slug: str, symbol_slug: str | None = None) -> str:
    suffix = f"-{symbol_slug}" if symbol_slug else ""
    return f"bacstudy-{deck_slug}-{scene_slug}{suffix}.svg"


def _sized(svg: str, width: float, height: float) -> str:
    """Give the SVG root an explicit size, so every web view lays it out the same."""
    return re.sub(r"<svg\b", f'<svg width="{width:g}" height="{height:g}"', svg, count=1)


def _sources_html(note: Note) -> str:
    items = "".join(
        f"<li><i>{html.escape(source['title'])}</i> ({html.escape(source['document'])}) — "
        f"{html.escape(source['section'])}</li>"
        for source in note.sources
    )
    return f"<ul>{items}</ul>" if items else ""


def _image(name: str, alt: str) -> str:
    return f'<img src="{html.escape(name)}" alt="{html.escape(alt)}">'


def build_package(deck: Deck, media_dir: Path) -> tuple[genanki.Package, ExportSummary]:
    """The package for ``deck`` (its live notes and scenes); media files go in ``media_dir``."""
    anki_deck = genanki.Deck(
        stable_id("bacstudy", "deck", deck.slug),
        f"bacstudy::{deck.title}",
        description=html.escape(deck.description),
    )
    scenes = [scene for scene in deck.scenes if scene.retired_at is None]
    media = _write_media(deck.slug, scenes, media_dir)
    notes = [note for note in deck.notes if note.retired_at is None]
    cards = 0
    for note in notes:
        anki_note = _anki_note(deck.slug, note)
        anki_deck.add_note(anki_note)
        cards += sum(1 for card in note.cards if card.retired_at is None)
    for scene in scenes:
        symbols = [symbol for symbol in scene.symbols if symbol.retired_at is None]
        if symbols:
            anki_deck.add_note(_occlusion_note(deck.slug, scene, symbols))
            cards += len(symbols)
    package = genanki.Package(anki_deck, media_files=[str(media_dir / name) for name in media])
    return package, ExportSummary(notes=len(anki_deck.notes), cards=cards, media=media)


def _write_media(deck_slug: str, scenes: Iterable[Scene], media_dir: Path) -> list[str]:
    names = []
    for scene in scenes:
        plain = media_name(deck_slug, scene.slug)
        (media_dir / plain).write_text(
            _sized(scene.svg, scene.width, scene.height), encoding="utf-8"
        )
        names.append(plain)
        for symbol in scene.symbols:
            if symbol.retired_at is not None:
                continue
            name = media_name(deck_slug, scene.slug, symbol.slug)
            highlighted = scene_svg.highlight(scene.svg, symbol.slug)
            (media_dir / name).write_text(
                _sized(highlighted, scene.width, scene.height), encoding="utf-8"
            )
            names.append(name)
    return names


def _mnemonic(deck_slug: str, note: Note) -> str:
    if not note.symbols:
        return ""
    symbol = note.symbols[0]
    labels = ", ".join(s.label for s in note.symbols)
    return (
        _image(
            media_name(deck_slug, symbol.scene.slug, symbol.slug),
            f"Mnemonic scene with {symbol.label} highlighted",
        )
        + f"<div>Mnemonic: {html.escape(labels)}</div>"
    )


def _anki_note(deck_slug: str, note: Note) -> genanki.Note:
    tags = [tag_for(deck_slug, tag.name) for tag in note.tags]
    guid = note_guid(deck_slug, note.slug)
    common = {
        "Explanation": html.escape(note.explanation or ""),
        "Sources": _sources_html(note),
        "Disagreement": html.escape(note.disagreement or ""),
        "Mnemonic": _mnemonic(deck_slug, note),
    }
    if note.type == "cloze":
        fields = {"Text": html.escape(note.fields["text"]), **common, "bacstudy id": note.slug}
        model = CLOZE_MODEL
    elif note.type == "symbol":
        symbol = note.symbols[0]
        fields = {
            "Label": html.escape(note.fields["label"]),
            "Meaning": html.escape(note.fields["meaning"]),
            "Scene": _image(
                media_name(deck_slug, symbol.scene.slug, symbol.slug),
                "Mnemonic scene with one symbol highlighted",
            ),
            "Sources": common["Sources"],
            "bacstudy id": note.slug,
        }
        model = SYMBOL_MODEL
    else:
        fields = {
            "Front": html.escape(note.fields["front"]),
            "Back": html.escape(note.fields["back"]),
            **common,
            "Add Reverse": "y" if note.type == "reversed" else "",
            "bacstudy id": note.slug,
        }
        model = BASIC_MODEL
    ordered = [fields[field["name"]] for field in model.fields]
    return genanki.Note(model=model, fields=ordered, tags=tags, guid=guid)


def occlusion_field(scene: Scene, symbols: list) -> str:
    """One mask per symbol, in Anki's format: coordinates relative to the image size."""
    masks = []
    for ordinal, symbol in enumerate(symbols, start=1):
        left, top, right, bottom = _bounds(symbol.hotspot)
        masks.append(
            f"{{{{c{ordinal}::image-occlusion:rect:left={left / scene.width:.4f}"
            f":top={top / scene.height:.4f}:width={(right - left) / scene.width:.4f}"
            f":height={(bottom - top) / scene.height:.4f}:oi=1}}}}"
        )
    return "\n".join(masks)


def _bounds(hotspot: dict) -> tuple[float, float, float, float]:
    return Hotspot.from_json(hotspot).bounds()


def _occlusion_note(deck_slug: str, scene: Scene, symbols: list) -> genanki.Note:
    legend = "".join(f"<li>{html.escape(s.label)} — {html.escape(s.meaning)}</li>" for s in symbols)
    fields = [
        occlusion_field(scene, symbols),
        _image(media_name(deck_slug, scene.slug), scene.title),
        html.escape(scene.title),
        f"<ol>{legend}</ol>",
        "",
    ]
    return genanki.Note(
        model=IMAGE_OCCLUSION_MODEL,
        fields=fields,
        tags=[tag_for(deck_slug, "mnemonic")],
        guid=note_guid(deck_slug, f"occlusion:{scene.slug}"),
    )


def write_apkg(deck: Deck, path: Path, exported_at: datetime) -> ExportSummary:
    """Write the package to ``path`` atomically: a temporary file in the same folder, renamed.

    Raises OSError when the folder is missing or not writable; nothing is left behind then.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="bacstudy-media-") as media_dir:
        package, summary = build_package(deck, Path(media_dir))
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
        os.close(descriptor)
        try:
            package.write_to_file(temporary, timestamp=exported_at.timestamp())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return summary
