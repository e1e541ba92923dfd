# Two commands matter: `make demo` (set up, then run mockvoice on the bundled sample answer)
# and `make test` (set up, then run the whole test suite with the real model, voice and audio).

VENV := .venv
PY := $(VENV)/bin/python
SAMPLE := samples/strong-answer.flac

.PHONY: setup demo test lint bench clean

setup:
	@scripts/setup.sh

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
