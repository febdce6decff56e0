#include <porchlight/config.hpp>
#include <porchlight/error.hpp>
#include <porchlight/geo/geocode_agencies.hpp>
#include <porchlight/geo/geocoder.hpp>
#include <porchlight/geo/online.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <vector>
#include <stdexcept>

namespace fs = std::filesystem;

namespace porchlight::geo {

namespace {

/// The source row of a file kept as reference or manual evidence (created once, its bytes
/// in the blob store).
std::int64_t register_source(store::Store& store, const fs::path& file, const std::string& kind,
                             const std::string& format, const std::string& title,
                             const std::string& dataset) {
    auto& db = store.db();
    const auto sha = util::sha256_file(file);
    {
        store::Statement seen(db, "SELECT id FROM sources WHERE sha256 = ?1");
        seen.bind(1, sha);
        if (seen.step())
            return seen.get_int(0);
    }
    store.blobs().put_file(file, sha);
    std::error_code ec;
    store::Statement ins(db, "INSERT INTO sources (sha256, size, kind, format, file_name, origin, "
                             "title, dataset, as_of, retrieved_at, ingested_at, porchlight_version) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)");
    const auto now = util::now_utc();
    ins.bind(1, sha).bind(2, static_cast<std::int64_t>(fs::file_size(file, ec))).bind(3, kind);
    ins.bind(4, format).bind(5, file.filename().string());
    ins.bind(6, fs::absolute(file).lexically_normal().string()).bind(7, title).bind(8, dataset);
    ins.bind(9, now.substr(0, 10)).bind(10, now).bind(11, config::version).exec();
    return db.last_insert_id();
}

/// The same for a short text made here (a provider's description, a user's note): written
/// to a temporary file named after its hash, registered, and the file removed again.
std::int64_t register_text_source(store::Store& store, const std::string& text,
                                  const std::string& kind, const std::string& format,
                                  const std::string& title, const std::string& dataset) {
    const auto tmp = fs::temp_directory_path() /
                     ("porchlight-" + kind + "-" + util::sha256_hex(text) + ".json");
    struct remove_tmp {
        fs::path p;
        ~remove_tmp() {
            std::error_code ec;
            fs::remove(p, ec);
        }
    } cleanup{tmp};
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        if (!out)
            throw error("cannot write " + tmp.string());
    }
    return register_source(store, tmp, kind, format, title, dataset);
}


/// "places.tsv: Towson, MD" - which gazetteer file and entry placed the agency.
std::string locator_of(const geocode_result& r) {
    switch (r.level) {
    case precision::place:
        return (r.matched_id.rfind("ZIP ", 0) == 0 ? "zips.tsv: " : "places.tsv: ") + r.matched_name;
    case precision::county:
        return "counties.tsv: " + r.matched_id + " " + r.matched_name;
    case precision::state:
        return "states.tsv: " + r.matched_id + " " + r.matched_name;
    default:
        return "gazetteer: no match";
    }
}

std::string format_score(double s) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", s);
    return buf;
}

} // namespace

