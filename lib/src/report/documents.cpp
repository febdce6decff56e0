#include <porchlight/docs/personal_data.hpp>
#include <porchlight/error.hpp>
#include <porchlight/report/documents.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace porchlight::report {

namespace {

constexpr char mark_open = '\x02';
constexpr char mark_close = '\x03';

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// "since"/"until" as SQL conditions on a date expression (text starting YYYY-MM-DD).
std::string date_conditions(const std::string& expr, const std::optional<std::string>& since,
                            const std::optional<std::string>& until, int since_param,
                            int until_param) {
    std::string sql;
    if (since)
        sql += " AND substr(" + expr + ", 1, 10) >= ?" + std::to_string(since_param);
    if (until)
        sql += " AND substr(" + expr + ", 1, 10) <= ?" + std::to_string(until_param);
    return sql;
}

std::string redact_all(const std::string& s) {
    return docs::redact(s, docs::find_personal_data(s));
}

} // namespace

std::int64_t find_source(store::Database& db, const std::string& name) {
    const auto t = util::trim(name);
    if (!t.empty() && std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); })) {
        store::Statement st(db, "SELECT id FROM sources WHERE id = ?1");
        st.bind(1, static_cast<std::int64_t>(std::stoll(t)));
        if (st.step())
            return st.get_int(0);
        throw not_found_error("no source with id " + t + " (see `porchlight sources`)");
    }
    store::Statement st(db, "SELECT id FROM sources WHERE title = ?1 OR file_name = ?1 OR "
                            "(length(?1) >= 6 AND sha256 LIKE lower(?1) || '%') ORDER BY id");
    st.bind(1, t);
    std::vector<std::int64_t> ids;
    while (st.step())
        ids.push_back(st.get_int(0));
    if (ids.size() == 1)
        return ids.front();
    if (ids.empty())
        throw not_found_error("no source named '" + t +
                              "' (give an id, a title, a file name or a sha256 prefix; see "
                              "`porchlight sources`)");
    std::string list;
    for (auto id : ids)
        list += (list.empty() ? "" : ", ") + std::to_string(id);
    throw not_found_error("'" + t + "' names " + std::to_string(ids.size()) + " sources (" +
                          list + "); give the id");
}

table documents(store::Database& db, const document_filter& f) {
    std::string sql =
        "SELECT d.id, d.source_id, ifnull(s.title, s.file_name) AS source, d.path, d.kind, "
        "d.page_count AS pages, "
        "(SELECT count(*) FROM pages p WHERE p.document_id = d.id AND p.needs_ocr) AS needs_ocr, "
        "(SELECT count(*) FROM message_documents md WHERE md.document_id = d.id) AS emails, "
        "(SELECT count(*) FROM personal_data pd JOIN pages p ON p.id = pd.page_id "
        " WHERE p.document_id = d.id) AS personal_data, "
        "d.status, d.error, d.title, d.date, d.size, substr(d.sha256, 1, 12) AS sha256 "
        "FROM documents d JOIN sources s ON s.id = d.source_id WHERE 1";
    if (f.source)
        sql += " AND d.source_id = ?1";
    if (f.kind)
        sql += " AND d.kind = ?2";
    if (f.failed_only)
        sql += " AND d.status = 'failed'";
    sql += " ORDER BY d.source_id, d.id";
    store::Statement st(db, sql);
    if (f.source)
        st.bind(1, *f.source);
    if (f.kind)
        st.bind(2, *f.kind);
    return collect(st);
}

