#!/usr/bin/env bash
# Tests in pytest processes side by side.
#
#   scripts/test.sh          the whole suite (`make test`, CI's command), three processes:
#       - the real-time tests (marked `realtime` in tests/conftest.py: a virtual sound card, a
#         terminal read while it draws, a microphone paced like a voice) at normal priority;
#       - the other tests in two halves at the lowest priority (nice 19), so they only take the
#         CPU the real-time ones leave: those mostly wait for audio playing at its own speed, and
#         their timing figures (time to feedback, tick delay) stay what they are on an idle
#         machine. The halves split on the whole spoken dev set (`--devset with|without`), so
#         each process builds its own session fixtures once.
#   scripts/test.sh --fast   the fast tier (`make check`): the tests that need no model or audio,
#                            split in two halves (`--shard`), one per core.
#
# Each process writes its own log; all are printed when all are done, each with the CPU time its
# tests used (`--cpu`). Exit status: the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fast" ]; then
    shift
    PYTEST=(.venv/bin/pytest -q -p no:cacheprovider -m "not audio" "$@")
    parts=("--shard 0/2" "--shard 1/2")
    nices=(0 0)
    envs=("" "")
    names=("first half" "second half")
else
    PYTEST=(.venv/bin/pytest --durations=15 --cpu=15 -p no:cacheprovider "$@")
    parts=("-m realtime" "-m not(realtime) --devset with" "-m not(realtime) --devset without")
    nices=(0 19 19)
    envs=("" MOCKVOICE_TEST_THREADS=1 MOCKVOICE_TEST_THREADS=1)  # tests/conftest.py: transcriber
    names=("real-time tests" "tests on the whole dev set, at low priority" "the other tests, at low priority")
fi
logs=$(mktemp -d)
base=${TMPDIR:-/tmp}/mockvoice-tests-$$
mkdir -p "$base"
started=$(date +%s)

pids=()
for i in "${!parts[@]}"; do
    read -ra part <<<"${parts[$i]}"
    # shellcheck disable=SC2086  # an empty envs entry is no word at all
    env ${envs[$i]} nice -n "${nices[$i]}" "${PYTEST[@]}" "${part[@]}" --basetemp "$base/$i" >"$logs/$i.log" 2>&1 &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM

# exit 5 is "no tests selected": a part with nothing to run (scripts/test.sh tests/test_x.py) passes
status=0
for i in "${!pids[@]}"; do
    wait "${pids[$i]}"; rc=$?; ((rc == 5)) && rc=0
    echo "== ${names[$i]} (exit $rc, done after $(($(date +%s) - started)) s) =="
    cat "$logs/$i.log"
    ((rc && !status)) && status=$rc
done
echo "== all: $(($(date +%s) - started)) s (exit $status) =="
rm -rf "$logs" "$base"
exit "$status"
