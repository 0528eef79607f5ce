"""Contract test kit (Schemathesis) and the spec linter (contracts/lint/)."""