table messages(store::Database& db, const message_filter& f) {
    std::string sql =
        "SELECT m.id, coalesce(m.sent_utc, m.sent_local) AS sent, "
        "CASE WHEN m.sent_utc IS NULL AND m.sent_local IS NOT NULL THEN 'local' "
        "ELSE m.sent_offset END AS offset, m.from_addr AS \"from\", m.to_addrs AS \"to\", "
        "m.cc_addrs AS cc, m.subject, m.class, m.message_id, m.found_in, m.source_id, m.document "
        "FROM messages m WHERE 1";
    sql += date_conditions("coalesce(m.sent_utc, m.sent_local)", f.since, f.until, 1, 2);
    if (f.from)
        sql += " AND instr(lower(m.from_addr), lower(?3)) > 0";
    if (f.subject)
        sql += " AND instr(lower(m.subject), lower(?4)) > 0";
    if (f.cls)
        sql += *f.cls == "none" ? " AND m.class IS NULL" : " AND m.class = ?5";
    if (f.source)
        sql += " AND EXISTS (SELECT 1 FROM message_documents md JOIN documents d ON "
               "d.id = md.document_id WHERE md.message_id = m.id AND d.source_id = ?6)";
    sql += " ORDER BY coalesce(m.sent_utc, m.sent_local), m.id";
    store::Statement st(db, sql);
    if (f.since)
        st.bind(1, *f.since);
    if (f.until)
        st.bind(2, *f.until);
    if (f.from)
        st.bind(3, *f.from);
    if (f.subject)
        st.bind(4, *f.subject);
    if (f.cls && *f.cls != "none")
        st.bind(5, *f.cls);
    if (f.source)
        st.bind(6, *f.source);
    auto t = collect(st);
    if (f.redact) {
        for (auto& row : t.rows)
            for (std::size_t c = 3; c <= 6; ++c)
                if (auto* s = std::get_if<std::string>(&row[c]))
                    *s = redact_all(*s);
    }
    return t;
}

std::string make_snippet(std::string_view text,
                         const std::vector<std::tuple<std::size_t, std::size_t, std::string>>& spans,
                         std::size_t width) {
    // 1. mask personal data: walk the marked text keeping the offset into the unmarked one
    std::string masked;
    if (!spans.empty()) {
        masked.reserve(text.size());
        std::size_t orig = 0, next = 0;
        for (std::size_t i = 0; i < text.size();) {
            const char c = text[i];
            if (c == mark_open || c == mark_close) {
                masked += c;
                ++i;
                continue;
            }
            while (next < spans.size() && std::get<1>(spans[next]) <= orig)
                ++next;
            if (next < spans.size() && std::get<0>(spans[next]) == orig) {
                const auto& kind = std::get<2>(spans[next]);
                masked += kind == "street_address" ? "[street address]" : "[" + kind + "]";
                // skip the span's bytes (and any markers inside it: a masked match is no match)
                while (i < text.size() && orig < std::get<1>(spans[next])) {
                    if (text[i] != mark_open && text[i] != mark_close)
                        ++orig;
                    ++i;
                }
                ++next;
                continue;
            }
            masked += c;
            ++orig;
            ++i;
        }
        text = masked;
    }
    // 2. the window: from a little before the first match
    auto hit = text.find(mark_open);
    if (hit == std::string_view::npos)
        hit = 0;
    std::size_t begin = hit > width / 3 ? hit - width / 3 : 0;
    while (begin > 0 && is_continuation(text[begin]))
        --begin;
    if (begin > 0) { // start at a word
        const auto sp = text.find_first_of(" \n\t", begin);
        if (sp != std::string_view::npos && sp < hit)
            begin = sp + 1;
    }
    std::size_t end = std::min(text.size(), begin + width);
    while (end < text.size() && is_continuation(text[end]))
        ++end;
    if (end < text.size()) { // end at a word, after any open match closes
        const auto close = text.find(mark_close, hit);
        const auto sp = text.find_first_of(" \n\t", std::max(end, close == std::string_view::npos ? end : close));
        end = sp == std::string_view::npos ? text.size() : std::min(sp, end + 40);
        while (end < text.size() && is_continuation(text[end]))
            ++end;
    }
    // 3. fold whitespace, markers to « »
    std::string out;
    if (begin > 0)
        out += "…";
    bool space = false, open = false;
    for (std::size_t i = begin; i < end; ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            space = true;
            continue;
        }
        if (space && !out.empty() && out != "…")
            out += ' ';
        space = false;
        if (c == mark_open) {
            out += "«";
            open = true;
        } else if (c == mark_close) {
            out += "»";
            open = false;
        } else {
            out += c;
        }
    }
    if (open)
        out += "»";
    if (end < text.size())
        out += "…";
    return out;
}

