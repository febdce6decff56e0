#pragma once

// What the Office readers share (office_xml.cpp): the parts of the zip, pugixml helpers that
// match elements and attributes by local name (whatever the prefix), a walk over an XML tree
// that is a loop rather than a recursion (nesting depth is whatever the file says), and the
// builder of the pages.

#include <porchlight/docs/document.hpp>

#include <pugixml.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::office {

// ---------------------------------------------------------------------------------------
// parts and XML

/// The parts of the zip read so far, by name: the XML parts, .rels and "mimetype".
using part_map = std::map<std::string, std::string>;

/// An XML part, parsed in place: the document points into the bytes it owns.
struct xml_part {
    std::string bytes;
    pugi::xml_document xml;

    pugi::xml_node document_element() const { return xml.document_element(); }
};

/// Takes a part out of the map and parses it (a part is read once); nullptr when it is
/// missing or, when not `required`, is not well-formed (a warning then). A missing or
/// broken required part is a parse_error.
std::unique_ptr<xml_part> load_xml(part_map& parts, const std::string& name, document& doc,
                                   bool required);

std::string_view local_name(pugi::xml_node node);
std::string_view local_name(pugi::xml_attribute attr);

/// An attribute by local name, whatever its prefix.
std::string_view attr(pugi::xml_node node, std::string_view name);

/// A relationship id: r:id, not the plain id next to it (<p:sldId id="256" r:id="rId2"/>).
std::string rel_id(pugi::xml_node node);

/// The first child element with this local name.
pugi::xml_node child(pugi::xml_node node, std::string_view name);

/// All text below a node, in document order ("" for a null node).
std::string all_text(pugi::xml_node node);

/// Whitespace runs as one space, trimmed, valid UTF-8: for metadata values and sheet names.
std::string collapse(std::string_view s);

/// Calls enter(node) for each node below root in document order, and leave(node) after the
/// children of each node that enter() returned true for; enter() returning false skips the
/// node's children. A loop: no recursion, however deep the XML.
template <class Enter, class Leave> void walk(pugi::xml_node root, Enter&& enter, Leave&& leave) {
    auto node = root.first_child();
    while (node) {
        const bool entered = enter(node);
        if (entered && node.first_child()) {
            node = node.first_child();
            continue;
        }
        if (entered)
            leave(node);
        for (;;) {
            if (node.next_sibling()) {
                node = node.next_sibling();
                break;
            }
            node = node.parent();
            if (!node || node == root)
                return;
            leave(node);
        }
    }
}

/// Relationship targets of a part (from its _rels/<part>.rels): Id → part name.
std::map<std::string, std::string> relationships(part_map& parts, const std::string& part,
                                                 document& doc);

/// Part names "<prefix><N>.xml" in the order of N.
std::vector<std::string> numbered_parts(const part_map& parts, std::string_view prefix);

// ---------------------------------------------------------------------------------------
// text

/// Builds the pages. Spaces and tabs are held back until the next text, so that none trail
/// a line (an empty last cell leaves nothing behind). limit_error past lim.max_pages pages
/// or lim.max_text_bytes of text (counted in `text_bytes`, which builders may share).
class page_builder {
  public:
    page_builder(const limits& lim, std::uint64_t& text_bytes)
        : m_lim(lim), m_text_bytes(text_bytes) {}

    void text(std::string_view s);
    void soft_space() { m_space = true; }
    void clear_pending() {
        m_tabs = 0;
        m_space = false;
    }
    void tab(int n = 1);
    void newline();
    void page_break();
    bool page_empty() const noexcept {
        return m_page.find_first_not_of(" \t\n") == std::string::npos;
    }
    std::size_t size() const noexcept { return m_page.size(); }
    std::string since(std::size_t pos) const { return m_page.substr(std::min(pos, m_page.size())); }

    /// Pages tidied: no trailing blanks on a line, no runs of blank lines, none at the ends.
    std::vector<std::string> finish();

  private:
    void append(std::string_view s);

    const limits& m_lim;
    std::uint64_t& m_text_bytes;
    std::vector<std::string> m_pages;
    std::string m_page;
    int m_tabs = 0;
    bool m_space = false;
};

/// Text for one line of a table: tabs and line breaks inside a cell become spaces.
std::string cell_text(std::string_view s);

/// Metadata `key` = collapse(value), unless the value is empty or the key is there already.
void add_meta(document& doc, std::string key, std::string_view value);

/// The document's title from the child element "title" of `parent`, and metadata "title".
void add_title(document& doc, pugi::xml_node parent);

/// add_meta for each {key, local name of a child element of `parent`}, in that order.
void add_meta_from(document& doc, pugi::xml_node parent,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

} // namespace porchlight::docs::detail::office
