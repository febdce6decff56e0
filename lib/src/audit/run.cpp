// `porchlight audit`: every rule of a codebook over every page in scope, compared with the
// codebook's current findings; only the difference is written, in one transaction, so the
// same codebook over the same pages changes nothing.
#include "detail/attribution.hpp"

#include <porchlight/audit/audit.hpp>
#include <porchlight/config.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <map>
#include <set>
#include <tuple>

namespace porchlight::audit {

namespace {

using detail::agency_ref;

/// Identity of a finding within one codebook: rule, page, span.
using identity = std::tuple<std::string, std::int64_t, std::int64_t, std::int64_t>;

struct finding_row {
    std::int64_t id = 0; ///< 0: not in the store yet
    std::int64_t codebook_id = 0;
    std::string key;
    std::string rule;
    std::int64_t source_id = 0, document_id = 0, page_id = 0, page_no = 0;
    std::optional<std::int64_t> message_id;
    std::int64_t begin = 0, end = 0;
    std::string excerpt;
    agency_ref agency;
    std::optional<std::string> date, date_from;

    identity ident() const { return {rule, page_id, begin, end}; }
    bool same_facts(const finding_row& o) const {
        return excerpt == o.excerpt && agency.id == o.agency.id && agency.name == o.agency.name &&
               agency.from == o.agency.from && date == o.date && date_from == o.date_from &&
               message_id == o.message_id;
    }
};

std::string finding_key(const std::string& codebook, const std::string& rule,
                        const std::string& doc_sha, std::int64_t page_no, std::int64_t begin,
                        std::int64_t end) {
    return util::sha256_hex(codebook + "\n" + rule + "\n" + doc_sha + "\n" +
                            std::to_string(page_no) + "\n" + std::to_string(begin) + "\n" +
                            std::to_string(end));
}

std::string rules_json(const codebook& cb) {
    std::string out = "[";
    for (const auto& r : cb.rules) {
        out += out.size() > 1 ? "," : "";
        out += "{\"id\":";
        util::append_json_string(out, r.id);
        out += ",\"label\":";
        util::append_json_string(out, r.label);
        out += ",\"severity\":";
        util::append_json_string(out, r.severity);
        out += ",\"description\":";
        util::append_json_string(out, r.description);
        out += "}";
    }
    return out + "]";
}

struct message_info {
    std::string cls;
    std::string sender;
    std::optional<std::string> sent;
};

/// Reads the pages in scope and matches every rule: the findings the codebook makes now.
class scanner {
public:
    scanner(store::Database& db, const codebook& cb, const audit_options& o)
        : m_db(db), m_cb(cb), m_o(o), m_agencies(db),
          m_message(db, "SELECT class, from_addr, coalesce(sent_utc, sent_local) "
                        "FROM email_messages WHERE id = ?1") {}

    std::map<identity, finding_row> scan(std::int64_t& pages) {
        store::Statement st(
            m_db, "SELECT p.id, p.document_id, p.page_no, p.text, d.source_id, "
                  "coalesce(d.sha256, 'document ' || d.id), d.date, s.responding_agency, "
                  "s.released, (SELECT md.message_id FROM message_documents md "
                  " WHERE md.document_id = p.document_id AND p.page_no BETWEEN md.first_page "
                  " AND md.last_page ORDER BY md.first_page DESC, md.id LIMIT 1) "
                  "FROM pages p JOIN documents d ON d.id = p.document_id "
                  "JOIN sources s ON s.id = d.source_id "
                  "WHERE p.text IS NOT NULL AND p.text <> '' AND (?1 IS NULL OR d.source_id = ?1) "
                  "ORDER BY p.id");
        st.bind(1, m_o.source);
        std::map<identity, finding_row> found;
        while (st.step()) {
            ++pages;
            page_findings(st, found);
        }
        return found;
    }

private:
    void page_findings(store::Statement& st, std::map<identity, finding_row>& found) {
        const auto text = st.get_text(3);
        const auto message_id = st.get_optional_int(9);
        message_info msg;
        if (message_id) {
            m_message.bind(1, *message_id);
            if (m_message.step()) {
                msg.cls = m_message.get_optional_text(0).value_or("");
                msg.sender = m_message.get_optional_text(1).value_or("");
                msg.sent = m_message.get_optional_text(2);
            }
            m_message.reset();
        }
        const text_index index(text);
        std::optional<agency_ref> agency;
        std::optional<std::vector<std::tuple<std::size_t, std::size_t, std::string>>> personal;
        for (const auto& r : m_cb.rules) {
            if (!rule_applies(r, msg.cls, msg.sender))
                continue;
            const auto spans = match_rule(r, index);
            if (spans.empty())
                continue;
            if (!agency) {
                agency = m_agencies.of_release(st.get_int(4), st.get_optional_text(7));
                if (!agency->name)
                    agency = m_agencies.of_text(text);
            }
            if (!detail::agency_matches(m_o.agency, *agency))
                return;
            if (!personal)
                personal = page_personal_data(m_db, st.get_int(0));
            for (const auto& s : spans) {
                finding_row f;
                f.rule = r.id;
                f.page_id = st.get_int(0);
                f.document_id = st.get_int(1);
                f.page_no = st.get_int(2);
                f.source_id = st.get_int(4);
                f.message_id = message_id;
                f.begin = static_cast<std::int64_t>(s.begin);
                f.end = static_cast<std::int64_t>(s.end);
                f.key = finding_key(m_cb.name, r.id, st.get_text(5), f.page_no, f.begin, f.end);
                f.excerpt = excerpt_of(text, s, *personal);
                f.agency = *agency;
                set_date(f, msg, st.get_optional_text(6), st.get_optional_text(8));
                found.emplace(f.ident(), std::move(f));
            }
        }
    }