namespace {

/// Places several agencies, the results in the order of the queries.
using locate_fn =
    std::function<std::vector<geocode_result>(const std::vector<agency_location_query>&)>;

/// locate() one query at a time.
locate_fn one_by_one(std::function<geocode_result(const agency_location_query&)> locate) {
    return [locate = std::move(locate)](const std::vector<agency_location_query>& queries) {
        std::vector<geocode_result> out;
        for (const auto& q : queries)
            out.push_back(locate(q));
        return out;
    };
}

/// What the store holds about a selected agency.
struct stored_row {
    std::int64_t id = 0;
    agency_location_query q;
    std::optional<double> lat, lon;
    std::string level, match_id, warnings, version, provider;
};

/// Geocodes the selected agencies with locate(), chunk agencies at a time, inside the
/// caller's transaction; the evidence cites source_id; version is stored as
/// gazetteer_version (empty: NULL).
geocode_summary run(store::Store& store, const locate_fn& locate, std::size_t chunk,
                    std::int64_t source_id, const std::string& version,
                    const geocode_options& options) {
    auto& db = store.db();
    geocode_summary sum;
    sum.gazetteer_version = version;
    store::Statement select(
        db, "SELECT id, name, kind, ifnull(jurisdiction, ''), ifnull(place, ''), "
            "ifnull(county, ''), ifnull(state, ''), lat, lon, geocode_precision, "
            "ifnull(geocode_match_id, ''), ifnull(geocode_warnings, ''), "
            "ifnull(gazetteer_version, ''), ifnull(geocode_provider, '') FROM agencies "
            "WHERE ifnull(geocode_provider, '') <> 'manual' "
            "AND (?1 = 0 OR geocode_provider IS NULL) AND (?2 IS NULL OR id = ?2) ORDER BY id");
    select.bind(1, static_cast<std::int64_t>(options.only_missing)).bind(2, options.agency);
    store::Statement update(
        db,
        "UPDATE agencies SET lat = ?2, lon = ?3, geocode_precision = ?4, geocode_provider = ?5, "
        "geocode_match = ?6, geocode_match_id = ?7, geocode_score = ?8, geocode_warnings = ?9, "
        "county_fips = ?10, gazetteer_version = ?11, geocoded_at = ?12 WHERE id = ?1");
    store::Statement drop_evidence(db, "DELETE FROM evidence WHERE fact_type = 'location' AND "
                                       "fact_id = ?1 AND source_id IN (SELECT id FROM sources "
                                       "WHERE kind = 'reference')");
    store::Statement add_evidence(db,
                                  "INSERT INTO evidence (fact_type, fact_id, source_id, locator, "
                                  "excerpt) VALUES ('location', ?1, ?2, ?3, ?4)");
    const auto now = util::now_utc();
    std::vector<stored_row> rows;
    std::vector<agency_location_query> queries;
    bool more = true;
    while (more) {
        rows.clear();
        queries.clear();
        while (rows.size() < chunk && (more = select.step())) {
            auto& row = rows.emplace_back();
            row.id = select.get_int(0);
            row.q = {select.get_text(1), select.get_text(2), select.get_text(3),
                     select.get_text(4), select.get_text(5), select.get_text(6)};
            if (!select.is_null(7)) {
                row.lat = select.get_double(7);
                row.lon = select.get_double(8);
            }
            row.level = select.get_text(9);
            row.match_id = select.get_text(10);
            row.warnings = select.get_text(11);
            row.version = select.get_text(12);
            row.provider = select.get_text(13);
            queries.push_back(row.q);
        }
        if (rows.empty())
            break;
        const auto results = locate(queries);
        if (results.size() != rows.size())
            throw error("geocoder answered " + std::to_string(results.size()) + " results for " +
                        std::to_string(rows.size()) + " agencies");
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const auto& row = rows[k];
            const auto& r = results[k];
            std::string warnings;
            util::json_array(warnings, r.warnings);
            ++sum.agencies;
            ++sum.by_precision[std::string(to_string(r.level))];
            sum.with_warnings += !r.warnings.empty();
            if (options.progress && sum.agencies % 1000 == 0)
                options.progress(sum.agencies);
            if (options.commit_every > 0 && sum.agencies % options.commit_every == 0) {
                db.exec("COMMIT");
                db.exec("BEGIN IMMEDIATE");
            }

            // the same answer from the same gazetteer: nothing to write
            const bool same_point = (!row.lat && !r.lat) ||
                                    (row.lat && r.lat && *row.lat == *r.lat && *row.lon == *r.lon);
            if (same_point && row.level == to_string(r.level) && row.match_id == r.matched_id &&
                row.warnings == warnings && row.version == version && row.provider == r.provider)
                continue;
            ++sum.changed;
            update.bind(1, row.id);
            if (r.lat)
                update.bind(2, *r.lat).bind(3, *r.lon);
            else
                update.bind_null(2).bind_null(3);
            update.bind(4, std::string(to_string(r.level))).bind(5, r.provider);
            auto text_or_null = [&](int i, const std::string& v) {
                if (v.empty())
                    update.bind_null(i);
                else
                    update.bind(i, v);
            };
            text_or_null(6, r.matched_name);
            text_or_null(7, r.matched_id);
            update.bind(8, r.score).bind(9, warnings);
            text_or_null(10, r.county_fips);
            text_or_null(11, version);
            update.bind(12, now).exec();
            drop_evidence.bind(1, row.id).exec();
            if (r.level != precision::none) {
                std::string excerpt = std::string(to_string(r.level)) + " " + r.matched_name +
                                      " (" + r.matched_id + "), score " + format_score(r.score);
                if (!r.warnings.empty())
                    excerpt += ", " + std::to_string(r.warnings.size()) + " warning" +
                               (r.warnings.size() == 1 ? "" : "s");
                const auto locator =
                    r.provider == "offline"
                        ? locator_of(r)
                        : "geocode_cache: " + r.provider + " " + row.q.name + ", " + row.q.state;
                add_evidence.bind(1, row.id)
                    .bind(2, source_id)
                    .bind(3, locator)
                    .bind(4, excerpt)
                    .exec();
            }
        }
    }
    return sum;
}

} // namespace

geocode_summary geocode_agencies(store::Store& store, const Gazetteer& gazetteer,
                                 const fs::path& gazetteer_dir, const geocode_options& options) {
    store::Transaction tx(store.db());
    const auto source_id =
        register_source(store, gazetteer_dir / "manifest.json", "reference", "gazetteer",
                        "porchlight gazetteer " + gazetteer.version(), "porchlight-gazetteer");
    auto sum = run(store, one_by_one([&](const agency_location_query& q) {
                       return geocode_offline(gazetteer, q);
                   }),
                   1, source_id, gazetteer.version(), options);
    tx.commit();
    return sum;
}

