"""Card sides for every template, and highlighted scene images (pure; no app, no database)."""

from __future__ import annotations

import pytest

from bacstudy.decks.faces import cloze_answer, cloze_side, render_card
from bacstudy.decks.scene_svg import highlight

CLOZE = "GABA-B {{c1::lowers calcium influx}} and {{c2::raises K<sup> efflux::an ion}}."


def test_basic_and_reversed_swap_sides_and_escape_html() -> None:
    fields = {"front": "Dose <max>?", "back": "80 mg & more"}
    basic = render_card("basic", fields, "basic", 0, ("b-bee",))
    assert (basic.front_html, basic.back_html) == ("Dose &lt;max&gt;?", "80 mg &amp; more")
    assert basic.highlight_symbol == "b-bee" and not basic.scene_on_front
    reversed_card = render_card("reversed", fields, "reversed", 0)
    assert reversed_card.front_html == "80 mg &amp; more"
    assert reversed_card.highlight_symbol is None


def test_cloze_hides_only_its_own_deletion() -> None:
    assert cloze_side(CLOZE, 1, reveal=False) == (
        'GABA-B <span class="cloze">[…]</span> and raises K&lt;sup&gt; efflux.'
    )
    assert cloze_side(CLOZE, 2, reveal=False) == (
        'GABA-B lowers calcium influx and <span class="cloze">[an ion]</span>.'
    )
    assert cloze_side(CLOZE, 2, reveal=True) == (
        'GABA-B lowers calcium influx and <mark class="cloze">raises K&lt;sup&gt; efflux</mark>.'
    )
    assert cloze_answer(CLOZE, 1) == "lowers calcium influx"


def test_symbol_cards_ask_about_the_picture_both_ways() -> None:
    fields = {"label": "(B) Bee", "meaning": "The GABA-B subtype"}
    meaning = render_card("symbol", fields, "symbol-meaning", 0, ("b-bee",))
    assert meaning.scene_on_front and meaning.highlight_symbol == "b-bee"
    assert meaning.front_html == "What does the highlighted symbol stand for?"
    assert "The GABA-B subtype" in meaning.back_html
    pick = render_card("symbol", fields, "symbol-pick", 0, ("b-bee",))
    assert not pick.scene_on_front
    assert "The GABA-B subtype" in pick.front_html and "(B) Bee" in pick.back_html


def test_unknown_template_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown card template"):
        render_card("basic", {"front": "a", "back": "b"}, "typed", 0)


def test_highlight_dims_every_other_group() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="a"/><g id="b"/></svg>'
    result = highlight(svg, "b")
    assert result.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>')
    assert "svg > g:not(#b) { opacity: 0.18;" in result
    assert result.endswith('<g id="a"/><g id="b"/></svg>')
    with pytest.raises(ValueError):
        highlight(svg, "b} * {display:none")


def test_plain_forms_of_cloze_text_and_card_sides() -> None:
    from bacstudy.decks.faces import cloze_plain, plain_text

    assert cloze_plain(CLOZE) == "GABA-B lowers calcium influx and raises K<sup> efflux."
    assert plain_text(cloze_side(CLOZE, 2, reveal=False)) == (
        "GABA-B lowers calcium influx and [an ion]."
    )