    static void set_date(finding_row& f, const message_info& msg,
                         const std::optional<std::string>& doc_date,
                         const std::optional<std::string>& released) {
        if (msg.sent) {
            f.date = msg.sent;
            f.date_from = "message";
        } else if (doc_date && !doc_date->empty()) {
            f.date = doc_date;
            f.date_from = "document";
        } else if (released && !released->empty()) {
            f.date = released;
            f.date_from = "release";
        }
    }

    store::Database& m_db;
    const codebook& m_cb;
    const audit_options& m_o;
    detail::agency_finder m_agencies;
    store::Statement m_message;
};

/// The codebook's current findings in scope (any version of it).
std::map<identity, finding_row> current_findings(store::Database& db, const codebook& cb,
                                                 const audit_options& o) {
    store::Statement st(
        db, "SELECT f.id, f.codebook_id, f.finding_key, f.rule_id, f.source_id, f.document_id, "
            "f.page_id, f.page_no, f.message_id, f.begin, f.end, f.excerpt, f.agency_id, "
            "f.agency, f.agency_from, f.date, f.date_from FROM findings f "
            "JOIN codebooks c ON c.id = f.codebook_id WHERE c.name = ?1 "
            "AND f.removed_run_id IS NULL AND (?2 IS NULL OR f.source_id = ?2) ORDER BY f.id");
    st.bind(1, cb.name);
    st.bind(2, o.source);
    std::map<identity, finding_row> out;
    while (st.step()) {
        finding_row f;
        f.id = st.get_int(0);
        f.codebook_id = st.get_int(1);
        f.key = st.get_text(2);
        f.rule = st.get_text(3);
        f.source_id = st.get_int(4);
        f.document_id = st.get_int(5);
        f.page_id = st.get_int(6);
        f.page_no = st.get_int(7);
        f.message_id = st.get_optional_int(8);
        f.begin = st.get_int(9);
        f.end = st.get_int(10);
        f.excerpt = st.get_text(11);
        f.agency = {st.get_optional_int(12), st.get_optional_text(13), st.get_optional_text(14)};
        f.date = st.get_optional_text(15);
        f.date_from = st.get_optional_text(16);
        if (detail::agency_matches(o.agency, f.agency))
            out.emplace(f.ident(), std::move(f));
    }
    return out;
}

void insert_finding(store::Statement& ins, const finding_row& f, std::int64_t codebook_id,
                    std::int64_t run_id) {
    ins.bind(1, f.key);
    ins.bind(2, codebook_id);
    ins.bind(3, f.rule);
    ins.bind(4, run_id);
    ins.bind(5, f.source_id);
    ins.bind(6, f.document_id);
    ins.bind(7, f.page_id);
    ins.bind(8, f.page_no);
    ins.bind(9, f.message_id);
    ins.bind(10, f.begin);
    ins.bind(11, f.end);
    ins.bind(12, f.excerpt);
    ins.bind(13, f.agency.id);
    ins.bind(14, f.agency.name);
    ins.bind(15, f.agency.from);
    ins.bind(16, f.date);
    ins.bind(17, f.date_from);
    ins.exec();
}

rule_summary& summary_of(audit_summary& s, const std::string& rule) {
    for (auto& r : s.rules)
        if (r.id == rule)
            return r;
    s.rules.push_back({rule, "(not in this codebook)", 0, 0, 0, 0});
    return s.rules.back();
}

std::string scope_text(const audit_options& o) {
    std::vector<std::string> parts;
    if (o.source)
        parts.push_back("source " + std::to_string(*o.source));
    if (o.agency)
        parts.push_back("agency " + *o.agency);
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : ", ") + p;
    return out;
}

} // namespace

