# The two front doors: `make serve` (the mock of all five APIs) and `make test` (the whole suite).
# Both create .venv and install the project on first use; later runs skip the install.
#   make serve PORT=9000 HOST=0.0.0.0 ARGS='--seed 7'   (PORT and HOST become --port and --host)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser tests drive Debian's Chromium through Playwright, never Playwright's own browser download.
CHROMIUM := /usr/bin/chromium

.PHONY: install serve test test-servers lint apis clean chromium

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/ticketmock serve $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST)) $(ARGS)

test: $(STAMP) test-servers chromium
	$(BIN)/python -m pytest $(ARGS)

# Servers the tests start themselves: a real redis-server (Debian's package when the machine has none;
# CI runs as root on Debian). Without it, one line says how to get it; no test is skipped for want of it.
test-servers:
	@command -v redis-server >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  echo "installing redis-server (Debian package) for the tests" && apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; } || \
	  { echo "make test needs redis-server: apt-get install redis-server (as root), or put one on PATH" >&2; exit 1; }

# Installs Debian's chromium package when it is missing and we may (root with apt-get, as in CI);
# otherwise one line says how to get it.
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "the browser tests need $(CHROMIUM): install Debian's chromium package (sudo apt-get install chromium)"; \
	    exit 1; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ticketmock lint $(ARGS)

apis: $(STAMP)
	$(BIN)/ticketmock apis

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