geocode_summary geocode_agencies_online(store::Store& store, OnlineGeocoder& provider,
                                        const geocode_options& options) {
    store::Transaction tx(store.db());
    // the provider as a source: a small description of what was asked where
    const auto& o = provider.options();
    std::string doc = "{\"provider\":";
    util::append_json_string(doc, o.provider);
    doc += ",\"base_url\":";
    util::append_json_string(doc, o.base_url);
    doc += "}\n";
    const auto source_id =
        register_text_source(store, doc, "reference", "geocoder",
                             o.provider + " geocoder at " + o.base_url, "geocoder-" + o.provider);
    // census has a batch endpoint; nominatim goes agency by agency
    auto sum = o.provider == "census" ? run(
                                            store,
                                            [&](const std::vector<agency_location_query>& queries) {
                                                return provider.geocode_batch(queries);
                                            },
                                            OnlineGeocoder::batch_size, source_id, "", options)
                                      : run(store, one_by_one([&](const agency_location_query& q) {
                                                return provider.geocode(q);
                                            }),
                                            1, source_id, "", options);
    tx.commit();
    return sum;
}

void set_location(store::Store& store, std::int64_t agency_id, double lat, double lon,
                  const std::string& level, const std::string& note) {
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))
        throw std::invalid_argument("a point needs --lat in [-90, 90] and --lon in [-180, 180]");
    if (util::trim(note).empty())
        throw std::invalid_argument("--note is required: say where the point comes from");
    if (level != "address" && level != "place" && level != "county_subdivision" &&
        level != "county" && level != "state")
        throw std::invalid_argument("unknown precision '" + level +
                                    "' (address, place, county_subdivision, county, state)");
    auto& db = store.db();
    store::Transaction tx(db);
    // the note is kept as a small file in the blob store, so the evidence has bytes to cite
    const auto now = util::now_utc();
    std::string doc = "{\"agency\":" + std::to_string(agency_id) + ",\"lat\":";
    char num[64];
    std::snprintf(num, sizeof num, "%.7f,\"lon\":%.7f", lat, lon);
    doc += num;
    doc += ",\"precision\":";
    util::append_json_string(doc, level);
    doc += ",\"note\":";
    util::append_json_string(doc, note);
    doc += ",\"at\":\"" + now + "\"}\n";
    const auto source_id = register_text_source(store, doc, "manual", "note",
                                                "manual location of agency " +
                                                    std::to_string(agency_id),
                                                "manual-locations");
    store::Statement update(
        db, "UPDATE agencies SET lat = ?2, lon = ?3, geocode_precision = ?4, geocode_provider = "
            "'manual', geocode_match = ?5, geocode_match_id = NULL, geocode_score = 1, "
            "geocode_warnings = '[]', gazetteer_version = NULL, geocoded_at = ?6 WHERE id = ?1");
    update.bind(1, agency_id).bind(2, lat).bind(3, lon).bind(4, level).bind(5, note).bind(6, now).exec();
    if (db.changes() == 0)
        throw not_found_error("no agency with id " + std::to_string(agency_id));
    store::Statement drop(db, "DELETE FROM evidence WHERE fact_type = 'location' AND fact_id = ?1");
    drop.bind(1, agency_id).exec();
    store::Statement add(db, "INSERT INTO evidence (fact_type, fact_id, source_id, locator, excerpt) "
                             "VALUES ('location', ?1, ?2, 'manual note', ?3)");
    add.bind(1, agency_id).bind(2, source_id).bind(3, note).exec();
    tx.commit();
}

report::table geocode_counts(store::Database& db) {
    store::Statement st(
        db, "SELECT p.precision, (SELECT count(*) FROM agencies a WHERE a.geocode_precision = "
            "p.precision) AS agencies, (SELECT count(*) FROM agencies a WHERE a.geocode_precision = "
            "p.precision AND a.geocode_warnings IS NOT NULL AND a.geocode_warnings <> '[]') "
            "AS with_warnings FROM (SELECT 1 AS o, 'address' AS precision UNION ALL "
            "SELECT 2, 'place' UNION ALL SELECT 3, 'county_subdivision' UNION ALL "
            "SELECT 4, 'county' UNION ALL SELECT 5, 'state' UNION ALL SELECT 6, 'none') p "
            "ORDER BY p.o");
    return report::collect(st);
}

report::table geocode_warnings(store::Database& db) {
    store::Statement st(
        db, "SELECT a.id, a.name, a.state, a.geocode_precision AS precision, a.geocode_match AS "
            "matched, w.value AS warning FROM agencies a JOIN json_each(a.geocode_warnings) w "
            "WHERE a.geocode_warnings IS NOT NULL ORDER BY a.state, a.name, a.id, w.key");
    return report::collect(st);
}

} // namespace porchlight::geo
