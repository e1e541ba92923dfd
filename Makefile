# Two commands matter: `make mock` (set up, then start a mock interview on the bundled scenario)
# and `make test` (set up, then run the whole test suite with the real model, voice and audio).
# `make check` is the fast tier while you work: ruff and every test that needs no model or audio
# (under a minute). `make demo` analyzes the bundled sample answer: the same scorecard with no
# microphone.

VENV := .venv
PY := $(VENV)/bin/python
SAMPLE := samples/strong-answer.flac

.PHONY: setup mock demo check test bench clean

setup:
	@scripts/setup.sh

mock: setup
	$(VENV)/bin/mockvoice mock leadership-without-title

demo: setup
	$(VENV)/bin/mockvoice analyze $(SAMPLE) --scenario leadership-without-title

# The venv, made by setup the first time only: `check` stays fast.
$(VENV)/bin/pytest:
	@scripts/setup.sh

check: $(VENV)/bin/pytest
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	scripts/test.sh --fast

test: setup
	$(VENV)/bin/ruff check src tests bench scripts
	scripts/test.sh

bench: setup
	$(PY) -m bench.speed
	$(PY) -m bench.devset_eval

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache
