"""The quiz generator, pure: properties over random decks (hypothesis) and the real deck."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bacstudy.decks.parse import load_deck
from bacstudy.decks.source import Hotspot
from bacstudy.quiz.generate import (
    MEASURED_KINDS,
    Fact,
    SymbolFact,
    answer_kind,
    facts_from_note,
    generate_quiz,
    overlaps,
    symbol_at,
)
from bacstudy.resources import resource_dir

TAGS = ["dosing", "mechanism", "adverse-effects", "epidemiology"]
dose = st.builds(
    lambda n, unit: f"{n} {unit}", st.integers(1, 400), st.sampled_from(["mg", "mg/kg", "mg a day"])
)
percent = st.builds(lambda a, b: f"{a}–{b}%", st.integers(1, 50), st.integers(51, 100))
words = st.lists(
    st.sampled_from(
        [
            "GABA",
            "receptor",
            "spinal",
            "cord",
            "kidney",
            "liver",
            "sedation",
            "nausea",
            "agonist",
            "dorsal",
            "horn",
            "pump",
        ]
    ),
    min_size=1,
    max_size=4,
).map(" ".join)
answers = st.one_of(dose, percent, words)


@st.composite
def decks(draw) -> list[Fact]:
    facts = []
    for note_id in range(draw(st.integers(1, 30))):
        facts.append(
            Fact(
                note_id=note_id,
                card_id=note_id,
                form=draw(st.sampled_from(["basic", "cloze"])),
                prompt=f"Question {note_id}?",
                answer=draw(answers),
                statement=f"Fact {note_id} is {{}}.",
                tags=tuple(
                    draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=2, unique=True))
                ),
                wrong_answers=tuple(draw(st.lists(answers, max_size=4, unique=True))),
                disputed=draw(st.booleans()),
            )
        )
    return facts


@settings(max_examples=150, deadline=None)
@given(facts=decks(), count=st.integers(5, 100), seed=st.integers(0, 2**31))
def test_generated_questions_are_fair(facts: list[Fact], count: int, seed: int) -> None:
    questions = generate_quiz(facts, [], count, seed)
    assert len(questions) <= count
    by_note = {fact.note_id: fact for fact in facts}
    assert len({q.note_id for q in questions}) == len(questions), "a fact was asked twice"
    for question in questions:
        fact = by_note[question.note_id]
        texts = [option.text for option in question.options]
        ids = [option.id for option in question.options]
        assert len(set(ids)) == len(ids) and len(set(texts)) == len(texts)
        assert question.correct in ids
        if question.type == "choice":
            assert 4 <= len(texts) <= 5
            assert question.correct_text == fact.answer
            for wrong in texts:
                if wrong == fact.answer:
                    continue
                assert not overlaps(wrong, fact.answer)
                from_sibling = any(
                    wrong == other.answer
                    and other.kind == fact.kind
                    and other.form == fact.form
                    and set(other.tags) & set(fact.tags)
                    for other in facts
                    if other.note_id != fact.note_id
                )
                assert wrong in fact.wrong_answers or (
                    from_sibling and not fact.disputed and fact.kind in MEASURED_KINDS
                )
        else:
            assert question.type == "true-false" and not fact.disputed
            if question.correct == "true":
                assert question.prompt == fact.statement.replace("{}", fact.answer)
            else:
                assert question.prompt != fact.statement.replace("{}", fact.answer)
    assert generate_quiz(facts, [], count, seed) == questions, "the same seed gave another quiz"


def test_answer_kinds() -> None:
    assert answer_kind("30–75 mg/day") == "dose"
    assert answer_kind("0.3 mg/kg a day") == "dose"
    assert answer_kind("60–80%") == "percent"
    assert answer_kind("The 1960s") == "period"
    assert answer_kind("GABA-B") == "text"


def test_cloze_notes_give_one_fact_per_deletion() -> None:
    facts = facts_from_note(
        1,
        "cloze",
        {"text": "A {{c1::lowers Ca}} and {{c2::raises K}}."},
        ("mechanism",),
        wrong_answers=("x", "y", "z"),
        card_ids={("cloze", 1): 10, ("cloze", 2): 11},
    )
    assert [(f.prompt, f.answer, f.card_id) for f in facts] == [
        ("A […] and raises K.", "lowers Ca", 10),
        ("A lowers Ca and […].", "raises K", 11),
    ]
    assert facts[0].statement == "A {} and raises K."
    assert facts[0].wrong_answers == ()  # authored wrong answers fit single deletions only


def test_dose_questions_get_doses_from_the_real_deck() -> None:
    deck = load_deck(resource_dir("cards") / "baclofen")
    facts = [
        fact
        for i, note in enumerate(deck.notes)
        for fact in facts_from_note(
            i, note.type, note.fields, note.tags, note.wrong_answers, bool(note.disagreement)
        )
    ]
    for seed in range(20):
        for question in generate_quiz(facts, [], 100, seed):
            if question.type != "choice":
                continue
            (fact,) = [
                f
                for f in facts
                if f.note_id == question.note_id and f.answer == question.correct_text
            ]
            if fact.kind == "dose" and not fact.wrong_answers:
                assert all(answer_kind(o.text) == "dose" for o in question.options)


def symbols() -> list[SymbolFact]:
    return [
        SymbolFact(1, "goose", "GABA-goose", "GABA", Hotspot("rect", (0, 0, 100, 100)), "s"),
        SymbolFact(2, "bee", "(B) Bee", "the B subtype", Hotspot("circle", (200, 50, 40)), "s"),
        SymbolFact(
            3, "dragon", "Dragonist", "agonist", Hotspot("polygon", (300, 0, 400, 0, 350, 100)), "s"
        ),
        SymbolFact(4, "tick", "Spast-tick", "spasticity", Hotspot("rect", (0, 200, 50, 50)), "s"),
    ]


def test_symbol_questions_and_hotspot_hits() -> None:
    questions = generate_quiz([], symbols(), 4, seed=11)
    assert {q.type for q in questions} <= {"symbol-choice", "hotspot"}
    assert len({q.symbol_slug for q in questions}) == 4
    for question in questions:
        if question.type == "symbol-choice":
            assert question.correct_text == next(
                s.meaning for s in symbols() if s.slug == question.symbol_slug
            )
        else:
            assert question.correct == question.symbol_slug and question.options == ()
    assert symbol_at(symbols(), 50, 50) == "goose"
    assert symbol_at(symbols(), 210, 60) == "bee"
    assert symbol_at(symbols(), 239, 90) is None  # inside the circle's box, outside the circle
    assert symbol_at(symbols(), 350, 40) == "dragon"
    assert symbol_at(symbols(), 305, 90) is None
    assert symbol_at(symbols(), 600, 600) is None
