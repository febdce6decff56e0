// History of the store's datasets: snapshots (records sources) compared with each other
// (`porchlight diff`) and every dated observation about one agency (`porchlight timeline`).
// Everything here is read from evidence rows and sources.as_of; nothing is written.
#include <porchlight/error.hpp>
#include "detail/history.hpp"

#include <porchlight/report/history.hpp>
#include <porchlight/resolve/claims.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace porchlight::report {

namespace {

using namespace detail;





std::string describe(const snapshot& s) {
    return s.as_of + " (source " + std::to_string(s.source_id) + ", " + s.sha256.substr(0, 12) +
           ")";
}

/// "atlas-of-surveillance (2 snapshots), ring-agency-map (1 snapshot)": the datasets with at
/// least min snapshots; names gets their keys.
std::string describe_datasets(const std::vector<snapshot>& snaps, std::size_t min = 1,
                              std::vector<std::string>* names = nullptr) {
    std::map<std::string, std::size_t> n;
    for (const auto& s : snaps)
        ++n[s.dataset];
    std::vector<std::string> parts;
    for (const auto& [name, count] : n)
        if (count >= min) {
            parts.push_back(name + " (" + plural(static_cast<std::int64_t>(count), "snapshot") +
                            ")");
            if (names)
                names->push_back(name);
        }
    return parts.empty() ? std::string("none") : join(parts, ", ");
}

snapshot by_sha(store::Database& db, const std::vector<snapshot>& snaps, const std::string& prefix,
                const std::string& option) {
    store::Statement st(db, "SELECT count(*), min(id), min(kind), group_concat('source ' || id || "
                            "' (' || coalesce(title, file_name) || ')', ', ') FROM sources "
                            "WHERE sha256 LIKE ?1 || '%'");
    st.bind(1, prefix);
    st.step();
    if (st.get_int(0) == 0)
        throw not_found_error(option + ": no source has a SHA-256 that starts with " + prefix);
    if (st.get_int(0) > 1)
        throw not_found_error(option + ": SHA-256 prefix " + prefix + " names " +
                              plural(st.get_int(0), "source") + ": " + st.get_text(3) +
                              "; give more digits");
    for (const auto& s : snaps)
        if (s.source_id == st.get_int(1))
            return s;
    throw not_found_error(option + ": " + st.get_text(3) + " is a " + st.get_text(2) +
                          " source, not a snapshot of a dataset");
}

std::string choose_dataset(const diff_request& r, const std::vector<snapshot>& snaps,
                           const std::optional<snapshot>& sha_side) {
    if (r.source) {
        const auto want = util::to_lower_ascii(util::trim(*r.source));
        for (const auto& s : snaps)
            if (util::to_lower_ascii(s.dataset) == want)
                return s.dataset;
        std::set<std::string> by_title;
        for (const auto& s : snaps)
            if (s.title == util::trim(*r.source))
                by_title.insert(s.dataset);
        if (by_title.size() == 1)
            return *by_title.begin();
        if (by_title.size() > 1)
            throw not_found_error("'" + *r.source +
                                  "' is the title of snapshots of several datasets (" +
                                  join({by_title.begin(), by_title.end()}, ", ") +
                                  "); name the dataset with --source");
        throw not_found_error("no dataset or source title '" + *r.source +
                              "'; datasets: " + describe_datasets(snaps));
    }
    if (sha_side)
        return sha_side->dataset;
    std::vector<std::string> several;
    const auto listing = describe_datasets(snaps, 2, &several);
    if (several.size() == 1)
        return several.front();
    if (several.empty())
        throw not_found_error("no dataset has two snapshots to compare; datasets: " +
                              describe_datasets(snaps));
    throw not_found_error("several datasets have two or more snapshots: " + listing +
                          "; name one with --source");
}

snapshot by_date(const std::vector<snapshot>& snaps, const std::string& dataset,
                 const std::string& day, const std::string& option) {
    std::vector<snapshot> mine, best;
    for (const auto& s : snaps)
        if (s.dataset == dataset) {
            mine.push_back(s);
            if (s.as_of <= day && (best.empty() || s.as_of > best.front().as_of))
                best = {s};
            else if (!best.empty() && s.as_of == best.front().as_of)
                best.push_back(s);
        }
    std::vector<std::string> listing;
    for (const auto& s : (best.empty() ? mine : best))
        listing.push_back(describe(s));
    if (best.empty())
        throw not_found_error(option + ": no snapshot of " + dataset + " is as of " + day +
                              " or earlier; its snapshots: " + join(listing, ", "));
    if (best.size() > 1)
        throw not_found_error(option + ": " +
                              plural(static_cast<std::int64_t>(best.size()), "snapshot") + " of " +
                              dataset + " are as of " + best.front().as_of + ": " +
                              join(listing, ", ") + "; name one by its SHA-256");
    return best.front();
}

/// What one snapshot says about one agency or partnership.
struct seen {
    std::vector<std::string> locators;
    std::vector<resolve::date_claim> starts, ends;
    std::set<std::string> names; ///< agencies: the spellings as written
};
struct contents {
    std::map<std::int64_t, seen> agencies, partnerships;
};

contents load(store::Database& db, std::int64_t source_id) {
    store::Statement st(db, "SELECT fact_type, fact_id, locator, excerpt, claim_start, "
                            "claim_start_precision, claim_end, claim_end_precision FROM evidence "
                            "WHERE source_id = ?1 AND (fact_type = 'agency' OR fact_type = "
                            "'partnership') ORDER BY id");
    st.bind(1, source_id);
    contents c;
    while (st.step()) {
        const bool agency = st.get_text(0) == "agency";
        auto& s = (agency ? c.agencies : c.partnerships)[st.get_int(1)];
        if (std::find(s.locators.begin(), s.locators.end(), st.get_text(2)) == s.locators.end())
            s.locators.push_back(st.get_text(2));
        if (agency)
            s.names.insert(st.get_text(3));
        if (!agency && !st.is_null(4))
            s.starts.push_back({st.get_text(4), st.get_text(5)});
        if (!agency && !st.is_null(6))
            s.ends.push_back({st.get_text(6), st.get_text(7)});
    }
    return c;
}

struct fact_info {
    std::int64_t agency_id = 0, technology_id = 0;
    std::string agency;
    text state, vendor, technology;
};

std::map<std::int64_t, fact_info> load_info(store::Database& db, const std::string& sql,
                                            std::int64_t a, std::int64_t b) {
    store::Statement st(db, sql);
    st.bind(1, a).bind(2, b);
    std::map<std::int64_t, fact_info> out;
    while (st.step())
        out[st.get_int(0)] = {st.get_int(1),           st.get_int(2),
                              st.get_text(3),          st.get_optional_text(4),
                              st.get_optional_text(5), st.get_optional_text(6)};
    return out;
}

text chosen(const std::vector<resolve::date_claim>& claims, bool end) {
    auto c = end ? resolve::choose_end(claims) : resolve::choose_start(claims);
    return c ? text(c->date.date) : std::nullopt;
}

std::string cite(std::int64_t source_id, const std::vector<std::string>& locators) {
    return "source " + std::to_string(source_id) + " " + join(locators, ", ");
}

} // namespace

