"""Quality and speed benches. Run each as a module from the repository root, e.g.
`.venv/bin/python -m bench.latency`: the root is then on sys.path, so `tests.support` imports."""
