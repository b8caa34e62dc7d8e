"""Studying flashcards: FSRS scheduling (``scheduling``, pure), what is due (``queue``),
showing and answering cards exactly once (``answering``), the guarded card-state write
(``states``), burying, suspending and personal notes (``set_aside``), and the card
browser's query (``browser``)."""
