# The two front doors: `make serve` (the mock of all five APIs) and `make test` (the whole suite).
# Both create .venv and install the project on first use; later runs skip the install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test test-servers lint apis clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/ticketmock serve $(ARGS)

test: $(STAMP) test-servers
	$(BIN)/python -m pytest $(ARGS)

# Servers the tests start themselves: a real redis-server (Debian's package when the machine has none;
# CI runs as root on Debian). Without it, one line says how to get it; no test is skipped for want of it.
test-servers:
	@command -v redis-server >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  echo "installing redis-server (Debian package) for the tests" && apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; } || \
	  { echo "make test needs redis-server: apt-get install redis-server (as root), or put one on PATH" >&2; exit 1; }

lint: $(STAMP)
	$(BIN)/ticketmock lint $(ARGS)

apis: $(STAMP)
	$(BIN)/ticketmock apis

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
