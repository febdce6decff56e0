#include "detail/document_writer.hpp"

#include <porchlight/docs/personal_data.hpp>
#include <porchlight/docs/timezone.hpp>
#include <porchlight/error.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <nlohmann/json.hpp>


namespace fs = std::filesystem;

namespace porchlight::ingest::detail {

namespace {

constexpr std::size_t max_kept_warnings = 1000;

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty())
            out += "; ";
        out += s;
    }
    return out;
}

/// At most n bytes of s, cut at a character boundary.
std::string utf8_prefix(const std::string& s, std::size_t n) {
    if (s.size() <= n)
        return s;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return s.substr(0, n);
}

std::optional<std::string> nonempty(const std::string& s) {
    if (s.empty())
        return std::nullopt;
    return s;
}

/// The address part of "Name <addr>", or the whole text.
std::string address_of(const std::string& from) {
    const auto lt = from.rfind('<');
    const auto gt = from.rfind('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt)
        return util::to_lower_ascii(util::trim(from.substr(lt + 1, gt - lt - 1)));
    return util::to_lower_ascii(util::trim(from));
}

/// A subject without the tag a receiving mail gateway adds ("[EXTERNAL]", "[EXT]"): two
/// copies of one e-mail differ in it.
std::string subject_key(std::string_view subject) {
    auto s = util::trim(subject);
    for (;;) {
        const auto lower = util::to_lower_ascii(s.substr(0, 12));
        if (lower.starts_with("[external]"))
            s = util::trim(s.substr(10));
        else if (lower.starts_with("[ext]"))
            s = util::trim(s.substr(5));
        else
            break;
    }
    return util::normalise_words(s);
}

/// The date of a document, "YYYY-MM-DD...", from what it says about itself.
std::optional<std::string> document_date(const docs::document& d) {
    if (!d.messages.empty() && (d.kind == "email" || d.kind == "msg")) {
        const auto& h = d.messages.front().header;
        if (h.sent_utc)
            return h.sent_utc;
        if (h.sent_local)
            return h.sent_local;
    }
    for (const auto& [k, v] : d.metadata) {
        const auto key = util::to_lower_ascii(k);
        if ((key == "created" || key == "creation_date" || key == "creationdate" ||
             key == "dcterms:created" || key == "meta:creation-date") &&
            v.size() >= 10 && v[4] == '-' && v[7] == '-')
            return v;
    }
    return std::nullopt;
}

} // namespace



std::string message_content_hash(const docs::email_header& h, std::string_view body) {
    std::string when;
    if (h.sent_utc)
        when = h.sent_utc->substr(0, 16);
    else if (h.sent_local)
        when = "local " + h.sent_local->substr(0, 16);
    auto b = util::normalise_words(body.substr(0, 8000));
    if (b.size() > 2000)
        b.resize(2000);
    std::string key = address_of(h.from);
    key += '\x1f';
    key += when;
    key += '\x1f';
    key += subject_key(h.subject);
    key += '\x1f';
    key += b;
    return util::sha256_hex(key);
}

