"""Deck content: the parsed source model (``source``), the strict YAML loader (``parse``,
``located_yaml``), the sync into the database (``sync``), read-side queries (``catalog``),
what each card shows (``faces``) and highlighted scene images (``scene_svg``)."""
