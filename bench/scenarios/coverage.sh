# shellcheck shell=bash
# Sourced by bench/run (--only coverage): `porchlight coverage --by county` of 1,000,000
# generated cameras (bench/gen_points.cpp, spread over the conterminous states' box, some
# at sea or abroad) against all 3,231 county polygons. Target: under 5 s wall time (no
# peer: SQLite has no point-in-polygon). Sanity: the counts per county plus those outside
# every county add up to every camera.
CV_POINTS=${CV_POINTS:-1000000}
CV_BOX="-125,24,-66,50"
CV_MAX_SECS=5.0

if ! command -v sqlite3 >/dev/null; then
    echo "bench/run: coverage benchmark skipped: sqlite3 not found (apt-get install sqlite3)" >&2
else
    CV_CSV="$WORK/cameras.csv" CV_DB="$WORK/coverage.db"
    t0=$(date +%s.%N)
    points_store "$CV_POINTS" "$CV_BOX" "$CV_CSV" "$CV_DB"
    t1=$(date +%s.%N)
    echo "coverage: $CV_POINTS generated cameras (seed $SEED) in box $CV_BOX, loaded in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')s; $RUNS runs, median wall time"
    echo "porchlight: coverage --by county --format csv (3231 county polygons)"
    cat "$CV_DB" >/dev/null

    CV_SECS=()
    for ((i = 1; i <= RUNS; i++)); do
        measure cv-porchlight "$PORCHLIGHT" --db "$CV_DB" coverage --by county --format csv
        ((M_RC == 0)) || fail_with_log "porchlight coverage failed"
        CV_SECS+=("$M_SECS")
        CV_KB=$M_KB
        CV_LOG=$(cat "$M_DIR.log")
        rm -rf -- "$M_DIR" "$M_DIR".*
    done
    CV_MED=$(median "${CV_SECS[@]}")
    echo
    printf '%-12s %10s %9s   %s\n' tool "median s" "peak MB" "runs (s)"
    printf '%-12s %10.2f %9s   %s\n' porchlight "$CV_MED" "$(kb_to_mb "$CV_KB")" "${CV_SECS[*]}"
    echo

    # the log holds the CSV (stdout) and the notes (stderr)
    CV_IN=$(awk -F, 'NR > 1 && $1 ~ /^[0-9][0-9][0-9][0-9][0-9]$/ { s += $4 } END { print s + 0 }' <<<"$CV_LOG")
    CV_OUT=$(sed -n 's/.*note: \([0-9]*\) cameras\{0,1\} lie.* in no county polygon.*/\1/p' <<<"$CV_LOG")
    CV_COUNTIES=$(awk -F, 'NR > 1 && $1 ~ /^[0-9][0-9][0-9][0-9][0-9]$/' <<<"$CV_LOG" | wc -l)
    if (( CV_IN + ${CV_OUT:-0} == CV_POINTS )); then
        echo "PASS coverage: $CV_IN cameras in $CV_COUNTIES counties + ${CV_OUT:-0} outside = $CV_POINTS"
    else
        echo "FAIL coverage: $CV_IN in counties + ${CV_OUT:-0} outside != $CV_POINTS"; STATUS=1
    fi
    echo "coverage of $CV_POINTS cameras by county = ${CV_MED}s (target < ${CV_MAX_SECS}s)"
    if awk -v s="$CV_MED" -v m="$CV_MAX_SECS" 'BEGIN { exit !(s < m) }'; then
        echo "PASS coverage wall time"
    else
        echo "FAIL coverage wall time: ${CV_MED}s >= ${CV_MAX_SECS}s"; STATUS=1
    fi
    rm -f -- "$CV_CSV" "$CV_DB" "$CV_DB"-*
    rm -rf -- "${CV_DB%.db}.blobs"
fi