document_writer::document_writer(store::Database& db, std::int64_t source_id,
                                 const fs::path& data_dir, std::optional<std::string> timezone,
                                 document_result& result)
    : m_db(db), m_source_id(source_id), m_data_dir(data_dir), m_timezone(std::move(timezone)),
      m_res(result),
      m_ins_document(db, "INSERT INTO documents (source_id, parent_id, path, kind, mime_type, "
                         "title, page_count, sha256, metadata, status, error, size, date, "
                         "warnings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                         "?13, ?14)"),
      m_ins_page(db, "INSERT INTO pages (document_id, page_no, text, needs_ocr) "
                     "VALUES (?1, ?2, ?3, ?4)"),
      m_ins_personal(db, "INSERT INTO personal_data (page_id, begin, end, kind) "
                         "VALUES (?1, ?2, ?3, ?4)"),
      m_ins_warning(db, "INSERT INTO ingest_warnings (source_id, locator, message) "
                        "VALUES (?1, ?2, ?3)"),
      m_by_message_id(db, "SELECT id FROM email_messages WHERE message_id = ?1"),
      m_by_content(db, "SELECT id FROM email_messages WHERE content_hash = ?1"),
      m_ins_message(db, "INSERT INTO email_messages (message_id, content_hash, from_addr, "
                        "to_addrs, cc_addrs, bcc_addrs, sent_utc, sent_offset, sent_local, "
                        "date_raw, subject, in_reply_to, body, body_page_id, class, class_rules) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                        "?15, ?16)"),
      // a later copy fills in what an earlier one lacked (a printed e-mail has no
      // Message-ID; a .msg has the UTC time a printout lacks)
      m_fill_message(db, "UPDATE email_messages SET message_id = ifnull(message_id, ?2), "
                         "sent_utc = ifnull(sent_utc, ?3), sent_offset = ifnull(sent_offset, ?4), "
                         "cc_addrs = ifnull(cc_addrs, ?5), in_reply_to = ifnull(in_reply_to, ?6) "
                         "WHERE id = ?1"),
      m_ins_evidence(db, "INSERT INTO evidence (fact_type, fact_id, source_id, document_id, "
                         "page_id, locator, excerpt) VALUES ('message', ?1, ?2, ?3, ?4, ?5, ?6)"),
      m_ins_message_document(db, "INSERT OR IGNORE INTO message_documents (message_id, "
                                 "document_id, first_page, last_page, evidence_id) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)") {}

const docs::MessageClassifier& document_writer::classifier() {
    if (!m_classifier) {
        try {
            m_classifier = docs::MessageClassifier::load(m_data_dir / "message-classes.yaml");
        } catch (const docs::rules_error& e) {
            throw error(e.what());
        }
    }
    return *m_classifier;
}

void document_writer::warn(const std::string& locator, const std::string& message) {
    ++m_res.warning_count;
    if (m_res.warnings.size() < max_kept_warnings)
        m_res.warnings.push_back(locator + ": " + message);
    m_ins_warning.bind(1, m_source_id).bind(2, locator).bind(3, message).exec();
}

void document_writer::write(const document_tree& tree) {
    std::vector<std::int64_t> ids;
    ids.reserve(tree.nodes.size());
    for (const auto& node : tree.nodes) {
        const auto parent = node.parent < 0 ? 0 : ids[static_cast<std::size_t>(node.parent)];
        ids.push_back(write_node(node, parent));
    }
}