namespace detail {

value cell(const text& s) {
    return s ? value(*s) : value(std::monostate{});
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : std::string(sep)) + p;
    return out;
}

std::string plural(std::int64_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// Every records source (or every source), oldest snapshot first; a source without a dataset
/// key is a snapshot of the list named by its title.
std::vector<snapshot> all_snapshots(store::Database& db, bool records_only) {
    store::Statement st(db,
                        "SELECT id, coalesce(nullif(dataset, ''), title, file_name), "
                        "coalesce(title, file_name), coalesce(as_of, substr(ingested_at, 1, 10)), "
                        "sha256 FROM sources WHERE ?1 = 0 OR kind = 'records' ORDER BY 4, 1");
    st.bind(1, static_cast<std::int64_t>(records_only));
    std::vector<snapshot> out;
    while (st.step())
        out.push_back(
            {st.get_int(0), st.get_text(1), st.get_text(2), st.get_text(3), st.get_text(4)});
    return out;
}

} // namespace detail

snapshot_ref parse_snapshot_ref(std::string_view value) {
    const auto t = util::trim(value);
    std::string reason;
    try {
        if (auto d = util::parse_date(t); d && d->precision == util::date_precision::day)
            return {snapshot_ref::kind::date, d->iso()};
        reason = "'" + t + "' is not a full date (YYYY-MM-DD)";
    } catch (const std::invalid_argument& e) {
        reason = e.what();
    }
    const bool hex = t.size() >= 6 && t.size() <= 64 &&
                     t.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
    if (hex)
        return {snapshot_ref::kind::sha256, util::to_lower_ascii(t)};
    if (t.empty())
        reason = "empty value";
    throw std::invalid_argument(reason + "; give a full date (YYYY-MM-DD) or a SHA-256 prefix "
                                         "of 6 or more hex digits");
}

