"""Anki export checked with the official ``anki`` package: a fresh collection imports it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from bacstudy.db.session import engine_for
from bacstudy.decks import catalog
from bacstudy.export.anki import IO_STOCK_KIND, note_guid, write_apkg
from bacstudy.resources import resource_dir
from tests.conftest import edit_deck, skip_or_fail

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

try:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER as IF_NEWER
except ImportError:  # pragma: no cover - the test extra installs it
    Collection = None


@pytest.fixture
def collection(tmp_path: Path):
    if Collection is None:
        skip_or_fail("the official anki package is not installed")
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_apkg(col, path: Path):
    options = ImportAnkiPackageOptions(
        merge_notetypes=True,
        update_notes=IF_NEWER,
        update_notetypes=IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )
    return col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=options)
    )


def export(app: Flask, slug: str, path: Path, when: datetime = T0) -> None:
    with Session(engine_for(app)) as session:
        write_apkg(catalog.live_deck(session, slug), path, when)


def notes_by_guid(col) -> dict[str, dict[str, str]]:
    return {col.get_note(nid).guid: dict(col.get_note(nid).items()) for nid in col.find_notes("")}


def test_the_baclofen_deck_imports_cleanly(app: Flask, runner, collection, tmp_path: Path) -> None:
    assert runner("decks", "sync", str(resource_dir("cards"))).exit_code == 0
    package = tmp_path / "baclofen.apkg"
    export(app, "baclofen", package)
    log = import_apkg(collection, package)
    assert not log.log.missing_notetype and not log.log.conflicting
    with Session(engine_for(app)) as session:
        deck = catalog.live_deck(session, "baclofen")
        notes = [n for n in deck.notes if n.retired_at is None]
        app_cards = sum(1 for n in notes for c in n.cards if c.retired_at is None)
        symbols = [s for scene in deck.scenes for s in scene.symbols]
        cloze_deletions = {
            note_guid("baclofen", n.slug): len(n.cards) for n in notes if n.type == "cloze"
        }
    assert collection.note_count() == len(notes) + 1  # + the image occlusion note
    assert collection.card_count() == app_cards + len(symbols)
    assert len(log.log.new) == collection.note_count()
    # Every referenced image is in the collection's media folder; nothing is missing or unused.
    media = collection.media.check()
    assert list(media.missing) == [] and list(media.unused) == []
    referenced = {
        name
        for fields in notes_by_guid(collection).values()
        for value in fields.values()
        for name in re.findall(r'<img src="([^"]+)"', value)
    }
    assert len(referenced) == len(symbols) + 1
    assert all((Path(collection.media.dir()) / name).is_file() for name in referenced)
    # Tags are hierarchical; cloze notes give one card per deletion.
    for nid in collection.find_notes(""):
        note = collection.get_note(nid)
        assert note.tags and all(tag.startswith("bacstudy::baclofen::") for tag in note.tags)
        if note.guid in cloze_deletions:
            assert len(note.cards()) == cloze_deletions[note.guid]
    # The scene is also an image occlusion note that Anki treats as its own type.
    notetype = collection.models.by_name("bacstudy Image Occlusion")
    assert notetype["originalStockKind"] == IO_STOCK_KIND
    (occlusion_id,) = collection.find_notes('"note:bacstudy Image Occlusion"')
    occlusion = collection.get_image_occlusion_note(occlusion_id)
    assert occlusion.WhichOneof("value") == "note"
    assert len(occlusion.note.occlusions) == len(symbols)
    assert occlusion.note.image_file_name == "bacstudy-baclofen-baclofen-scene.svg"


def test_every_field_of_each_note_type(
    app: Flask, runner, collection, deck_source: Path, tmp_path: Path
) -> None:
    assert runner("decks", "sync").exit_code == 0
    export(app, "sample", tmp_path / "sample.apkg")
    import_apkg(collection, tmp_path / "sample.apkg")
    notes = notes_by_guid(collection)
    receptor = notes[note_guid("sample", "receptor")]
    assert receptor["Front"] == "Which receptor does baclofen stimulate?"
    assert receptor["Back"] == "GABA-B"
    assert receptor["Explanation"] == "The B subtype is G-protein coupled."
    assert receptor["Sources"] == (
        "<ul><li><i>Document A</i> (000_0ce35e5f8724df33.txt) — Mechanism of Action</li></ul>"
    )
    assert receptor["Disagreement"] == "" and receptor["Add Reverse"] == ""
    assert receptor["Mnemonic"].startswith(
        '<img src="bacstudy-sample-scene-gaba-goose.svg" alt="Mnemonic scene with GABA-goose'
    )
    assert "Mnemonic: GABA-goose, (B) Bee" in receptor["Mnemonic"]
    max_dose = notes[note_guid("sample", "max-dose")]
    assert max_dose["Add Reverse"] == "y" and max_dose["Disagreement"] == "The documents disagree."
    ions = notes[note_guid("sample", "ions")]
    assert ions["Text"] == (
        "GABA-B activation {{c1::reduces calcium influx}} and {{c2::increases potassium efflux}}."
    )
    bee = notes[note_guid("sample", "symbol:b-bee")]
    assert (bee["Label"], bee["Meaning"]) == ("(B) Bee", "the B subtype")
    assert bee["Scene"].startswith('<img src="bacstudy-sample-scene-b-bee.svg"')
    cards = {
        collection.get_note(nid).guid: len(collection.get_note(nid).cards())
        for nid in collection.find_notes("")
    }
    assert cards[note_guid("sample", "receptor")] == 1
    assert cards[note_guid("sample", "max-dose")] == 2
    assert cards[note_guid("sample", "ions")] == 2
    assert cards[note_guid("sample", "symbol:b-bee")] == 2
    highlighted = (Path(collection.media.dir()) / "bacstudy-sample-scene-b-bee.svg").read_text()
    assert highlighted.startswith('<svg width="800" height="450"')
    assert "svg > g:not(#b-bee)" in highlighted


def test_a_newer_export_updates_the_changed_note_and_duplicates_nothing(
    app: Flask, runner, collection, deck_source: Path, tmp_path: Path
) -> None:
    assert runner("decks", "sync").exit_code == 0
    export(app, "sample", tmp_path / "first.apkg", T0)
    import_apkg(collection, tmp_path / "first.apkg")
    before = notes_by_guid(collection)
    cards_before = collection.card_count()
    edit_deck(deck_source, "    back: GABA-B\n", "    back: The GABA-B receptor\n")
    assert runner("decks", "sync").exit_code == 0
    export(app, "sample", tmp_path / "second.apkg", T0 + timedelta(days=1))
    import_apkg(collection, tmp_path / "second.apkg")
    after = notes_by_guid(collection)
    assert set(after) == set(before) and collection.card_count() == cards_before
    changed = {guid for guid in after if after[guid] != before[guid]}
    assert changed == {note_guid("sample", "receptor")}
    assert after[note_guid("sample", "receptor")]["Back"] == "The GABA-B receptor"


def test_cli_export_writes_the_file_or_fails_with_exit_2(
    runner, deck_source: Path, tmp_path: Path
) -> None:
    assert runner("decks", "sync").exit_code == 0
    target = tmp_path / "out" / "sample.apkg"
    target.parent.mkdir()
    done = runner("export", "anki", "sample", "-o", str(target))
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"Wrote {target}: 7 notes, 14 cards, 4 images.")
    assert target.read_bytes()[:2] == b"PK"
    unknown = runner("export", "anki", "nope", "-o", str(target))
    assert unknown.exit_code == 2 and "there is no deck 'nope' (decks: sample)" in unknown.stderr
    missing = runner("export", "anki", "sample", "-o", str(tmp_path / "absent" / "x.apkg"))
    assert missing.exit_code == 2 and "cannot write" in missing.stderr
    inside_a_file = runner("export", "anki", "sample", "-o", str(target / "x.apkg"))
    assert inside_a_file.exit_code == 2 and "cannot write" in inside_a_file.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["sample.apkg"]


def test_a_failed_write_leaves_nothing_behind(
    app: Flask, runner, deck_source: Path, tmp_path: Path
) -> None:
    assert runner("decks", "sync").exit_code == 0
    folder = tmp_path / "exports"
    in_the_way = folder / "sample.apkg"
    (in_the_way / "keep").mkdir(parents=True)  # a non-empty folder cannot be replaced by a file
    with pytest.raises(OSError):
        export(app, "sample", in_the_way)
    assert [p.name for p in folder.iterdir()] == ["sample.apkg"]
    assert [p.name for p in in_the_way.iterdir()] == ["keep"]


def test_download_button_serves_the_same_package(
    app: Flask, client, runner, collection, deck_source: Path, tmp_path: Path
) -> None:
    assert runner("decks", "sync").exit_code == 0
    page = client.get("/decks/sample").get_data(as_text=True)
    assert 'href="/decks/sample/export.apkg"' in page
    response = client.get("/decks/sample/export.apkg")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="sample.apkg"'
    (tmp_path / "download.apkg").write_bytes(response.data)
    import_apkg(collection, tmp_path / "download.apkg")
    assert collection.note_count() == 7
    assert client.get("/decks/nope/export.apkg").status_code == 404


@pytest.mark.browser
def test_cards_render_readably_in_anki_night_mode(
    app: Flask, runner, collection, browser, deck_source: Path, tmp_path: Path
) -> None:
    """Anki renders the card; Chromium shows it in day and night mode (Anki's own classes)."""
    from tests.conftest import screenshot_path

    assert runner("decks", "sync").exit_code == 0
    export(app, "sample", tmp_path / "sample.apkg")
    import_apkg(collection, tmp_path / "sample.apkg")
    (nid,) = collection.find_notes('"Front:Maximum daily oral dose"')
    note = collection.get_note(nid)
    answer = note.cards()[0].answer()
    css = collection.models.get(note.mid)["css"]
    colours = {}
    for mode in ("", "nightMode"):
        page = browser.new_page(viewport={"width": 420, "height": 700})
        page.set_content(
            f"<style>{css}</style><body class='{mode}'><div class='card {mode}'>"
            f"{answer}</div></body>"
        )
        colours[mode] = page.evaluate(
            "[getComputedStyle(document.querySelector('.card')).color,"
            " getComputedStyle(document.querySelector('.card')).backgroundColor]"
        )
        assert "Sources disagree:" in page.inner_text(".disagree")
        page.screenshot(path=str(screenshot_path(f"anki-card-{mode or 'day'}")), full_page=True)
        page.close()
    assert colours[""] == ["rgb(29, 35, 39)", "rgb(247, 247, 244)"]
    assert colours["nightMode"] == ["rgb(230, 233, 235)", "rgb(21, 25, 28)"]
