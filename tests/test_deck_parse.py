"""The deck validator: a valid deck loads; each kind of error comes with file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bacstudy.decks.parse import load_deck, load_decks
from bacstudy.errors import DeckInvalid
from tests.conftest import edit_deck


def line_of(deck: Path, needle: str) -> int:
    """The first line holding ``needle`` as a whole (so "receptor" skips "receptor-dragonist")."""
    pattern = re.compile(re.escape(needle) + r"(?![\w-])")
    for number, line in enumerate((deck / "deck.yaml").read_text().splitlines(), start=1):
        if pattern.search(line):
            return number
    raise AssertionError(f"{needle!r} not in deck.yaml")


def errors_of(deck: Path) -> list[str]:
    with pytest.raises(DeckInvalid) as caught:
        load_deck(deck)
    return [str(error) for error in caught.value.errors]


def test_valid_deck_loads_with_all_parts(deck_source: Path) -> None:
    deck = load_deck(deck_source)
    assert deck.id == "sample"
    assert [d.id for d in deck.documents] == ["doc-a", "doc-b"]
    (scene,) = deck.scenes
    assert (scene.width, scene.height) == (800, 450)
    assert [s.id for s in scene.symbols] == ["gaba-goose", "b-bee", "receptor-dragonist"]
    assert scene.symbols[2].ours and not scene.symbols[0].ours
    assert scene.symbols[1].hotspot.bounds() == (325, 60, 465, 200)
    receptor, max_dose, ions = deck.notes
    assert receptor.fields == {"front": "Which receptor does baclofen stimulate?", "back": "GABA-B"}
    assert receptor.wrong_answers == ("GABA-A", "GABA-C")
    assert receptor.symbols == ("gaba-goose", "b-bee")
    assert max_dose.disagreement == "The documents disagree."
    assert [(s.document, s.section) for s in max_dose.sources] == [
        ("doc-a", "Dosage and Administration"),
        ("doc-b", "Dosage Guidelines"),
    ]
    assert receptor.card_templates() == [("basic", 0)]
    assert max_dose.card_templates() == [("basic", 0), ("reversed", 0)]
    assert ions.card_templates() == [("cloze", 1), ("cloze", 2)]


def test_each_symbol_yields_a_mnemonic_note_citing_what_it_encodes(deck_source: Path) -> None:
    notes = {note.id: note for note in load_deck(deck_source).all_notes()}
    goose = notes["symbol:gaba-goose"]
    assert goose.type == "symbol"
    assert goose.card_templates() == [("symbol-meaning", 0), ("symbol-pick", 0)]
    assert goose.fields == {"label": "GABA-goose", "meaning": "GABA agonist"}
    assert [s.section for s in goose.sources] == ["Mechanism of Action"]
    assert set(goose.tags) == {"mnemonic", "mechanism"}


@pytest.mark.parametrize(
    ("old", "new", "marker", "expected"),
    [
        (
            "    explanation: The B",
            "    explaination: The B",
            "explaination:",
            "notes[0].explaination: unknown key 'explaination'",
        ),
        ("    back: GABA-B\n", "", "- id: receptor", "notes[0].back: missing required field"),
        (
            "  - id: ions",
            "  - id: receptor  # again",
            "# again",
            "notes[2].id: duplicate note id 'receptor' (first at line",
        ),
        (
            "    symbols: [receptor-dragonist]",
            "    symbols: [dragon]",
            "symbols: [dragon]",
            "notes[2].symbols[0]: unknown symbol 'dragon'",
        ),
        (
            "image: images/scene.svg",
            "image: images/missing.svg",
            "image: images/missing.svg",
            "scenes[0].image: image file 'images/missing.svg' does not exist",
        ),
        (
            "{{c1::reduces calcium influx}} and {{c2::increases potassium efflux}}",
            "reduces calcium influx",
            "text: GABA-B activation",
            "notes[2].text: a cloze note needs at least one {{c1::…}} deletion",
        ),
        (
            "      - {document: doc-b, section: Dosage Guidelines}",
            "      - {document: doc-z, section: Dosage Guidelines}",
            "document: doc-z",
            "notes[1].sources[1].document: unknown document 'doc-z'",
        ),
        (
            "hotspot: {circle: [395, 130, 70]}",
            "hotspot: {circle: [395, 130, 700]}",
            "circle: [395, 130, 700]",
            "scenes[0].symbols[1].hotspot.circle: hotspot [395, 130, 700] is empty or outside",
        ),
        (
            "    type: reversed",
            "    type: reverse",
            "type: reverse",
            "notes[1].type: expected one of basic, reversed, cloze",
        ),
        (
            "    tags: [dosing]",
            "    tags: [dosing]\n    tags: [dose-again]",
            "tags: [dose-again]",
            "notes[1].tags: duplicate key 'tags'",
        ),
        (
            "    back: GABA-B\n",
            "    back: GABA-B\n    front: Maximum daily oral dose\n",
            "front: Maximum daily oral dose",
            "duplicate key 'front'",
        ),
        ("title: Sample deck", "title: [Sample", "title: [Sample", "YAML syntax error"),
    ],
    ids=[
        "unknown-key",
        "missing-field",
        "duplicate-id",
        "dangling-symbol",
        "missing-image",
        "cloze-without-deletion",
        "unknown-document",
        "hotspot-out-of-bounds",
        "unknown-type",
        "duplicate-yaml-key",
        "duplicate-key-in-note",
        "yaml-syntax",
    ],
)
def test_each_error_names_file_line_and_field(
    deck_source: Path, old: str, new: str, marker: str, expected: str
) -> None:
    edit_deck(deck_source, old, new)
    errors = errors_of(deck_source)
    file = deck_source / "deck.yaml"
    matching = [e for e in errors if expected in e]
    assert matching, f"{expected!r} not among {errors}"
    if expected != "YAML syntax error":
        assert matching[0].startswith(f"{file}:{line_of(deck_source, marker)}: ")
    else:
        assert matching[0].startswith(f"{file}:")


def test_symbol_without_a_group_in_the_svg(deck_source: Path) -> None:
    svg = deck_source / "images" / "scene.svg"
    svg.write_text(svg.read_text().replace('<g id="b-bee">', '<g id="bee">'))
    errors = errors_of(deck_source)
    assert any(
        f":{line_of(deck_source, '- id: b-bee')}: scenes[0].symbols[1].id: the scene "
        'image has no <g id="b-bee"> group' in e
        for e in errors
    ), errors


def test_all_errors_are_reported_together(deck_source: Path) -> None:
    edit_deck(deck_source, "    back: GABA-B\n", "")
    edit_deck(deck_source, "    symbols: [receptor-dragonist]", "    symbols: [dragon]")
    edit_deck(deck_source, "image: images/scene.svg", "image: images/missing.svg")
    edit_deck(deck_source, "    explanation: The B", "    explaination: The B")
    errors = errors_of(deck_source)
    for fragment in (
        "missing required field",
        "unknown symbol",
        "does not exist",
        "unknown key 'explaination'",
    ):
        assert any(fragment in e for e in errors), (fragment, errors)
    lines = [int(e.split(":")[1]) for e in errors]
    assert lines == sorted(lines)


def test_image_may_not_leave_the_deck_folder(deck_source: Path) -> None:
    edit_deck(deck_source, "image: images/scene.svg", "image: ../../outside.svg")
    assert any("outside the deck folder" in e for e in errors_of(deck_source))


def test_load_decks_reports_errors_of_every_deck_and_loads_none(deck_source: Path) -> None:
    second = deck_source.parent / "second"
    second.mkdir()
    (second / "deck.yaml").write_text("id: second\ntitle: Second\n")
    edit_deck(deck_source, "    back: GABA-B\n", "")
    with pytest.raises(DeckInvalid) as caught:
        load_decks(deck_source.parent)
    files = {error.file.parent.name for error in caught.value.errors}
    assert files == {"sample", "second"}
    assert any("documents: missing required field" in str(e) for e in caught.value.errors)


def test_two_decks_with_the_same_id_are_refused(deck_source: Path) -> None:
    import shutil

    shutil.copytree(deck_source, deck_source.parent / "copy")
    with pytest.raises(DeckInvalid) as caught:
        load_decks(deck_source.parent)
    assert "deck id 'sample' is also used by" in str(caught.value.errors[0])


def test_the_shipped_decks_are_valid() -> None:
    from bacstudy.resources import resource_dir

    decks = load_decks(resource_dir("cards"))
    assert "baclofen" in [deck.id for deck in decks]


def test_the_documented_example_is_a_valid_deck(tmp_path: Path) -> None:
    from tests.conftest import REPO

    readme = (REPO / "cards" / "README.md").read_text()
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    deck = tmp_path / "example"
    (deck / "images").mkdir(parents=True)
    (deck / "deck.yaml").write_text(example)
    groups = "".join(f'<g id="{name}"/>' for name in ("gaba-goose", "b-bee", "pill-bottle"))
    (deck / "images" / "scene.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450">{groups}</svg>'
    )
    loaded = load_deck(deck)
    assert [note.type for note in loaded.notes] == ["basic", "basic", "cloze"]
    assert loaded.scenes[0].symbols[2].ours


def test_a_character_yaml_forbids_is_reported_with_its_line(deck_source: Path) -> None:
    edit_deck(deck_source, "title: Sample deck", "title: Sample\x00deck")
    (error,) = errors_of(deck_source)
    assert error == (
        f"{deck_source / 'deck.yaml'}:{line_of(deck_source, 'title:')}: "
        "character U+0000 is not allowed in YAML"
    )
