# Two commands matter: `make mock` (set up, then start a mock interview on the bundled scenario)
# and `make test` (set up, then run the whole test suite with the real model, voice and audio).
# `make demo` analyzes the bundled sample answer: the same scorecard with no microphone.

VENV := .venv
PY := $(VENV)/bin/python
SAMPLE := samples/strong-answer.flac

.PHONY: setup mock demo test bench clean

setup:
	@scripts/setup.sh

mock: setup
	$(VENV)/bin/mockvoice mock leadership-without-title

demo: setup
	$(VENV)/bin/mockvoice analyze $(SAMPLE) --scenario leadership-without-title

test: setup
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/pytest

bench: setup
	$(PY) bench/speed.py
	$(PY) bench/devset_eval.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache
