"""Quiz questions generated from a deck's notes and mnemonic scene (pure, seeded).

Question types:

* ``choice`` — one right answer and three or four plausible wrong ones. Wrong
  answers are the note's authored ones first, then, for measured answers
  only (doses, percentages, periods), answers of sibling notes that share a
  tag, the kind and the form (a dose question gets other doses, never a
  receptor). No wrong answer equals, contains or is contained in the right
  one. A sibling's *words* are never used: in medicine another fact's answer
  is too often also true (MS, spinal cord injury and transverse myelitis are
  all first-line indications), so worded answers rely on vetted, authored
  wrong answers. Notes whose sources disagree use authored ones only, so one
  source's figure is never marked wrong against another's.
* ``true-false`` — a fact stated either as it is or with a sibling's answer
  swapped in.
* ``symbol-choice`` — "what does the highlighted symbol stand for?".
* ``hotspot`` — "click the symbol that stands for …", answered with a point in
  scene coordinates (see :func:`symbol_at`).

The same facts, settings and seed always give the same quiz.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import partial

from bacstudy.decks.faces import cloze_answer
from bacstudy.decks.source import CLOZE_PATTERN, Hotspot

MIN_WRONG, MAX_WRONG = 3, 4
OPTION_IDS = "abcde"
TRUE_FALSE_OPTIONS = (("true", "True"), ("false", "False"))

_DOSE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:[–-]\s*\d+(?:[.,]\d+)?\s*)?(?:mg|µg|mcg|g)\b", re.I)
_PERCENT = re.compile(r"\d+\s*(?:[–-]\s*\d+\s*)?%")
_PERIOD = re.compile(r"\b\d{4}s\b")
# Answer kinds whose siblings make safe distractors: another dose is a different dose.
MEASURED_KINDS = ("dose", "percent", "period")


def answer_kind(text: str) -> str:
    """What sort of answer this is, so distractors match it: dose, percent, period or text."""
    if _DOSE.search(text):
        return "dose"
    if _PERCENT.search(text):
        return "percent"
    if _PERIOD.search(text):
        return "period"
    return "text"


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("–", "-").split()).strip(" .")


def overlaps(wrong: str, right: str) -> bool:
    """True when two answers are the same or one contains the other (not a fair distractor)."""
    a, b = _normal(wrong), _normal(right)
    return not a or not b or a == b or a in b or b in a


@dataclass(frozen=True)
class Fact:
    """One quizzable fact: a basic note's answer, or one cloze deletion."""

    note_id: int
    card_id: int | None
    form: str  # "basic" (a question's answer) or "cloze" (a phrase cut from a sentence)
    prompt: str  # the question, or the cloze sentence with "[…]" for the deletion
    answer: str
    statement: str  # the fact as a sentence with "{}" where the answer goes
    tags: tuple[str, ...]
    wrong_answers: tuple[str, ...] = ()
    disputed: bool = False
    explanation: str | None = None
    sources: tuple[dict[str, str], ...] = ()

    @property
    def kind(self) -> str:
        return answer_kind(self.answer)

    @property
    def topic(self) -> str:
        return self.tags[0] if self.tags else "other"


@dataclass(frozen=True)
class SymbolFact:
    symbol_id: int
    slug: str
    label: str
    meaning: str
    hotspot: Hotspot
    scene_slug: str
    card_id: int | None = None


@dataclass(frozen=True)
class Option:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    type: str
    prompt: str
    options: tuple[Option, ...]
    correct: str  # an option id, or a symbol slug for hotspot questions
    topic: str
    note_id: int | None = None
    card_id: int | None = None
    symbol_slug: str | None = None  # the symbol shown (symbol-choice) or asked for (hotspot)
    scene_slug: str | None = None
    explanation: str | None = None
    sources: tuple[dict[str, str], ...] = field(default=())

    @property
    def correct_text(self) -> str:
        return next((o.text for o in self.options if o.id == self.correct), self.correct)


def facts_from_note(
    note_id: int,
    note_type: str,
    fields: dict[str, str],
    tags: tuple[str, ...],
    wrong_answers: tuple[str, ...] = (),
    disputed: bool = False,
    explanation: str | None = None,
    sources: tuple[dict[str, str], ...] = (),
    card_ids: dict[tuple[str, int], int] | None = None,
) -> list[Fact]:
    """The facts of a note: its front/back, or each cloze deletion."""
    card_ids = card_ids or {}
    fact = partial(
        Fact,
        note_id=note_id,
        tags=tags,
        disputed=disputed,
        explanation=explanation,
        sources=sources,
    )
    if note_type in ("basic", "reversed"):
        return [
            fact(
                card_id=card_ids.get(("basic", 0)),
                form="basic",
                prompt=fields["front"],
                answer=fields["back"],
                statement=f"{fields['front']} — {{}}",
                wrong_answers=wrong_answers,
            )
        ]
    if note_type != "cloze":
        return []
    text = fields["text"]
    numbers = sorted({int(m.group(1)) for m in CLOZE_PATTERN.finditer(text)})
    facts = []
    for number in numbers:
        prompt = _cloze_with(text, number, "[…]")
        statement = _cloze_with(text, number, "{}")
        facts.append(
            fact(
                card_id=card_ids.get(("cloze", number)),
                form="cloze",
                prompt=prompt,
                answer=cloze_answer(text, number),
                statement=statement,
                # authored wrong answers fit only a note with a single deletion
                wrong_answers=wrong_answers if len(numbers) == 1 else (),
            )
        )
    return facts


