// Findings as the researcher sees them: excerpts (masked like `search --redact`, through
// the same snippet code), the filters `findings` and `report audit` share, and reviews.
#include <porchlight/audit/audit.hpp>
#include <porchlight/error.hpp>
#include <porchlight/report/documents.hpp>
#include <porchlight/util/date.hpp>

#include <algorithm>

namespace porchlight::audit {

namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// Bytes around a match that an excerpt may show (make_snippet cuts it to its width).
constexpr std::size_t excerpt_margin = 2000;
constexpr std::size_t excerpt_width = 240;

/// Bytes of an invisible character at i: U+200B-U+200D, U+2060, U+FEFF, U+00A0, U+034F.
std::size_t invisible_length(std::string_view s, std::size_t i) {
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    if (i + 1 < s.size() && ((at(0) == 0xC2 && at(1) == 0xA0) || (at(0) == 0xCD && at(1) == 0x8F)))
        return 2;
    if (i + 2 < s.size() && at(0) == 0xE2 && at(1) == 0x80 && at(2) >= 0x8B && at(2) <= 0x8D)
        return 3;
    if (i + 2 < s.size() && at(0) == 0xE2 && at(1) == 0x81 && at(2) == 0xA0)
        return 3;
    if (i + 2 < s.size() && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF)
        return 3;
    return 0;
}

} // namespace

std::vector<std::tuple<std::size_t, std::size_t, std::string>>
page_personal_data(store::Database& db, std::int64_t page_id) {
    store::Statement st(db, "SELECT begin, end, kind FROM personal_data WHERE page_id = ?1 "
                            "ORDER BY begin, end");
    st.bind(1, page_id);
    std::vector<std::tuple<std::size_t, std::size_t, std::string>> out;
    while (st.step()) {
        const auto b = static_cast<std::size_t>(st.get_int(0));
        const auto e = static_cast<std::size_t>(st.get_int(1));
        if (!out.empty() && b < std::get<1>(out.back())) // overlapping: extend the last
            std::get<1>(out.back()) = std::max(std::get<1>(out.back()), e);
        else
            out.emplace_back(b, e, st.get_text(2));
    }
    return out;
}

std::string excerpt_of(std::string_view text, span match,
                       const std::vector<std::tuple<std::size_t, std::size_t, std::string>>& personal) {
    match.end = std::min(match.end, text.size());
    match.begin = std::min(match.begin, match.end);
    std::size_t wb = match.begin > excerpt_margin ? match.begin - excerpt_margin : 0;
    while (wb > 0 && is_continuation(text[wb]))
        --wb;
    std::size_t we = std::min(text.size(), match.end + excerpt_margin);
    while (we < text.size() && is_continuation(text[we]))
        ++we;
    // The window compacted: runs of white space and invisible fillers (zero-width spaces and
    // joiners, no-break spaces, a byte-order mark) as one space, so that a mail's filler
    // does not eat the excerpt; the text's own \x02 and \x03 are not markers. at[] maps
    // each offset of the window to the compacted text, for the match and the spans.
    std::string compact;
    compact.reserve(we - wb);
    std::vector<std::size_t> at(we - wb + 1, 0);
    bool space = false;
    for (std::size_t i = wb; i < we;) {
        const auto limit = i < match.begin ? match.begin : i < match.end ? match.end : we;
        auto n = invisible_length(text, i);
        if (n == 0 || i + n > limit)
            n = 0;
        const char c = text[i];
        const bool blank = n > 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        const auto len = n > 0 ? n : 1;
        for (std::size_t k = 0; k < len; ++k)
            at[i - wb + k] = compact.size();
        if (blank) {
            if (!space)
                compact += ' ';
        } else {
            compact += c == '\x02' || c == '\x03' ? ' ' : c;
        }
        space = blank;
        i += len;
    }
    at[we - wb] = compact.size();
    const auto mb = at[match.begin - wb], me = at[match.end - wb];
    const auto marked = compact.substr(0, mb) + '\x02' + compact.substr(mb, me - mb) + '\x03' +
                        compact.substr(me);
    std::vector<std::tuple<std::size_t, std::size_t, std::string>> spans;
    for (const auto& [b, e, kind] : personal)
        if (e > wb && b < we && at[std::min(e, we) - wb] > at[std::max(b, wb) - wb])
            spans.emplace_back(at[std::max(b, wb) - wb], at[std::min(e, we) - wb], kind);
    auto out = report::make_snippet(marked, spans, excerpt_width);
    // a long run without spaces (hostile text) would run the snippet to the window's end
    const auto close = out.find("»");
    auto cut = std::max<std::size_t>(3 * excerpt_width, close == std::string::npos ? 0 : close + 2);
    if (out.size() > cut + 3) {
        while (cut > 0 && is_continuation(out[cut]))
            --cut;
        out.resize(cut);
        out += "…";
    }
    return out;
}

