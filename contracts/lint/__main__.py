"""`python -m contracts.lint`: the same command as `ticketmock lint`."""

from __future__ import annotations

from contracts.lint.cli import lint

if __name__ == "__main__":
    lint(prog_name="ticketmock lint")
