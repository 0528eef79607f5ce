"""The OpenAPI linter behind `ticketmock lint` (kept import-light: nothing is imported here)."""
