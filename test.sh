#!/usr/bin/env bash
# Runs the whole StreamMasking test suite. Installs the Debian tools the interoperability and end-to-end tests
# use (kcat, python3-kafka, prometheus) when they are missing and this user may install packages.
# Usage: ./test.sh [--soak] [extra dotnet test arguments]
#   --soak  run the chaos and soak tests for an hour each instead of a few minutes (STREAMMASKING_SOAK=1);
#           the soak curve goes to artifacts/soak-report.md
set -uo pipefail
cd "$(dirname "$0")"

hang_timeout=15m
if [ "${1:-}" = "--soak" ]; then
  export STREAMMASKING_SOAK=1
  export STREAMMASKING_SOAK_REPORT="${STREAMMASKING_SOAK_REPORT:-$PWD/artifacts/soak-report.md}"
  hang_timeout=90m
  shift
fi

scripts/install-test-tools.sh || echo "warning: could not install every test tool; tests that need them are skipped" >&2

results_dir="artifacts/test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"

dotnet test StreamMasking.sln -c Release \
  --logger "trx" --results-directory "$results_dir" \
  --blame-hang-timeout "$hang_timeout" \
  "$@"
test_exit=$?

scripts/test-summary.sh "$results_dir" "$test_exit"
