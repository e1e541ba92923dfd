#!/usr/bin/env bash
# The whole suite in two pytest processes side by side (`make test`, CI's command):
#   - the real-time tests (marked `realtime` in tests/conftest.py: a virtual sound card, a
#     terminal read while it draws, a microphone paced like a voice) at normal priority;
#   - every other test at the lowest priority (nice 19), so it only takes the CPU the real-time
#     ones leave: they mostly wait for audio playing at its own speed, and their timing figures
#     (time to feedback, tick delay) stay what they are on an idle machine.
# Each writes its own log; both are printed when both are done. Exit status: the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/pytest --durations=15 -p no:cacheprovider "$@")
logs=$(mktemp -d)
base=${TMPDIR:-/tmp}/mockvoice-tests-$$
started=$(date +%s)

"${PYTEST[@]}" -m realtime --basetemp "$base/realtime" >"$logs/realtime.log" 2>&1 &
realtime=$!
nice -n 19 "${PYTEST[@]}" -m "not realtime" --basetemp "$base/other" >"$logs/other.log" 2>&1 &
other=$!
trap 'kill "$realtime" "$other" 2>/dev/null; exit 130' INT TERM

wait "$realtime"; realtime_rc=$?
echo "== real-time tests (exit $realtime_rc, done after $(($(date +%s) - started)) s) =="
cat "$logs/realtime.log"
wait "$other"; other_rc=$?
echo "== the other tests, at low priority (exit $other_rc, done after $(($(date +%s) - started)) s) =="
cat "$logs/other.log"
echo "== whole suite: $(($(date +%s) - started)) s (real-time exit $realtime_rc, others exit $other_rc) =="
rm -rf "$logs" "$base"
if ((realtime_rc)); then exit "$realtime_rc"; fi
exit "$other_rc"
