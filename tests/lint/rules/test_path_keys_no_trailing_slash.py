"""path-keys-no-trailing-slash: path keys do not end with '/'."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "path-keys-no-trailing-slash"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /:
        get:
          responses:
            "200": {description: Root.}
      /tickets/:
        get:
          responses:
            "200": {description: The tickets.}
"""


def test_trailing_slash_is_reported_at_the_path_key() -> None:
    assert found(TEXT, RULE) == [(RULE, 8, 3)]


def test_root_and_clean_paths_pass() -> None:
    assert found(TEXT.replace("/tickets/:", "/tickets:"), RULE) == []


def test_extension_keys_under_paths_are_not_paths() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          x-note/: {anything: here}
    """
    assert found(text, RULE) == []
