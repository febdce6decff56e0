#include "detail/document_tree.hpp"

#include <porchlight/util/sha256.hpp>

#include <exception>
#include <new>

namespace porchlight::ingest::detail {
namespace {

struct tree_builder {
    const docs::limits& lim;
    document_tree tree;
    std::uint64_t expanded = 0; ///< bytes of every embedded file read so far

    void add(const std::string& path, int parent, std::string_view bytes, std::uint32_t depth,
             const std::string& declared_mime) {
        auto node = make_node(path, parent, bytes);
        try {
            node.doc = docs::parse_document(path, bytes, lim);
            if (node.doc->mime_type.empty())
                node.doc->mime_type = declared_mime;
        } catch (const docs::parse_error& e) {
            node.error = e.what();
        } catch (const std::bad_alloc&) {
            node.error = "out of memory while reading it";
        } catch (const std::length_error&) {
            node.error = "out of memory while reading it";
        }
        const auto index = static_cast<int>(tree.nodes.size());
        tree.nodes.push_back(std::move(node));
        if (!tree.nodes.back().doc)
            return;
        // the children's bytes are moved out of the parent: each is freed once it is read
        auto children = std::move(tree.nodes.back().doc->children);
        tree.nodes.back().doc->children.clear();
        for (std::size_t i = 0; i < children.size(); ++i) {
            auto& c = children[i];
            auto child_name = c.name.empty() ? "part " + std::to_string(i + 1) : c.name;
            const auto child_path = path + "/" + child_name;
            if (depth + 1 > lim.max_depth) {
                tree.nodes.push_back(failed(child_path, index, c.bytes,
                                            "nested deeper than " + std::to_string(lim.max_depth) +
                                                " levels (archives or attachments inside each other)"));
                continue;
            }
            expanded += c.bytes.size();
            if (expanded > lim.max_expanded_bytes) {
                tree.nodes.push_back(failed(child_path, index, c.bytes,
                                            "the file's contents expand to more than " +
                                                std::to_string(lim.max_expanded_bytes) + " bytes"));
                continue;
            }
            add(child_path, index, c.bytes, depth + 1, c.mime_type);
            std::string().swap(c.bytes);
        }
    }

    static document_node make_node(const std::string& path, int parent, std::string_view bytes) {
        document_node node;
        node.path = path;
        node.parent = parent;
        node.size = static_cast<std::int64_t>(bytes.size());
        node.sha256 = util::sha256_hex(bytes);
        node.format = docs::detect_format(path, bytes);
        if (node.format.empty())
            node.format = "unknown";
        return node;
    }

    static document_node failed(const std::string& path, int parent, std::string_view bytes,
                                const std::string& reason) {
        auto node = make_node(path, parent, bytes);
        node.error = reason;
        return node;
    }
};

} // namespace

document_tree parse_tree(const std::string& path, std::string_view bytes, const docs::limits& lim) {
    tree_builder b{lim, {}, 0};
    b.add(path, -1, bytes, 0, {});
    return std::move(b.tree);
}

document_tree failed_tree(const std::string& path, const std::string& reason, std::int64_t size,
                          const std::string& sha256) {
    document_tree t;
    document_node node;
    node.path = path;
    node.size = size;
    node.sha256 = sha256;
    node.format = "unknown";
    node.error = reason;
    t.nodes.push_back(std::move(node));
    return t;
}

} // namespace porchlight::ingest::detail
