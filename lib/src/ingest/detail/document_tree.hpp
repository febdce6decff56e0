#pragma once

#include <porchlight/docs/document.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest::detail {

/// One document of a file's tree: the file itself, an attachment, an archive entry.
struct document_node {
    std::string path;     ///< "release/mail.eml", "release/mail.eml/report.pdf"
    int parent = -1;      ///< index into the tree's nodes; -1 for the file itself
    std::string format;   ///< what detect_format said ("pdf", "eml" ...), "unknown" when nothing
    std::string sha256;
    std::int64_t size = 0;
    std::optional<docs::document> doc; ///< set when it was read
    std::string error;                 ///< why it could not be read
};

/// A file and everything inside it, parsed, parents before their children.
struct document_tree {
    std::vector<document_node> nodes;
    std::string bytes; ///< the file's bytes, kept for the blob store (folders only)
};

/// Parses bytes as a document and, recursively, the files inside it, up to lim.max_depth
/// levels and lim.max_expanded_bytes in all. A part that cannot be read is a node with an
/// error; the rest is still read. Never throws docs::parse_error.
document_tree parse_tree(const std::string& path, std::string_view bytes, const docs::limits& lim);

/// A tree of one file that could not even be read.
document_tree failed_tree(const std::string& path, const std::string& reason, std::int64_t size,
                          const std::string& sha256);

} // namespace porchlight::ingest::detail
