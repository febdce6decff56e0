#include <porchlight/geo/geocode_agencies.hpp>
#include <porchlight/geo/geocoder.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

namespace porchlight::geo {

geocode_summary geocode_agencies(store::Database& db, const Gazetteer& gazetteer,
                                 const geocode_options& options) {
    geocode_summary sum;
    sum.gazetteer_version = gazetteer.version();
    store::Transaction tx(db);
    store::Statement select(
        db, "SELECT id, name, kind, ifnull(jurisdiction, ''), ifnull(place, ''), "
            "ifnull(county, ''), ifnull(state, '') FROM agencies "
            "WHERE ifnull(geocode_provider, '') <> 'manual' "
            "AND (?1 = 0 OR geocode_provider IS NULL) AND (?2 IS NULL OR id = ?2) ORDER BY id");
    select.bind(1, static_cast<std::int64_t>(options.only_missing)).bind(2, options.agency);
    store::Statement update(
        db, "UPDATE agencies SET lat = ?2, lon = ?3, geocode_precision = ?4, geocode_provider = ?5, "
            "geocode_match = ?6, geocode_match_id = ?7, geocode_score = ?8, geocode_warnings = ?9, "
            "county_fips = ?10, gazetteer_version = ?11, geocoded_at = ?12 WHERE id = ?1");
    const auto now = util::now_utc();
    std::string warnings;
    while (select.step()) {
        agency_location_query q{select.get_text(1), select.get_text(2), select.get_text(3),
                                select.get_text(4), select.get_text(5), select.get_text(6)};
        const auto r = geocode_offline(gazetteer, q);
        warnings.assign(1, '[');
        for (std::size_t i = 0; i < r.warnings.size(); ++i) {
            if (i)
                warnings += ',';
            util::append_json_string(warnings, r.warnings[i]);
        }
        warnings += ']';
        update.bind(1, select.get_int(0));
        if (r.lat) {
            update.bind(2, *r.lat).bind(3, *r.lon);
        } else {
            update.bind_null(2).bind_null(3);
        }
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
        update.bind(11, gazetteer.version()).bind(12, now).exec();
        ++sum.agencies;
        ++sum.by_precision[std::string(to_string(r.level))];
        sum.with_warnings += !r.warnings.empty();
        if (options.progress && sum.agencies % 1000 == 0)
            options.progress(sum.agencies);
    }
    tx.commit();
    return sum;
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