table search(store::Database& db, const search_options& o) {
    if (util::trim(o.query).empty())
        throw error("the search query is empty");
    // The page's date: the e-mail it belongs to, else the document's own date, else the
    // release date.
    const std::string page_date =
        "coalesce((SELECT coalesce(m.sent_utc, m.sent_local) FROM message_documents md "
        "JOIN email_messages m ON m.id = md.message_id WHERE md.document_id = p.document_id "
        "AND p.page_no BETWEEN md.first_page AND md.last_page ORDER BY md.first_page DESC, md.id "
        "LIMIT 1), d.date, s.released)";
    const std::string page_subject =
        "(SELECT m.subject FROM message_documents md JOIN email_messages m ON "
        "m.id = md.message_id WHERE md.document_id = p.document_id AND p.page_no BETWEEN "
        "md.first_page AND md.last_page ORDER BY md.first_page DESC, md.id LIMIT 1)";
    std::string sql =
        "SELECT * FROM (SELECT p.id AS page_id, bm25(pages_fts) AS score, d.source_id, "
        "ifnull(s.title, s.file_name) AS source, d.path AS document, p.page_no AS page, " +
        page_date + " AS date, " + page_subject +
        " AS email_subject, highlight(pages_fts, 0, char(2), char(3)) AS marked, "
        "substr(s.sha256, 1, 12) AS source_sha256, d.id AS document_id "
        "FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid "
        "JOIN documents d ON d.id = p.document_id JOIN sources s ON s.id = d.source_id "
        "WHERE pages_fts MATCH ?1";
    if (o.source)
        sql += " AND d.source_id = ?2";
    sql += ") WHERE 1" + date_conditions("date", o.since, o.until, 3, 4);
    sql += " ORDER BY score, page_id";
    if (o.limit > 0)
        sql += " LIMIT " + std::to_string(o.limit);
    table t;
    try {
        store::Statement st(db, sql);
        st.bind(1, o.query);
        if (o.source)
            st.bind(2, *o.source);
        if (o.since)
            st.bind(3, *o.since);
        if (o.until)
            st.bind(4, *o.until);
        t = collect(st);
    } catch (const db_error& e) {
        // SQLITE_ERROR while stepping a MATCH is FTS5 refusing the query
        if (e.code() == 1) {
            std::string what = e.what();
            if (what.rfind("SQL step: ", 0) == 0)
                what = what.substr(10);
            throw error("cannot read the search query '" + o.query + "': " + what +
                        " (words, \"a phrase\", AND, OR, NOT, prefix*, NEAR(a b, 5); quote "
                        "words with punctuation)");
        }
        throw;
    }
    // Rank, snippet from the marked text (masked when asked), and the citation.
    table out;
    out.columns = {"rank",  "source_id",     "source",  "document", "page", "date",
                   "email_subject", "snippet", "score", "page_id", "source_sha256"};
    store::Statement spans_of(db, "SELECT begin, end, kind FROM personal_data WHERE page_id = ?1 "
                                  "ORDER BY begin");
    std::int64_t rank = 0;
    for (auto& r : t.rows) {
        const auto page_id = std::get<std::int64_t>(r[0]);
        std::vector<std::tuple<std::size_t, std::size_t, std::string>> spans;
        if (o.redact) {
            spans_of.bind(1, page_id);
            while (spans_of.step())
                spans.emplace_back(static_cast<std::size_t>(spans_of.get_int(0)),
                                   static_cast<std::size_t>(spans_of.get_int(1)),
                                   spans_of.get_text(2));
            spans_of.reset();
        }
        const auto& marked = std::get<std::string>(r[8]);
        auto subject = r[7];
        if (o.redact)
            if (auto* s = std::get_if<std::string>(&subject))
                *s = redact_all(*s);
        double score = std::holds_alternative<double>(r[1]) ? std::get<double>(r[1]) : 0.0;
        out.rows.push_back({++rank, r[2], r[3], r[4], r[5], r[6], subject,
                            make_snippet(marked, spans), -score, r[0], r[9]});
    }
    return out;
}

} // namespace porchlight::report