std::int64_t document_writer::write_node(const document_node& node, std::int64_t parent_id) {
    const docs::document* d = node.doc ? &*node.doc : nullptr;
    auto& st = m_ins_document;
    st.bind(1, m_source_id);
    if (parent_id)
        st.bind(2, parent_id);
    else
        st.bind_null(2);
    st.bind(3, node.path).bind(4, d ? d->kind : node.format);
    if (d && !d->mime_type.empty())
        st.bind(5, d->mime_type);
    else
        st.bind_null(5);
    if (d && !d->title.empty())
        st.bind(6, d->title);
    else
        st.bind_null(6);
    if (d)
        st.bind(7, static_cast<std::int64_t>(d->pages.size()));
    else
        st.bind_null(7);
    st.bind(8, node.sha256);
    if (d && !d->metadata.empty()) {
        nlohmann::ordered_json meta = nlohmann::ordered_json::object();
        for (const auto& [k, v] : d->metadata)
            meta[k] = v;
        st.bind(9, meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
        st.bind_null(9);
    }
    st.bind(10, d ? "ok" : "failed");
    if (d)
        st.bind_null(11);
    else
        st.bind(11, node.error);
    st.bind(12, node.size);
    st.bind(13, d ? document_date(*d) : std::nullopt);
    if (d && !d->warnings.empty()) {
        std::string w;
        util::json_array(w, d->warnings);
        st.bind(14, w);
    } else {
        st.bind_null(14);
    }
    st.exec();
    const auto id = m_db.last_insert_id();
    if (!d) {
        m_res.failures.push_back({node.path, node.error});
        return id;
    }
    ++m_res.documents;
    for (const auto& w : d->warnings)
        warn(node.path, w);

    std::vector<std::int64_t> page_ids;
    page_ids.reserve(d->pages.size());
    for (std::size_t i = 0; i < d->pages.size(); ++i) {
        const auto& p = d->pages[i];
        m_ins_page.bind(1, id).bind(2, static_cast<std::int64_t>(i + 1));
        m_ins_page.bind_static(3, p.text).bind(4, p.needs_ocr ? 1 : 0).exec();
        const auto page_id = m_db.last_insert_id();
        page_ids.push_back(page_id);
        ++m_res.pages;
        if (p.needs_ocr)
            ++m_res.needs_ocr;
        for (const auto& span : docs::find_personal_data(p.text)) {
            m_ins_personal.bind(1, page_id).bind(2, static_cast<std::int64_t>(span.begin));
            m_ins_personal.bind(3, static_cast<std::int64_t>(span.end)).bind(4, span.kind).exec();
            ++m_res.personal_data;
        }
    }
    const bool whole = d->kind == "email" || d->kind == "msg";
    for (const auto& m : d->messages)
        write_message(m, id, page_ids, whole);
    return id;
}

void document_writer::write_message(const docs::message& m, std::int64_t document_id,
                                    const std::vector<std::int64_t>& page_ids,
                                    bool whole_document) {
    auto h = m.header;
    if (!h.sent_utc && h.sent_local) {
        if (m_timezone) {
            if (auto utc = docs::local_to_utc(*h.sent_local, *m_timezone)) {
                h.sent_utc = utc->first;
                h.sent_offset = utc->second;
            }
        } else {
            ++m_res.messages_without_zone;
        }
    }
    ++m_res.messages;
    const auto first = std::max(1, m.first_page);
    const auto last = std::max(first, m.last_page);
    const auto page_index = static_cast<std::size_t>(first - 1);
    const std::optional<std::int64_t> page_id =
        page_index < page_ids.size() ? std::optional<std::int64_t>(page_ids[page_index])
                                     : std::nullopt;
    const auto hash = message_content_hash(h, m.body);

    std::int64_t message = 0;
    if (!h.message_id.empty()) {
        m_by_message_id.bind(1, h.message_id);
        if (m_by_message_id.step())
            message = m_by_message_id.get_int(0);
        m_by_message_id.reset();
    }
    if (!message) {
        m_by_content.bind(1, hash);
        if (m_by_content.step())
            message = m_by_content.get_int(0);
        m_by_content.reset();
    }
    const auto cls = classifier().classify(h, m.body);
    if (message) {
        m_fill_message.bind(1, message).bind(2, nonempty(h.message_id)).bind(3, h.sent_utc);
        m_fill_message.bind(4, h.sent_offset).bind(5, nonempty(join(h.cc)));
        m_fill_message.bind(6, nonempty(h.in_reply_to)).exec();
    } else {
        auto& st = m_ins_message;
        st.bind(1, nonempty(h.message_id)).bind(2, hash).bind(3, nonempty(h.from));
        st.bind(4, nonempty(join(h.to))).bind(5, nonempty(join(h.cc)));
        st.bind(6, nonempty(join(h.bcc))).bind(7, h.sent_utc).bind(8, h.sent_offset);
        st.bind(9, h.sent_local).bind(10, nonempty(h.date_raw)).bind(11, h.subject);
        st.bind(12, nonempty(h.in_reply_to)).bind_static(13, m.body);
        st.bind(14, whole_document ? page_id : std::nullopt);
        st.bind(15, nonempty(cls)).bind(16, classifier().version()).exec();
        message = m_db.last_insert_id();
        ++m_res.messages_new;
    }
    ++m_res.classes[cls];

    std::string locator = whole_document ? "message"
                          : first == last ? "page " + std::to_string(first)
                                          : "pages " + std::to_string(first) + "-" +
                                                std::to_string(last);
    auto excerpt = utf8_prefix(h.subject, 200);
    m_ins_evidence.bind(1, message).bind(2, m_source_id).bind(3, document_id).bind(4, page_id);
    m_ins_evidence.bind(5, locator).bind(6, excerpt).exec();
    const auto evidence = m_db.last_insert_id();
    m_ins_message_document.bind(1, message).bind(2, document_id).bind(3, first).bind(4, last);
    m_ins_message_document.bind(5, evidence).exec();
}

} // namespace porchlight::ingest::detail