def _cloze_with(text: str, number: int, blank: str) -> str:
    def fill(match: re.Match[str]) -> str:
        return blank if int(match.group(1)) == number else match.group(2)

    return CLOZE_PATTERN.sub(fill, text)


def distractors(fact: Fact, facts: list[Fact], rng: random.Random) -> list[str]:
    """Up to four wrong answers: authored first, then siblings sharing a tag, an answer kind
    and a form (phrases cut from sentences stand beside phrases, answers beside answers)."""
    chosen: list[str] = []

    def take(candidate: str) -> None:
        if (
            len(chosen) < MAX_WRONG
            and not overlaps(candidate, fact.answer)
            and not any(overlaps(candidate, other) for other in chosen)
        ):
            chosen.append(candidate)

    for wrong in fact.wrong_answers:
        take(wrong)
    if fact.disputed or fact.kind not in MEASURED_KINDS:
        return chosen
    siblings = [
        other.answer
        for other in facts
        if other.note_id != fact.note_id
        and other.kind == fact.kind
        and other.form == fact.form
        and set(other.tags) & set(fact.tags)
    ]
    # Prefer answers of a similar length: they look like the right one.
    rng.shuffle(siblings)
    siblings.sort(key=lambda answer: abs(len(answer) - len(fact.answer)))
    for sibling in siblings:
        if len(chosen) >= MIN_WRONG:  # siblings only top up what the author gave
            break
        take(sibling)
    return chosen


def _options(rng: random.Random, right: str, wrong: list[str]) -> tuple[tuple[Option, ...], str]:
    texts = [right, *wrong]
    rng.shuffle(texts)
    options = tuple(Option(id=OPTION_IDS[i], text=text) for i, text in enumerate(texts))
    return options, options[texts.index(right)].id


def _choice(fact: Fact, wrong: list[str], rng: random.Random) -> Question:
    options, correct = _options(rng, fact.answer, wrong)
    return Question(
        type="choice",
        prompt=fact.prompt,
        options=options,
        correct=correct,
        topic=fact.topic,
        note_id=fact.note_id,
        card_id=fact.card_id,
        explanation=fact.explanation,
        sources=fact.sources,
    )


def _true_false(fact: Fact, wrong: list[str], rng: random.Random) -> Question:
    truthful = rng.random() < 0.5
    shown = fact.answer if truthful else rng.choice(wrong)
    options = tuple(Option(id=i, text=t) for i, t in TRUE_FALSE_OPTIONS)
    return Question(
        type="true-false",
        prompt=fact.statement.replace("{}", shown),
        options=options,
        correct="true" if truthful else "false",
        topic=fact.topic,
        note_id=fact.note_id,
        card_id=fact.card_id,
        explanation=(
            f"Correct answer: {fact.answer}." + (f" {fact.explanation}" if fact.explanation else "")
        ),
        sources=fact.sources,
    )


def _symbol_question(
    symbol: SymbolFact, symbols: list[SymbolFact], rng: random.Random
) -> Question | None:
    others = [s.meaning for s in symbols if s.slug != symbol.slug]
    rng.shuffle(others)
    wrong = [meaning for meaning in others if not overlaps(meaning, symbol.meaning)][:MIN_WRONG]
    question = partial(
        Question,
        topic="mnemonic",
        card_id=symbol.card_id,
        symbol_slug=symbol.slug,
        scene_slug=symbol.scene_slug,
        explanation=f"{symbol.label}: {symbol.meaning}",
    )
    if rng.random() < 0.5 and len(wrong) >= MIN_WRONG:
        options, correct = _options(rng, symbol.meaning, wrong)
        return question(
            type="symbol-choice",
            prompt="What does the highlighted symbol stand for?",
            options=options,
            correct=correct,
        )
    return question(
        type="hotspot",
        prompt=f"Click the symbol that stands for: {symbol.meaning}",
        options=(),
        correct=symbol.slug,
    )


def generate_quiz(
    facts: list[Fact],
    symbols: list[SymbolFact],
    count: int,
    seed: int,
) -> list[Question]:
    """``count`` questions (fewer if the material runs out), each fact or symbol at most once."""
    rng = random.Random(seed)
    candidates: list[Fact | SymbolFact] = [*facts, *symbols]
    rng.shuffle(candidates)
    questions: list[Question] = []
    for candidate in candidates:
        if len(questions) >= count:
            break
        if isinstance(candidate, SymbolFact):
            question = _symbol_question(candidate, symbols, rng)
        else:
            wrong = distractors(candidate, facts, rng)
            if len(wrong) >= MIN_WRONG:
                use_true_false = not candidate.disputed and rng.random() < 0.25
            elif wrong and not candidate.disputed:
                use_true_false = True  # too few wrong answers for a fair multiple choice
            else:
                continue
            question = (
                _true_false(candidate, wrong, rng)
                if use_true_false
                else _choice(candidate, wrong, rng)
            )
        if question is not None:
            questions.append(question)
    return questions


def symbol_at(symbols: list[SymbolFact], x: float, y: float) -> str | None:
    """The symbol whose hotspot contains the point (scene units), or None."""
    for symbol in symbols:
        if _contains(symbol.hotspot, x, y):
            return symbol.slug
    return None


def _contains(hotspot: Hotspot, x: float, y: float) -> bool:
    c = hotspot.coords
    if hotspot.shape == "rect":
        return c[0] <= x <= c[0] + c[2] and c[1] <= y <= c[1] + c[3]
    if hotspot.shape == "circle":
        return (x - c[0]) ** 2 + (y - c[1]) ** 2 <= c[2] ** 2
    points = list(zip(c[0::2], c[1::2], strict=True))
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
