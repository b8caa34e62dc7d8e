"""Persistence plumbing: the declarative base and UTC type (``base``, no Flask), schema
migrations (``migrate`` and ``migrations/``), and the session per request (``session``)."""