diff_result diff(store::Database& db, const diff_request& r) {
    const auto snaps = all_snapshots(db);
    std::optional<snapshot> from, to;
    if (r.from.by == snapshot_ref::kind::sha256)
        from = by_sha(db, snaps, r.from.value, "--from");
    if (r.to.by == snapshot_ref::kind::sha256)
        to = by_sha(db, snaps, r.to.value, "--to");
    const auto dataset = choose_dataset(r, snaps, from ? from : to);
    for (auto [side, option] : {std::pair{&from, "--from"}, std::pair{&to, "--to"}})
        if (*side && (*side)->dataset != dataset)
            throw not_found_error(std::string(option) + ": source " +
                                  std::to_string((*side)->source_id) + " (" + (*side)->title +
                                  ") is a snapshot of " + (*side)->dataset + ", not of " + dataset);
    if (!from)
        from = by_date(snaps, dataset, r.from.value, "--from");
    if (!to)
        to = by_date(snaps, dataset, r.to.value, "--to");

    const auto a = load(db, from->source_id), b = load(db, to->source_id);
    const auto agencies = load_info(
        db,
        "SELECT id, id, 0, name, state, NULL, NULL FROM agencies WHERE id IN (SELECT fact_id "
        "FROM evidence WHERE fact_type = 'agency' AND source_id IN (?1, ?2))",
        from->source_id, to->source_id);
    const auto partnerships = load_info(
        db,
        "SELECT p.id, p.agency_id, p.technology_id, a.name, a.state, v.name, t.name "
        "FROM partnerships p JOIN agencies a ON a.id = p.agency_id JOIN technologies t ON "
        "t.id = p.technology_id LEFT JOIN vendors v ON v.id = p.vendor_id WHERE p.id IN "
        "(SELECT fact_id FROM evidence WHERE fact_type = 'partnership' AND source_id IN (?1, ?2))",
        from->source_id, to->source_id);
    const auto ev_from = [&](const seen* s) {
        return s ? text(cite(from->source_id, s->locators)) : std::nullopt;
    };
    const auto ev_to = [&](const seen* s) {
        return s ? text(cite(to->source_id, s->locators)) : std::nullopt;
    };
    // sort key (change, agency, state, technology, vendor, what, field, from, to) and row
    std::vector<std::pair<std::vector<std::string>, std::vector<value>>> rows;
    // info: an agency (no technology) or a partnership; x, y: what each side says about it
    const auto add = [&](const char* change, const fact_info& info, const seen* x, const seen* y,
                         text field = {}, text was = {}, text is = {}) {
        const char* what = info.technology ? "partnership" : "agency";
        rows.push_back(
            {{change, info.agency, info.state.value_or(""), info.technology.value_or(""),
              info.vendor.value_or(""), what, field.value_or(""), was.value_or(""),
              is.value_or("")},
             {change, what, info.agency, cell(info.state), cell(info.vendor), cell(info.technology),
              cell(field), cell(was), cell(is), cell(ev_from(x)), cell(ev_to(y))}});
    };
    // agencies: in one snapshot only, or named otherwise
    for (const auto& [id, s] : a.agencies)
        if (!b.agencies.count(id))
            add("disappeared", agencies.at(id), &s, nullptr);
    for (const auto& [id, s] : b.agencies) {
        auto old = a.agencies.find(id);
        if (old == a.agencies.end())
            add("appeared", agencies.at(id), nullptr, &s);
        else if (old->second.names != s.names)
            add("changed", agencies.at(id), &old->second, &s, "name",
                join({old->second.names.begin(), old->second.names.end()}, " | "),
                join({s.names.begin(), s.names.end()}, " | "));
    }
    // partnerships: the same one in both compares its dates; one that left and one that came
    // for the same agency and technology (one each) is a vendor change
    const auto compare = [&](const fact_info& info, const seen& x, const seen& y) {
        for (const bool end : {false, true}) {
            auto was = chosen(end ? x.ends : x.starts, end),
                 is = chosen(end ? y.ends : y.starts, end);
            if (was != is)
                add("changed", info, &x, &y, end ? "end" : "start", was, is);
        }
    };
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::int64_t>> gone, came;
    for (const auto& [id, s] : a.partnerships) {
        const auto& info = partnerships.at(id);
        if (auto other = b.partnerships.find(id); other != b.partnerships.end())
            compare(info, s, other->second);
        else
            gone[{info.agency_id, info.technology_id}].push_back(id);
    }
    for (const auto& [id, s] : b.partnerships)
        if (!a.partnerships.count(id))
            came[{partnerships.at(id).agency_id, partnerships.at(id).technology_id}].push_back(id);
    for (const auto& [key, ids] : gone) {
        if (auto c = came.find(key); ids.size() == 1 && c != came.end() && c->second.size() == 1) {
            const auto& info = partnerships.at(c->second.front());
            const auto& x = a.partnerships.at(ids.front());
            const auto& y = b.partnerships.at(c->second.front());
            add("changed", info, &x, &y, "vendor", partnerships.at(ids.front()).vendor,
                info.vendor);
            compare(info, x, y);
            came.erase(c);
            continue;
        }
        for (auto id : ids)
            add("disappeared", partnerships.at(id), &a.partnerships.at(id), nullptr);
    }
    for (const auto& [key, ids] : came)
        for (auto id : ids)
            add("appeared", partnerships.at(id), nullptr, &b.partnerships.at(id));
    std::sort(rows.begin(), rows.end());
    diff_result res{*from, *to, {}};
    res.changes.columns = {"change", "what", "agency", "state",         "vendor",     "technology",
                           "field",  "from", "to",     "from_evidence", "to_evidence"};
    for (auto& row : rows)
        res.changes.rows.push_back(std::move(row.second));
    return res;
}

} // namespace porchlight::report
