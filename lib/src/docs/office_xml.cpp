// The helpers the Office readers share (detail/office_xml.hpp): XML parts and their
// relationships, elements by local name, the page builder, metadata.

#include "detail/office_xml.hpp"

#include "detail/scan.hpp"

#include <porchlight/docs/text.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::office {

// ---------------------------------------------------------------------------------------
// parts and XML

std::unique_ptr<xml_part> load_xml(part_map& parts, const std::string& name, document& doc,
                                   bool required) {
    const auto it = parts.find(name);
    if (it == parts.end()) {
        if (required)
            throw parse_error("Office document without its main part \"" + name + "\"");
        return nullptr;
    }
    auto part = std::make_unique<xml_part>();
    part->bytes = std::move(it->second);
    parts.erase(it);
    const auto result = part->xml.load_buffer_inplace(part->bytes.data(), part->bytes.size(),
                                                      pugi::parse_default | pugi::parse_ws_pcdata);
    if (!result) {
        const auto why = "\"" + name + "\" is not well-formed XML (" + result.description() +
                         " at byte " + std::to_string(result.offset) + ")";
        if (required)
            throw parse_error("Office document whose " + why);
        doc.warnings.push_back("part " + why + "; skipped");
        return nullptr;
    }
    return part;
}

std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view local_name(pugi::xml_attribute attr) {
    const std::string_view name = attr.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view attr(pugi::xml_node node, std::string_view name) {
    for (auto a : node.attributes())
        if (local_name(a) == name)
            return a.value();
    return {};
}

std::string rel_id(pugi::xml_node node) {
    for (auto a : node.attributes()) {
        const std::string_view name = a.name();
        if (name.find(':') != std::string_view::npos && local_name(a) == "id")
            return a.value();
    }
    return {};
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
    for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c) == name)
            return c;
    return {};
}

std::string all_text(pugi::xml_node node) {
    std::string out;
    for (auto n = node.first_child(); n;) {
        if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata)
            out += n.value();
        if (n.first_child()) {
            n = n.first_child();
            continue;
        }
        while (n && n != node && !n.next_sibling())
            n = n.parent();
        if (!n || n == node)
            break;
        n = n.next_sibling();
    }
    return out;
}

std::string collapse(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return sanitize_utf8(out);
}

std::map<std::string, std::string> relationships(part_map& parts, const std::string& part,
                                                 document& doc) {
    std::map<std::string, std::string> out;
    const auto slash = part.rfind('/');
    const auto dir = slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
    const auto rels_name =
        dir + "_rels/" + part.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";
    const auto xml = load_xml(parts, rels_name, doc, false);
    if (!xml)
        return out;
    for (auto rel : xml->document_element().children()) {
        if (local_name(rel) != "Relationship" || attr(rel, "TargetMode") == "External")
            continue;
        const std::string_view target = attr(rel, "Target");
        std::string path =
            target.starts_with('/') ? std::string(target.substr(1)) : dir + std::string(target);
        // resolve "..": a/b/../c → a/c
        std::vector<std::string> parts_of;
        std::size_t pos = 0;
        while (pos <= path.size()) {
            auto end = path.find('/', pos);
            if (end == std::string::npos)
                end = path.size();
            const auto p = path.substr(pos, end - pos);
            pos = end + 1;
            if (p == "..") {
                if (!parts_of.empty())
                    parts_of.pop_back();
            } else if (!p.empty() && p != ".") {
                parts_of.push_back(p);
            }
        }
        std::string resolved;
        for (const auto& p : parts_of)
            resolved += (resolved.empty() ? "" : "/") + p;
        out.emplace(attr(rel, "Id"), std::move(resolved));
    }
    return out;
}

std::vector<std::string> numbered_parts(const part_map& parts, std::string_view prefix) {
    std::vector<std::pair<std::uint64_t, std::string>> found;
    for (const auto& [name, bytes] : parts) {
        if (!name.starts_with(prefix) || !name.ends_with(".xml"))
            continue;
        const auto digits =
            std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - 4);
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty())
            found.emplace_back(n, name);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& f : found)
        out.push_back(std::move(f.second));
    return out;
}

// ---------------------------------------------------------------------------------------
// text

void page_builder::text(std::string_view s) {
    if (s.empty())
        return;
    if (m_tabs > 0) {
        append(std::string(static_cast<std::size_t>(m_tabs), '\t'));
    } else if (m_space && !m_page.empty() && m_page.back() != '\n' && m_page.back() != ' ' &&
               m_page.back() != '\t') {
        append(" ");
    }
    m_tabs = 0;
    m_space = false;
    append(s);
}

void page_builder::tab(int n) {
    m_tabs = std::min(m_tabs + n, 1 << 20);
    m_space = false;
}

void page_builder::newline() {
    m_tabs = 0;
    m_space = false;
    append("\n");
}

void page_builder::page_break() {
    m_tabs = 0;
    m_space = false;
    m_pages.push_back(std::move(m_page));
    m_page.clear();
    if (m_pages.size() >= m_lim.max_pages)
        throw limit_error("more than " + std::to_string(m_lim.max_pages) + " pages");
}

std::vector<std::string> page_builder::finish() {
    m_pages.push_back(std::move(m_page));
    m_page.clear();
    std::vector<std::string> out;
    for (const auto& p : m_pages)
        out.push_back(sanitize_utf8(tidy_lines(p)));
    m_pages.clear();
    return out;
}

void page_builder::append(std::string_view s) {
    m_text_bytes += s.size();
    if (m_text_bytes > m_lim.max_text_bytes)
        throw limit_error("text larger than the limit of " + std::to_string(m_lim.max_text_bytes) +
                          " bytes");
    m_page.append(s);
}

std::string cell_text(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return out;
}

// ---------------------------------------------------------------------------------------
// metadata

void add_meta(document& doc, std::string key, std::string_view value) {
    auto v = collapse(value);
    if (v.empty())
        return;
    for (const auto& [k, have] : doc.metadata)
        if (k == key)
            return;
    doc.metadata.emplace_back(std::move(key), std::move(v));
}

void add_title(document& doc, pugi::xml_node parent) {
    doc.title = collapse(all_text(child(parent, "title")));
    add_meta(doc, "title", doc.title);
}

void add_meta_from(document& doc, pugi::xml_node parent,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    for (const auto& [key, name] : fields)
        add_meta(doc, std::string(key), all_text(child(parent, name)));
}

} // namespace porchlight::docs::detail::office
