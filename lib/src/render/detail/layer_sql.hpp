#pragma once

// What the layer readers (lib/src/render/layers*.cpp) share: the evidence behind each fact,
// the partnerships the filters keep, the credits of a layer, one reader per layer.

#include <porchlight/render/layers.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::render::layer_detail {

using sink_fn = std::function<void(const feature&)>;

/// --as-of as YYYY-MM-DD (a full day, as `partnerships --as-of`); std::invalid_argument.
std::string as_of_day(const std::string& text);

/// Whether a filter of partnerships (vendor, technology, dates) is given.
bool partnership_filtered(const layer_filter& f);

/// Finite WGS84 coordinates (|lon| <= 180, |lat| <= 90).
bool valid_point(const geo::lonlat& p);

/// One cell of the current row, typed.
report::value cell(const store::Statement& st, int column);

/// The evidence behind one fact: how many citations, from which sources, citing which links.
struct evidence_summary {
    std::int64_t count = 0;
    std::map<std::int64_t, std::string> sources; ///< source id -> title, in id order
    std::vector<std::string> links;              ///< distinct, in citation order
    void merge(const evidence_summary& other);
    std::string sources_text() const; ///< titles joined with "; "
    std::string links_text() const;   ///< URLs joined with " "
};

/// Evidence per fact id, for evidence rows matching `where` (over evidence e), with the
/// links they cite (evidence_links) when with_links.
std::map<std::int64_t, evidence_summary> evidence_by_fact(store::Database& db,
                                                          std::string_view where, bool with_links);

/// A partnership the filters keep, with its columns for the partnerships layer.
struct partnership_row {
    std::int64_t id = 0;
    std::int64_t agency_id = 0;
    std::optional<std::string> vendor;
    std::string technology;
    std::optional<std::string> start;
    std::vector<report::value> properties; ///< the partnerships layer's, up to geocode_precision
    std::optional<geo::lonlat> point;
};
/// The partnerships that vendor, technology, state, as_of, since and until keep (dates
/// only when with_dates), by id.
std::vector<partnership_row> kept_partnerships(store::Database& db, const layer_filter& f,
                                               bool with_dates);

/// "title (sha256 prefix)" of each source, in id order.
std::vector<std::string> credits(store::Database& db, const std::set<std::int64_t>& source_ids);

void stream_agencies(store::Database& db, const layer_filter& f, layer& l, const sink_fn& sink);
void stream_partnerships(store::Database& db, const layer_filter& f, layer& l,
                         const sink_fn& sink);
void stream_requests(store::Database& db, const layer_filter& f, layer& l, const sink_fn& sink);
void stream_cameras(store::Database& db, const std::filesystem::path& data_dir,
                    const layer_filter& f, layer& l, const sink_fn& sink);
void stream_hexbins(store::Database& db, const std::filesystem::path& data_dir,
                    const layer_filter& f, layer& l, const sink_fn& sink);

} // namespace porchlight::render::layer_detail
