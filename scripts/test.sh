#!/usr/bin/env bash
# Tests in two pytest processes side by side.
#
#   scripts/test.sh          the whole suite (`make test`, CI's command):
#       - the real-time tests (marked `realtime` in tests/conftest.py: a virtual sound card, a
#         terminal read while it draws, a microphone paced like a voice) at normal priority;
#       - every other test at the lowest priority (nice 19), so it only takes the CPU the
#         real-time ones leave: they mostly wait for audio playing at its own speed, and their
#         timing figures (time to feedback, tick delay) stay what they are on an idle machine.
#   scripts/test.sh --fast   the fast tier (`make check`): the tests that need no model or audio,
#                            their modules split in two halves (`--shard`), one per core.
#
# Each writes its own log; both are printed when both are done. Exit status: the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fast" ]; then
    shift
    PYTEST=(.venv/bin/pytest -q -p no:cacheprovider -m "not audio" "$@")
    first=(--shard 0/2) second=(--shard 1/2) nice_second=()
    names=("first half" "second half")
else
    PYTEST=(.venv/bin/pytest --durations=15 --cpu=15 -p no:cacheprovider "$@")
    first=(-m realtime) second=(-m "not realtime") nice_second=(nice -n 19)
    names=("real-time tests" "the other tests, at low priority")
fi
logs=$(mktemp -d)
base=${TMPDIR:-/tmp}/mockvoice-tests-$$
mkdir -p "$base"
started=$(date +%s)

"${PYTEST[@]}" "${first[@]}" --basetemp "$base/1" >"$logs/1.log" 2>&1 &
one=$!
"${nice_second[@]}" "${PYTEST[@]}" "${second[@]}" --basetemp "$base/2" >"$logs/2.log" 2>&1 &
two=$!
trap 'kill "$one" "$two" 2>/dev/null; exit 130' INT TERM

# exit 5 is "no tests selected": a half with nothing to run (scripts/test.sh tests/test_x.py) passes
wait "$one"; one_rc=$?; ((one_rc == 5)) && one_rc=0
echo "== ${names[0]} (exit $one_rc, done after $(($(date +%s) - started)) s) =="
cat "$logs/1.log"
wait "$two"; two_rc=$?; ((two_rc == 5)) && two_rc=0
echo "== ${names[1]} (exit $two_rc, done after $(($(date +%s) - started)) s) =="
cat "$logs/2.log"
echo "== all: $(($(date +%s) - started)) s (exit $one_rc and $two_rc) =="
rm -rf "$logs" "$base"
if ((one_rc)); then exit "$one_rc"; fi
exit "$two_rc"
