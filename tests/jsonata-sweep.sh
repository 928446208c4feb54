#!/usr/bin/env bash
# Differential sweep of IntegrationHealth.Jsonata against jsonata-js (tests/reference): runs the differential generator
# (tests/IntegrationHealth.Jsonata.Tests/Differential) over fresh seeds, many more pairs per seed than CI's run, one
# seed at a time (each run is CPU-heavy: node evaluates every pair, ours through four entry points).
#
# usage: tests/jsonata-sweep.sh [-n SEEDS] [-c PAIRS] [SEED...]
#   -n SEEDS  number of fresh seeds to draw when none are given (default 3)
#   -c PAIRS  expression/payload pairs per seed (default 100000; CI runs 3480 with the fixed default seed)
#   SEED...   explicit seeds instead of fresh ones (e.g. to re-run a seed that found differences)
# Prints one line per seed ("seed S: N pairs, M differences") and keeps each seed's report, batch and reference
# results under tests/IntegrationHealth.Jsonata.Tests/bin/Release/net10.0/jsonata-diff/<seed>/. Exit status 1 when
# any seed found a difference (the report lists each one with expression, input and both results).
set -euo pipefail
cd "$(dirname "$0")/.."

seeds_wanted=3
pairs=100000
while getopts "n:c:" option; do
    case $option in
        n) seeds_wanted=$OPTARG ;;
        c) pairs=$OPTARG ;;
        *) sed -n '2,13p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

seeds=("$@")
if [ ${#seeds[@]} -eq 0 ]; then
    # Fresh: drawn at random, above the range of the seeds used so far by hand (601, 602, 90301-90303, 20261123).
    for _ in $(seq "$seeds_wanted"); do seeds+=($(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 900000000 + 100000000 ))); done
fi

if [ ! -d tests/reference/node_modules/jsonata ]; then
    npm ci --prefix tests/reference --no-audit --no-fund --loglevel=error
fi

dotnet build tests/IntegrationHealth.Jsonata.Tests -c Release -nologo -v quiet -clp:ErrorsOnly
output=tests/IntegrationHealth.Jsonata.Tests/bin/Release/net10.0/jsonata-diff
failed=0
for seed in "${seeds[@]}"; do
    start=$(date +%s)
    # The family tests fail when a family differs; the report is the record either way, so the exit code is not used.
    JSONATA_DIFF_SEED=$seed JSONATA_DIFF_COUNT=$pairs CI=true \
        dotnet test tests/IntegrationHealth.Jsonata.Tests -c Release --no-build -nologo \
        --filter "FullyQualifiedName~JsonataDifferentialTests" >"$output-$seed.log" 2>&1 || true
    report=$output/$seed/jsonata-diff-report.txt
    if [ ! -f "$report" ]; then
        echo "seed $seed: no report (see $output-$seed.log)"
        failed=1
        continue
    fi
    summary=$(head -1 "$report")
    differences=$(sed -E 's/.* ([0-9]+) mismatches$/\1/' <<<"$summary")
    cases=$(sed -E 's/.*, ([0-9]+) cases,.*/\1/' <<<"$summary")
    echo "seed $seed: $cases pairs, $differences differences ($(( $(date +%s) - start )) s; report $report)"
    [ "$differences" = 0 ] || failed=1
done
exit $failed
