"""``python -m bacstudy`` is the ``bacstudy`` command."""

from bacstudy.cli import main

main()
