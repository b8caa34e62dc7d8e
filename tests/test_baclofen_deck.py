"""The shipped baclofen deck: valid, cited to real sections, covered, and its scene drawn."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from bacstudy.decks.parse import load_deck
from bacstudy.decks.source import DeckSource
from bacstudy.resources import resource_dir
from tests.conftest import SEEDS, screenshot_path, skip_or_fail

DECK_DIR = resource_dir("cards") / "baclofen"
OPENING = "Opening paragraph"  # the untitled text at the top of a document


@pytest.fixture(scope="module")
def deck() -> DeckSource:
    return load_deck(DECK_DIR)


def headings(document: Path) -> set[str]:
    """Every line of a seed document as a possible heading, without bullets or a closing colon."""
    lines = document.read_text(encoding="utf-8").splitlines()
    return {line.strip().lstrip("- ").rstrip(":").strip() for line in lines if line.strip()}


def test_deck_is_valid_and_large(deck: DeckSource) -> None:
    assert len(deck.notes) > 100
    assert {tag for note in deck.notes for tag in note.tags} >= {
        "mechanism",
        "indications",
        "dosing",
        "adverse-effects",
        "withdrawal",
        "contraindications",
        "interactions",
        "pregnancy",
        "guidelines",
        "alternatives",
        "epidemiology",
        "history",
        "off-label",
        "intrathecal",
        "pediatrics",
        "neuropsychiatric",
    }


def test_every_citation_names_a_real_document_and_section(deck: DeckSource) -> None:
    if not SEEDS.is_dir():
        skip_or_fail(f"source documents not found at {SEEDS}; citations not checked")
    files = {document.id: SEEDS / document.file for document in deck.documents}
    for document_id, file in files.items():
        assert file.is_file(), f"document {document_id}: {file} does not exist"
    known = {document_id: headings(file) for document_id, file in files.items()}
    missing = [
        f"{note.id}: {ref.document} has no section {ref.section!r}"
        for note in deck.notes
        for ref in note.sources
        if ref.section != OPENING and ref.section not in known[ref.document]
    ]
    assert not missing, "\n".join(missing)


def test_no_two_notes_share_a_front(deck: DeckSource) -> None:
    fronts = defaultdict(list)
    for note in deck.all_notes():
        front = note.fields.get("front") or note.fields.get("text") or note.fields["label"]
        fronts[" ".join(front.lower().split())].append(note.id)
    assert not [ids for ids in fronts.values() if len(ids) > 1]


@pytest.mark.parametrize(
    ("note_id", "documents"),
    [
        ("dose-adult-maximum", {"overview", "uses-dosage"}),
        ("indication-cerebral-origin", {"uses-dosage", "pixorize", "overview"}),
        ("mechanism-site-of-action", {"overview", "pixorize", "used-for"}),
        ("contra-epilepsy", {"uses-dosage", "overview"}),
    ],
)
def test_disagreements_are_stated_and_cite_each_side(
    deck: DeckSource, note_id: str, documents: set[str]
) -> None:
    note = next(note for note in deck.notes if note.id == note_id)
    assert note.disagreement, f"{note_id} does not say the sources disagree"
    assert documents <= {ref.document for ref in note.sources}
    assert "sources-disagree" in note.tags


def test_every_disagreement_cites_at_least_two_documents(deck: DeckSource) -> None:
    for note in deck.notes:
        if note.disagreement:
            assert len({ref.document for ref in note.sources}) >= 2, note.id


def test_every_symbol_has_an_in_bounds_hotspot_and_notes(deck: DeckSource) -> None:
    (scene,) = deck.scenes
    linked = {symbol for note in deck.notes for symbol in note.symbols}
    for symbol in scene.symbols:
        left, top, right, bottom = symbol.hotspot.bounds()
        assert 0 <= left < right <= scene.width and 0 <= top < bottom <= scene.height
        assert symbol.id in linked, f"symbol {symbol.id} encodes no note"


def test_the_source_mnemonic_symbols_are_all_drawn(deck: DeckSource) -> None:
    (scene,) = deck.scenes
    labels = {symbol.label for symbol in scene.symbols if not symbol.ours}
    assert labels == {
        "GABA-goose",
        "(B) Bee",
        "Receptor Dragonist",
        "Spina Cord",
        "Spinal Cord Injured",
        "Spast-tick",
        "Multiple Skull-roses",
        "Tri-gem Nerve-algae",
        "Nerve-psychic with Symptoms",
        "Tape dispenser with gradual amounts of pills",
    }


def coverage_table() -> dict[tuple[str, str], list[str]]:
    """(document file, section) -> note ids, from the rows of COVERAGE.md."""
    rows: dict[tuple[str, str], list[str]] = {}
    for line in (DECK_DIR / "COVERAGE.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].endswith(".txt"):
            rows[(cells[0], cells[1])] = re.findall(r"`([^`]+)`", cells[2])
    return rows


def test_coverage_table_matches_the_deck(deck: DeckSource) -> None:
    table = coverage_table()
    files = {document.id: document.file for document in deck.documents}
    cited = {
        (files[ref.document], ref.section): set() for note in deck.notes for ref in note.sources
    }
    for note in deck.notes:
        for ref in note.sources:
            cited[(files[ref.document], ref.section)].add(note.id)
    assert set(table) == set(cited), "COVERAGE.md rows differ from the cited sections"
    for key, note_ids in table.items():
        assert set(note_ids) == cited[key], f"COVERAGE.md row {key} lists other notes"
    assert {file for file, _ in table} == set(files.values())


@pytest.mark.browser
@pytest.mark.parametrize("width", [800, 375])
def test_scene_renders_every_symbol(browser, deck: DeckSource, width: int) -> None:
    (scene,) = deck.scenes
    svg = (DECK_DIR / scene.image).read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_content(f'<body style="margin:0"><div style="width:100%">{svg}</div></body>')
    page.locator("svg").first.evaluate(
        "svg => { svg.style.width = '100%'; svg.style.height = 'auto'; }"
    )
    for symbol in scene.symbols:
        group = page.locator(f"svg > g#{symbol.id}")
        assert group.count() == 1, symbol.id
        box = group.bounding_box()
        assert box is not None and box["width"] > 5 and box["height"] > 5, symbol.id
        title = group.locator(":scope > title").first.text_content()
        assert title == symbol.label, (symbol.id, title)
        bbox = group.evaluate(
            "g => { const b = g.getBBox(); return [b.x, b.y, b.width, b.height]; }"
        )
        left, top, right, bottom = symbol.hotspot.bounds()
        centre_x, centre_y = bbox[0] + bbox[2] / 2, bbox[1] + bbox[3] / 2
        assert left <= centre_x <= right and top <= centre_y <= bottom, (
            f"{symbol.id}: hotspot {symbol.hotspot.coords} misses the drawing {bbox}"
        )
    page.screenshot(path=str(screenshot_path(f"scene-{width}")), full_page=True)
    page.close()
