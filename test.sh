#!/usr/bin/env bash
# Runs the whole StreamMasking test suite. Installs the Debian tools the interoperability and end-to-end tests
# use (kcat, python3-kafka, prometheus) when they are missing and this user may install packages.
# Builds once, then runs the Runtime tests alongside the other test projects (two lanes, one TRX file per project).
# Usage: ./test.sh [--soak] [extra dotnet test arguments, passed to every project]
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

dotnet build StreamMasking.slnx -c Release -nologo -clp:ErrorsOnly
build_exit=$?
if [ "$build_exit" -ne 0 ]; then
  echo "build failed" >&2
  scripts/test-summary.sh "$results_dir" "$build_exit"
  exit 1
fi

# Two lanes run side by side: the Runtime tests (the longest project, mostly waiting on brokers) in one, every other
# project in turn in the other. Each project writes its own TRX file; the summary reads them all.
run_lane() {
  local name="$1"; shift
  local lane_exit=0
  for project in "$@"; do
    dotnet test "tests/$project" -c Release --no-build \
      --logger "trx;LogFilePrefix=$project" --results-directory "$results_dir" \
      --blame-hang-timeout "$hang_timeout" \
      "${extra_args[@]}" 2>&1 | sed -u "s/^/[$name] /"
    [ "${PIPESTATUS[0]}" -eq 0 ] || lane_exit=1
  done
  return "$lane_exit"
}
extra_args=("$@")

run_lane runtime StreamMasking.Runtime.Tests &
runtime_lane=$!
other_projects=()
for csproj in tests/*.Tests/*.Tests.csproj; do
  project=$(basename "$(dirname "$csproj")")
  [ "$project" = StreamMasking.Runtime.Tests ] || other_projects+=("$project")
done
run_lane other "${other_projects[@]}"
other_exit=$?
wait "$runtime_lane"
runtime_exit=$?
test_exit=$((other_exit | runtime_exit))

scripts/test-summary.sh "$results_dir" "$test_exit"
