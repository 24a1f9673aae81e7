#!/usr/bin/env bash
# Prints "N passed, N failed, N skipped" from the TRX files of a test run and exits non-zero when anything failed,
# when the test command itself failed, or when no test ran at all.
set -uo pipefail
results_dir="$1"
test_exit="${2:-0}"
passed=0; failed=0; total=0; executed=0; files=0
for trx in "$results_dir"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); e=$(get executed); p=$(get passed); f=$(get failed); er=$(get error); to=$(get timeout); ab=$(get aborted)
  total=$((total + ${t:-0})); executed=$((executed + ${e:-0})); passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${er:-0} + ${to:-0} + ${ab:-0}))
done
skipped=$((total - passed - failed))
[ "$skipped" -lt 0 ] && skipped=0
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failed test in the results (build error, crashed test host): count it as a failure.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
