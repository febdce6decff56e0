# bench/scenarios/export.sh: `porchlight export cameras` of 1,000,000 points, side by side
# with ogr2ogr on the same data. Sourced by bench/run (uses measure, median, section_break,
# $WORK, $PORCHLIGHT, $RUNS, $SEED; sets STATUS=1 when a target fails).
#
# The store: `porchlight init`, then one source and EXPORT_POINTS cameras inserted with
# sqlite3 (pseudo-random points over the conterminous US from $SEED, kind, operator,
# direction, field of view).
# The peer: ogr2ogr reading the same store through GDAL's SQLite driver, by an OGR VRT
# whose SQL is the query porchlight runs (cameras LEFT JOIN sources LEFT JOIN records, the
# same nine properties) with the points built from the lon/lat columns
# (GeometryField encoding="PointFromColumns"):
#   ogr2ogr -f GeoJSON -lco RFC7946=YES out.geojson cameras.vrt
#   ogr2ogr -f GPKG out.gpkg cameras.vrt
# Targets: GeoJSON wall time porchlight <= 0.5 x ogr2ogr's; GeoPackage <= 1.0 x. Both write
# the same number of features (checked).

EXPORT_POINTS=${EXPORT_POINTS:-1000000}
MAX_EXPORT_GEOJSON_RATIO=0.50
MAX_EXPORT_GPKG_RATIO=1.00

command -v ogr2ogr >/dev/null || die "ogr2ogr not found (apt-get install gdal-bin)"
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"

EX_DB="$WORK/export-store.db"
t0=$(date +%s.%N)
"$PORCHLIGHT" --db "$EX_DB" -q init >/dev/null
sqlite3 "$EX_DB" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO sources (id, sha256, size, kind, format, file_name, origin, title, ingested_at,
                     porchlight_version)
VALUES (1, printf('%064d', $SEED), 0, 'records', 'csv', 'cameras.csv', '/bench/cameras.csv',
        'Benchmark cameras (synthetic)', '2024-01-01T00:00:00Z', 'bench');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $EXPORT_POINTS)
INSERT INTO cameras (id, lat, lon, kind, operator, direction, field_of_view, source_id)
SELECT i,
       25.0 + ((i * 2654435761 + $SEED) % 1000003) / 1000003.0 * 24.0,
       -124.0 + ((i * 40503 + $SEED * 7) % 999983) / 999983.0 * 57.0,
       CASE i % 4 WHEN 0 THEN 'fixed' WHEN 1 THEN 'dome' WHEN 2 THEN 'doorbell' ELSE 'alpr' END,
       CASE i % 3 WHEN 0 THEN 'City of Springfield' WHEN 1 THEN NULL ELSE 'Acme Mart' END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 37) % 360 END,
       CASE WHEN i % 2 = 0 THEN 90 ELSE NULL END,
       1
FROM n;
COMMIT;
SQL
t1=$(date +%s.%N)

EX_VRT="$WORK/cameras.vrt"
cat >"$EX_VRT" <<VRT
<OGRVRTDataSource>
  <OGRVRTLayer name="cameras">
    <SrcDataSource>$EX_DB</SrcDataSource>
    <SrcSQL dialect="sqlite">SELECT c.id, c.lon, c.lat, c.kind, c.operator, c.surveillance_type, c.zone, c.direction, c.field_of_view, c.ref, ifnull(s.title, s.file_name) AS source, r.locator FROM cameras c LEFT JOIN sources s ON s.id = c.source_id LEFT JOIN records r ON r.id = c.record_id ORDER BY c.id</SrcSQL>
    <FID>id</FID>
    <LayerSRS>WGS84</LayerSRS>
    <GeometryType>wkbPoint</GeometryType>
    <GeometryField encoding="PointFromColumns" x="lon" y="lat"/>
    <Field name="kind"/><Field name="operator"/><Field name="surveillance_type"/>
    <Field name="zone"/><Field name="direction" type="Real"/>
    <Field name="field_of_view" type="Real"/><Field name="ref"/><Field name="source"/>
    <Field name="locator"/>
  </OGRVRTLayer>
</OGRVRTDataSource>
VRT

echo "export: $EXPORT_POINTS cameras (seed $SEED) inserted into a store in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')s; $RUNS runs each, median wall time"
echo "peer: ogr2ogr (GDAL $(gdal-config --version 2>/dev/null || ogrinfo --version | awk '{print $2}' | tr -d ,)) reading the store's cameras through the SQLite driver (OGR VRT, PointFromColumns)"

# export_pair FORMAT EXT OGR_ARGS...: runs both tools RUNS times, prints the table, checks
# the counts and the target ratio.
export_pair() {
    local format=$1 ext=$2 max=$3; shift 3
    local -a pl_secs=() og_secs=() pl_kb=() og_kb=()
    local pl_count og_count
    for ((r = 0; r < RUNS; r++)); do
        measure "porchlight-$format" "$PORCHLIGHT" --db "$EX_DB" -q export cameras "out.$ext"
        ((M_RC == 0)) || fail_with_log "porchlight export $format failed"
        pl_secs+=("$M_SECS"); pl_kb+=("$M_KB")
        pl_count=$(count_features "$M_DIR/out.$ext" "$ext")
        rm -rf -- "$M_DIR" "$M_DIR.time" "$M_DIR.log"
        measure "ogr2ogr-$format" ogr2ogr "$@" "out.$ext" "$EX_VRT"
        ((M_RC == 0)) || fail_with_log "ogr2ogr $format failed"
        og_secs+=("$M_SECS"); og_kb+=("$M_KB")
        og_count=$(count_features "$M_DIR/out.$ext" "$ext")
        rm -rf -- "$M_DIR" "$M_DIR.time" "$M_DIR.log"
    done
    local pl_med og_med
    pl_med=$(median "${pl_secs[@]}"); og_med=$(median "${og_secs[@]}")
    echo
    printf '%-22s %10s %9s %10s   %s\n' tool "median s" "peak MB" features "runs (s)"
    printf '%-22s %10.2f %9s %10s   %s\n' "porchlight $format" "$pl_med" "$(kb_to_mb "$(max_of "${pl_kb[@]}")")" "$pl_count" "${pl_secs[*]}"
    printf '%-22s %10.2f %9s %10s   %s\n' "ogr2ogr $format" "$og_med" "$(kb_to_mb "$(max_of "${og_kb[@]}")")" "$og_count" "${og_secs[*]}"
    if [[ $pl_count == "$EXPORT_POINTS" && $og_count == "$EXPORT_POINTS" ]]; then
        echo "PASS export $format: both wrote $EXPORT_POINTS features"
    else
        echo "FAIL export $format: porchlight wrote $pl_count, ogr2ogr $og_count, expected $EXPORT_POINTS"; STATUS=1
    fi
    check_wall_ratio "export $format" ogr2ogr "$pl_med" "$og_med" "$max"
}

# count_features FILE EXT: features in a GeoJSON (one per line) or GeoPackage (its table).
count_features() {
    if [[ $2 == gpkg ]]; then
        sqlite3 "$1" 'SELECT count(*) FROM cameras;'
    else
        grep -c '"type": *"Feature"' "$1"
    fi
}

export_pair GeoJSON geojson "$MAX_EXPORT_GEOJSON_RATIO" -f GeoJSON -lco RFC7946=YES
export_pair GeoPackage gpkg "$MAX_EXPORT_GPKG_RATIO" -f GPKG
rm -f -- "$EX_DB" "$EX_DB"-* "$EX_VRT"
rm -rf -- "${EX_DB%.db}.blobs"
