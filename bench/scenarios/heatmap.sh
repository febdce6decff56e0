# shellcheck shell=bash
# Sourced by bench/run (--only heatmap): `porchlight heatmap` (kernel density, GeoTIFF) of
# 1,000,000 generated points on a 1000 x 500 grid, side by side with
# `gdal_rasterize -burn 1 -add` of the same points on the same grid (a count per cell, the
# first step of any density). Target: porchlight's wall time <= 1.00x gdal_rasterize's.
#
# The points (bench/gen_points.cpp) go into a porchlight store (sqlite3 .import, then
# INSERT INTO cameras) and into a GeoPackage in EPSG:5070 (ogr2ogr, no spatial index) that
# gdal_rasterize reads; neither preparation is timed. porchlight reads lon/lat from SQLite
# and projects them itself; gdal_rasterize reads points already projected.
HM_POINTS=${HM_POINTS:-1000000}
HM_BOX="-99.56,35.41,-88.5,39.6"   # with 1 km cells and a 2 km bandwidth: 1000 x 500 cells
HM_MAX_RATIO=1.00

hm_missing=""
for tool in gdal_rasterize ogr2ogr gdalinfo sqlite3; do
    command -v "$tool" >/dev/null || hm_missing+=" $tool"
done
if [[ -n $hm_missing ]]; then
    echo "bench/run: heatmap benchmark skipped: not found:$hm_missing (apt-get install gdal-bin sqlite3)" >&2
else
    HM_CSV="$WORK/points.csv" HM_DB="$WORK/heatmap.db" HM_GPKG="$WORK/points.gpkg"
    t0=$(date +%s.%N)
    points_store "$HM_POINTS" "$HM_BOX" "$HM_CSV" "$HM_DB"
    ogr2ogr -f GPKG -s_srs EPSG:4326 -t_srs EPSG:5070 -oo X_POSSIBLE_NAMES=lon \
        -oo Y_POSSIBLE_NAMES=lat -lco SPATIAL_INDEX=NO -nln points "$HM_GPKG" "$HM_CSV" \
        || die "ogr2ogr could not write the points' GeoPackage"
    t1=$(date +%s.%N)
    echo "heatmap: $HM_POINTS generated points (seed $SEED) in box $HM_BOX, prepared in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')s; $RUNS runs each, median wall time"
    echo "porchlight: heatmap OUT.tif --bbox $HM_BOX --cell 1km --bandwidth 2km (KDE, min-count 5)"

    # the grid porchlight chooses, given to gdal_rasterize as -te/-ts
    measure hm-probe "$PORCHLIGHT" --db "$HM_DB" heatmap probe.tif --bbox "$HM_BOX" --cell 1km --bandwidth 2km
    ((M_RC == 0)) || fail_with_log "porchlight heatmap failed"
    HM_INFO=$(gdalinfo "$M_DIR/probe.tif")
    HM_SIZE=$(sed -n 's/^Size is \([0-9]*\), \([0-9]*\)$/\1 \2/p' <<<"$HM_INFO")
    read -r HM_X0 HM_Y0 < <(sed -n 's/^Origin = (\([-0-9.]*\),\([-0-9.]*\))$/\1 \2/p' <<<"$HM_INFO" \
        | awk '{ printf "%.0f %.0f\n", $1, $2 }')
    read -r HM_NX HM_NY <<<"$HM_SIZE"
    HM_TE="$HM_X0 $(awk -v y="$HM_Y0" -v n="$HM_NY" 'BEGIN { printf "%.0f", y - 1000 * n }') $(awk -v x="$HM_X0" -v n="$HM_NX" 'BEGIN { printf "%.0f", x + 1000 * n }') $HM_Y0"
    echo "gdal_rasterize: -burn 1 -add -te $HM_TE -ts $HM_NX $HM_NY -ot Float32 (DEFLATE, tiled, as porchlight)"
    echo "grid: $HM_NX x $HM_NY cells of 1 km in EPSG:5070"
    rm -rf -- "$M_DIR" "$M_DIR".*
    cat "$HM_GPKG" "$HM_DB" >/dev/null

    HR_SECS=() HP_SECS=()
    for ((i = 1; i <= RUNS; i++)); do
        # shellcheck disable=SC2086
        measure hm-gdal gdal_rasterize -q -burn 1 -add -te $HM_TE -ts "$HM_NX" "$HM_NY" \
            -ot Float32 -co COMPRESS=DEFLATE -co TILED=YES -l points "$HM_GPKG" out.tif
        ((M_RC == 0)) || fail_with_log "gdal_rasterize failed"
        HR_SECS+=("$M_SECS")
        HR_INFO=$(gdalinfo -stats "$M_DIR/out.tif" 2>/dev/null)
        rm -rf -- "$M_DIR" "$M_DIR".*
        measure hm-porchlight "$PORCHLIGHT" --db "$HM_DB" heatmap out.tif --bbox "$HM_BOX" \
            --cell 1km --bandwidth 2km
        ((M_RC == 0)) || fail_with_log "porchlight heatmap failed"
        HP_SECS+=("$M_SECS")
        HP_INFO=$(gdalinfo "$M_DIR/out.tif")
        HP_LOG=$(cat "$M_DIR.log")
        rm -rf -- "$M_DIR" "$M_DIR".*
    done
    HR_MED=$(median "${HR_SECS[@]}") HP_MED=$(median "${HP_SECS[@]}")
    echo
    printf '%-16s %10s   %s\n' tool "median s" "runs (s)"
    printf '%-16s %10.2f   %s\n' gdal_rasterize "$HR_MED" "${HR_SECS[*]}"
    printf '%-16s %10.2f   %s\n' porchlight "$HP_MED" "${HP_SECS[*]}"
    echo

    # sanity: the same grid, and every point on it in both
    HR_SUM=$(awk -F= '/STATISTICS_MEAN/ { m = $2 } END { printf "%.0f", m * '"$HM_NX"' * '"$HM_NY"' }' <<<"$HR_INFO")
    if [[ $(grep -E '^(Size is|Origin|Pixel Size)' <<<"$HP_INFO") == "$(grep -E '^(Size is|Origin|Pixel Size)' <<<"$HR_INFO")" ]] \
        && [[ $HP_LOG == *"$HM_POINTS cameras on a $HM_NX x $HM_NY grid"*"0 off the grid"* ]] \
        && [[ $HR_SUM == "$HM_POINTS" ]]; then
        echo "PASS heatmap: the same grid, $HM_POINTS points on it in both tools"
    else
        echo "FAIL heatmap: the grids or the point counts differ (gdal_rasterize sum $HR_SUM)"; STATUS=1
    fi
    check_wall_ratio heatmap gdal_rasterize "$HP_MED" "$HR_MED" "$HM_MAX_RATIO"
    rm -f -- "$HM_CSV" "$HM_GPKG" "$HM_DB" "$HM_DB"-*
    rm -rf -- "${HM_DB%.db}.blobs"
fi
