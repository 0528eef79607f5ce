# The two front doors: `make serve` (the mock of all five APIs) and `make test` (the whole suite).
# Both create .venv and install the project on first use; later runs skip the install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint apis clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/ticketmock serve $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

lint: $(STAMP)
	$(BIN)/ticketmock lint $(ARGS)

apis: $(STAMP)
	$(BIN)/ticketmock apis

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
