"""Shared pytest configuration: factories live in tests/helpers.py, not here."""
