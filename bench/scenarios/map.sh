# shellcheck shell=bash
# Sourced by bench/run: a national PNG map of 20,000 points (`porchlight map cameras
# OUT.png`), the points inserted with SQL as cameras into a fresh store. Target: < 1 s wall.
MAP_POINTS=20000
MAX_MAP_SECONDS=1.0

echo "== map: national PNG of $MAP_POINTS points =="
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"
MAP_DB="$WORK/map-bench.db"
rm -f -- "$MAP_DB"
"$PORCHLIGHT" --db "$MAP_DB" -q init || die "porchlight init failed"
# points spread over the contiguous states' bounding box by a hash of the row number and
# the seed (a 32-bit multiply, xor-shift, multiply; deterministic for one --seed), four
# kinds for the legend. SQLite has no xor: a ^ b = (a | b) - (a & b).
sqlite3 -bail "$MAP_DB" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $MAP_POINTS),
h1(i, h) AS (SELECT i, (i * 2654435761 + $SEED * 97 + 12345) % 4294967296 FROM n),
h2(i, h) AS (SELECT i, (((h | (h >> 15)) - (h & (h >> 15))) * 2246822519) % 4294967296 FROM h1),
h3(i, a, b) AS (SELECT i, ((h | (h >> 13)) - (h & (h >> 13))) % 65536,
                          ((h | (h >> 13)) - (h & (h >> 13))) / 65536 % 65536 FROM h2)
INSERT INTO cameras (id, lat, lon, kind, operator)
SELECT i, 25.0 + a / 65536.0 * 24.0, -124.0 + b / 65536.0 * 57.0,
       CASE i % 4 WHEN 0 THEN 'fixed' WHEN 1 THEN 'dome' WHEN 2 THEN 'ALPR' ELSE 'doorbell' END,
       'bench'
FROM h3;" || die "could not insert the points"
MAP_COUNT=$(sqlite3 "$MAP_DB" 'SELECT count(*) FROM cameras;')
[[ $MAP_COUNT == "$MAP_POINTS" ]] || die "expected $MAP_POINTS cameras, found $MAP_COUNT"

MAP_TIMES=()
for ((run = 1; run <= RUNS; run++)); do
    measure map "$PORCHLIGHT" --db "$MAP_DB" -q map cameras "$WORK/map-bench.png" --color-by kind
    ((M_RC == 0)) || fail_with_log "porchlight map failed"
    MAP_TIMES+=("$M_SECS")
    echo "run $run: ${M_SECS} s, peak $(kb_to_mb "$M_KB") MB"
    rm -rf -- "$M_DIR" "$M_DIR.time" "$M_DIR.log"
done
[[ -s "$WORK/map-bench.png" ]] || die "no PNG was written"
MAP_MEDIAN=$(median "${MAP_TIMES[@]}")
echo "median wall time: ${MAP_MEDIAN} s for $MAP_POINTS points"
if awk -v t="$MAP_MEDIAN" -v m="$MAX_MAP_SECONDS" 'BEGIN { exit !(t < m) }'; then
    echo "PASS national PNG map of $MAP_POINTS points under ${MAX_MAP_SECONDS} s"
else
    echo "FAIL national PNG map: ${MAP_MEDIAN} s >= ${MAX_MAP_SECONDS} s"; STATUS=1
fi
rm -f -- "$MAP_DB" "$MAP_DB"-* "$WORK/map-bench.png"
rm -rf -- "${MAP_DB%.db}.blobs"
