"""Shared fixtures. Expensive things (spoken dev set, loaded model, analyses) are built once
per test session; the spoken answers are also cached on disk in .cache/ between runs. Helpers
that are not fixtures live in tests/support/.

A test that uses the real model or the spoken dev set (the fixtures in MODEL_FIXTURES) is in
the `audio` tier, marked or not: `make check` (`pytest -m "not audio"`) leaves it out.

With MOCKVOICE_REQUIRE_AUDIO=1 (set by .ci/run) a missing audio tool is a failure, never a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.support import CACHE, need

MODEL_FIXTURES = frozenset({"transcriber", "devset", "dev_answer", "analyzed"})
# the whole dev set, spoken and transcribed, and its fluent take (tests/test_live.py)
DEVSET_FIXTURES = frozenset({"devset", "analyzed", "fluent"})


# Tests that run at the speed of a voice or a terminal and measure it: everything on the virtual
# sound card (the `pulse` fixture) and these modules. `make test` (scripts/test.sh) runs them
# beside the others, which get the lowest CPU priority so these keep their timing.
REALTIME_MODULES = frozenset(
    {"test_flows_inprocess", "test_keys_e2e", "test_live_screen", "test_study_screen"}
)


def _realtime(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    name = module.__name__.rpartition(".")[2] if module else ""
    return "pulse" in getattr(item, "fixturenames", ()) or name in REALTIME_MODULES


def _uses_devset(item: pytest.Item) -> bool:
    return bool(DEVSET_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--shard",
        default=None,
        metavar="K/N",
        help="run only shard K of N (every Nth test): scripts/test.sh --fast runs two side by side",
    )
    parser.addoption(
        "--devset",
        choices=("with", "without"),
        default=None,
        help="run only the tests that use the whole spoken dev set, or only the others: scripts/test.sh "
        "runs the two side by side, so that each process builds its own session fixtures once",
    )
    parser.addoption(
        "--cpu",
        type=int,
        default=0,
        metavar="N",
        help="list the N tests that used the most CPU time (scripts/test.sh: where the suite's time goes)",
    )


def _shard(items: list[pytest.Item], shard: str) -> set[int]:
    """Indexes of the items in shard K of N: every Nth test from the Kth, so that each shard
    gets a share of every module (slow and quick ones alike)."""
    k, n = (int(x) for x in shard.split("/"))
    return {i for i in range(len(items)) if i % n == k}


def _keep_only(config: pytest.Config, items: list[pytest.Item], keep: list[bool]) -> None:
    """Deselect the items whose `keep` is False (pytest reports them as deselected)."""
    config.hook.pytest_deselected(items=[item for item, k in zip(items, keep, strict=True) if not k])
    items[:] = [item for item, k in zip(items, keep, strict=True) if k]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    shard = config.getoption("--shard")
    if shard:
        mine = _shard(items, shard)
        _keep_only(config, items, [i in mine for i in range(len(items))])
    part = config.getoption("--devset")
    if part:
        _keep_only(config, items, [_uses_devset(item) == (part == "with") for item in items])
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if MODEL_FIXTURES & fixtures and not item.get_closest_marker("audio"):
            item.add_marker(pytest.mark.audio)
        if _realtime(item):
            item.add_marker(pytest.mark.realtime)


@pytest.fixture(autouse=True)
def _recordings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sessions of every test go to its own folder, never to ./recordings."""
    folder = tmp_path / "recordings"
    monkeypatch.setenv("MOCKVOICE_RECORDINGS", str(folder))
    return folder


@pytest.fixture(scope="session")
def scenario():
    from mockvoice.scenario.catalog import find_scenario

    return find_scenario("leadership-without-title")


@pytest.fixture(scope="session")
def transcriber():
    from mockvoice.speech.asr import Transcriber

    # MOCKVOICE_TEST_THREADS=1 (scripts/test.sh, for the processes beside the real-time tests):
    # the same words (checked on the dev set), a fifth less CPU than two threads on two cores
    threads = int(os.environ.get("MOCKVOICE_TEST_THREADS", "0")) or None
    return Transcriber(threads=threads)


@pytest.fixture(scope="session")
def devset() -> list[tuple[Path, dict]]:
    """The spoken dev set (tests/devset/answers.yaml): (audio path, truth) per answer."""
    need("espeak-ng")
    need("sox")
    from tests.support.devset import build_all

    return build_all(CACHE / "devset")


@pytest.fixture(scope="session")
def dev_answer():
    """One dev-set answer by id → (audio path, truth), spoken on first use: the tests on the
    virtual sound card need one or two takes, not the whole dev set."""
    need("sox")
    from tests.support.devset import build, load_answers

    answers = {a["id"]: a for a in load_answers()}
    return lambda answer_id: build(answers[answer_id], CACHE / "devset")


@pytest.fixture(scope="session")
def analyzed(devset, transcriber, scenario) -> dict[str, tuple[dict, dict]]:
    """answer id → (analysis document, truth), each answer transcribed once."""
    from mockvoice.analysis import answer as analysis
    from mockvoice.audio import files as audio
    from mockvoice.speech.streaming import transcribe_in_utterances

    out = {}
    for path, truth in devset:
        transcript = transcribe_in_utterances(transcriber, audio.load(path))  # as `analyze` does
        out[truth["id"]] = (analysis.analyze(transcript, scenario), truth)
    return out


# --- CPU per test (`--cpu N`: the N tests that took the most CPU, this process and its children)


def _cpu_s() -> float:
    import resource

    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


_CPU: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):
    before = _cpu_s()
    yield
    _CPU[item.nodeid] = _cpu_s() - before


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    top = config.getoption("--cpu")
    if not top or not _CPU:
        return
    terminalreporter.section(f"most CPU (setup + call + teardown; all tests: {sum(_CPU.values()):.0f} s)")
    for nodeid, seconds in sorted(_CPU.items(), key=lambda kv: -kv[1])[:top]:
        terminalreporter.write_line(f"{seconds:8.1f}s cpu  {nodeid}")
