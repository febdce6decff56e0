#pragma once

#include "document_tree.hpp"

#include <porchlight/docs/classifier.hpp>
#include <porchlight/ingest/document_ingester.hpp>
#include <porchlight/store/database.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace porchlight::ingest::detail {

/// The key two copies of one e-mail share when neither has a Message-ID: the sender's
/// address, the time to the minute, the subject without a gateway's "[EXTERNAL]" tag and
/// the start of the body, each normalised.
std::string message_content_hash(const docs::email_header& h, std::string_view body);

/// Writes parsed document trees of one source into the store: documents, pages,
/// personal-data spans, e-mails (merged with the same e-mail from earlier sources) and
/// their evidence. Counts go into the source's result.
class document_writer {
public:
    document_writer(store::Database& db, std::int64_t source_id,
                    const std::filesystem::path& data_dir, std::optional<std::string> timezone,
                    document_result& result);
    void write(const document_tree& tree);
    void warn(const std::string& locator, const std::string& message);
    void finish() {}

private:
    std::int64_t write_node(const document_node& node, std::int64_t parent_id);
    void write_message(const docs::message& m, std::int64_t document_id,
                       const std::vector<std::int64_t>& page_ids, bool whole_document);
    const docs::MessageClassifier& classifier();

    store::Database& m_db;
    std::int64_t m_source_id;
    std::filesystem::path m_data_dir;
    std::optional<std::string> m_timezone;
    document_result& m_res;
    std::optional<docs::MessageClassifier> m_classifier;
    store::Statement m_ins_document;
    store::Statement m_ins_page;
    store::Statement m_ins_personal;
    store::Statement m_ins_warning;
    store::Statement m_by_message_id;
    store::Statement m_by_content;
    store::Statement m_ins_message;
    store::Statement m_fill_message;
    store::Statement m_ins_evidence;
    store::Statement m_ins_message_document;
};

} // namespace porchlight::ingest::detail