std::string filter_sql(const finding_filter&) {
    return " AND (?1 IS NULL OR f.rule_id = ?1) AND (?2 IS NULL OR f.agency_id = ?2) "
           "AND (?3 IS NULL OR instr(lower(f.agency), lower(?3)) > 0) "
           "AND (?4 IS NULL OR f.source_id = ?4) AND (?5 IS NULL OR substr(f.date, 1, 10) >= ?5)";
}

void bind_filter(store::Statement& st, const finding_filter& f) {
    st.bind(1, f.rule);
    std::optional<std::int64_t> id;
    std::optional<std::string> name;
    if (f.agency) {
        const auto& a = *f.agency;
        if (!a.empty() && a.size() < 18 && a.find_first_not_of("0123456789") == std::string::npos)
            id = std::stoll(a);
        else
            name = a;
    }
    st.bind(2, id);
    st.bind(3, name);
    st.bind(4, f.source);
    st.bind(5, f.since);
}

report::table list_findings(store::Database& db, const finding_filter& f) {
    store::Statement st(
        db, "SELECT f.id, f.rule_id AS rule, "
            "(SELECT json_extract(j.value, '$.label') FROM json_each(c.rules) j "
            " WHERE json_extract(j.value, '$.id') = f.rule_id) AS label, "
            "(SELECT json_extract(j.value, '$.severity') FROM json_each(c.rules) j "
            " WHERE json_extract(j.value, '$.id') = f.rule_id) AS severity, "
            "f.agency, f.date, r.decision AS review, f.source_id AS source, d.path AS document, "
            "f.page_no AS page, f.message_id AS email, f.begin, f.end, f.excerpt, c.name AS "
            "codebook, r.note AS review_note, f.finding_key AS key, f.page_id "
            "FROM findings f JOIN codebooks c ON c.id = f.codebook_id "
            "JOIN documents d ON d.id = f.document_id "
            "LEFT JOIN finding_reviews r ON r.finding_key = f.finding_key "
            "WHERE f.removed_run_id IS NULL" +
                filter_sql(f) +
                " ORDER BY f.agency IS NULL, f.agency, f.rule_id, f.date, f.source_id, "
                "d.path, f.page_no, f.begin, f.id");
    bind_filter(st, f);
    auto t = report::collect(st);
    if (f.include_personal_data) {
        store::Statement page(db, "SELECT text FROM pages WHERE id = ?1");
        for (auto& row : t.rows) {
            page.bind(1, std::get<std::int64_t>(row[17]));
            if (page.step())
                row[13] = excerpt_of(page.get_text(0),
                                     {static_cast<std::size_t>(std::get<std::int64_t>(row[11])),
                                      static_cast<std::size_t>(std::get<std::int64_t>(row[12]))},
                                     {});
            page.reset();
        }
    }
    t.columns.pop_back(); // page_id: only for the excerpt
    for (auto& row : t.rows)
        row.pop_back();
    return t;
}

std::string review_finding(store::Database& db, std::int64_t id, bool accept,
                           const std::optional<std::string>& note) {
    std::string key;
    {
        store::Statement st(db, "SELECT finding_key FROM findings WHERE id = ?1");
        st.bind(1, id);
        if (!st.step())
            throw not_found_error("no finding with id " + std::to_string(id) +
                                  " (see `porchlight findings`)");
        key = st.get_text(0);
    }
    store::Transaction tx(db);
    store::Statement st(db, "INSERT INTO finding_reviews (finding_key, decision, note, reviewed_at) "
                            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (finding_key) DO UPDATE SET "
                            "decision = excluded.decision, note = excluded.note, "
                            "reviewed_at = excluded.reviewed_at");
    st.bind(1, key).bind(2, accept ? "accepted" : "rejected").bind(3, note).bind(4, util::now_utc());
    st.exec();
    tx.commit();
    return key;
}

} // namespace porchlight::audit
