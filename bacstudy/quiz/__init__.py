"""Quiz mode: questions made from a deck (``generate``, pure and seeded) and the attempts a
student takes, answers and reviews (``attempts``)."""