audit_summary run_audit(store::Database& db, const codebook& cb, const audit_options& o) {
    audit_summary s;
    s.codebook = cb.name;
    s.sha256 = cb.sha256;
    for (const auto& r : cb.rules)
        s.rules.push_back({r.id, r.label, 0, 0, 0, 0});

    std::int64_t codebook_id = 0;
    {
        store::Statement st(db, "SELECT id FROM codebooks WHERE name = ?1 AND sha256 = ?2");
        st.bind(1, cb.name);
        st.bind(2, cb.sha256);
        if (st.step())
            codebook_id = st.get_int(0);
    }
    auto now = scanner(db, cb, o).scan(s.pages);
    auto before = current_findings(db, cb, o);

    std::vector<const finding_row*> added, replaced, updated, removed;
    for (const auto& [id, f] : now) {
        auto& rs = summary_of(s, f.rule);
        ++rs.findings;
        const auto it = before.find(id);
        if (it == before.end()) {
            ++rs.added;
            added.push_back(&f);
            continue;
        }
        ++rs.unchanged;
        if (it->second.codebook_id != codebook_id || codebook_id == 0)
            replaced.push_back(&it->second);
        else if (!f.same_facts(it->second))
            updated.push_back(&f);
    }
    for (const auto& [id, f] : before)
        if (!now.count(id)) {
            ++summary_of(s, f.rule).removed;
            removed.push_back(&f);
        }
    for (const auto& r : s.rules) {
        s.findings += r.findings;
        s.added += r.added;
        s.unchanged += r.unchanged;
        s.removed += r.removed;
    }
    s.updated = static_cast<std::int64_t>(updated.size());
    for (const auto& [id, f] : before)
        s.codebook_changed = s.codebook_changed || f.codebook_id != codebook_id;
    if (codebook_id != 0 && added.empty() && replaced.empty() && updated.empty() && removed.empty())
        return s; // nothing changed: nothing written

    store::Transaction tx(db);
    if (codebook_id == 0) {
        store::Statement ins(db, "INSERT INTO codebooks (name, sha256, file_name, rules, loaded_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)");
        ins.bind(1, cb.name).bind(2, cb.sha256).bind(3, cb.file).bind(4, rules_json(cb));
        ins.bind(5, util::now_utc());
        ins.exec();
        codebook_id = db.last_insert_id();
    }
    {
        store::Statement run(db, "INSERT INTO audit_runs (codebook_id, run_at, scope, pages, "
                                 "findings, new, unchanged, removed, porchlight_version) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        const auto scope = scope_text(o);
        run.bind(1, codebook_id).bind(2, util::now_utc());
        if (scope.empty())
            run.bind_null(3);
        else
            run.bind(3, scope);
        run.bind(4, s.pages).bind(5, s.findings).bind(6, s.added).bind(7, s.unchanged);
        run.bind(8, s.removed).bind(9, config::version);
        run.exec();
        s.run_id = db.last_insert_id();
    }
    store::Statement retire(db, "UPDATE findings SET removed_run_id = ?1 WHERE id = ?2");
    for (const auto* list : {&removed, &replaced})
        for (const auto* f : *list)
            retire.bind(1, s.run_id).bind(2, f->id).exec();
    store::Statement ins(db, "INSERT INTO findings (finding_key, codebook_id, rule_id, run_id, "
                             "source_id, document_id, page_id, page_no, message_id, begin, end, "
                             "excerpt, agency_id, agency, agency_from, date, date_from) VALUES "
                             "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                             "?16, ?17)");
    for (const auto* f : added)
        insert_finding(ins, *f, codebook_id, s.run_id);
    for (const auto* old : replaced)
        insert_finding(ins, now.at(old->ident()), codebook_id, s.run_id);
    store::Statement upd(db, "UPDATE findings SET message_id = ?2, excerpt = ?3, agency_id = ?4, "
                             "agency = ?5, agency_from = ?6, date = ?7, date_from = ?8 WHERE "
                             "codebook_id = ?1 AND page_id = ?9 AND rule_id = ?10 AND begin = ?11 "
                             "AND end = ?12 AND removed_run_id IS NULL");
    for (const auto* f : updated) {
        upd.bind(1, codebook_id).bind(2, f->message_id).bind(3, f->excerpt).bind(4, f->agency.id);
        upd.bind(5, f->agency.name).bind(6, f->agency.from).bind(7, f->date).bind(8, f->date_from);
        upd.bind(9, f->page_id).bind(10, f->rule).bind(11, f->begin).bind(12, f->end);
        upd.exec();
    }
    tx.commit();
    return s;
}

} // namespace porchlight::audit
