#pragma once

// HTML as UTF-8 to text with libxml2's HTML parser, driven through SAX callbacks
// (html_walker.cpp): no tree is built, so nothing recurses over the document and libxml2's
// tree depth limit does not cut the text short.

#include <string>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::html {

/// Deeper than this, the parse stops and starts again after the tag as a new document:
/// libxml2 looks through its whole stack of open elements for some tags, which makes
/// thousands of nested elements quadratic.
constexpr int max_depth = 256;

struct html_result {
    std::string text;  ///< valid UTF-8
    std::string title; ///< valid UTF-8
    std::vector<std::pair<std::string, std::string>> metadata;
    bool too_deep = false; ///< elements nested deeper than max_depth
};

/// What HTML, decoded to UTF-8 already (libxml2 ignores its <meta charset>), reads as.
html_result walk_html(std::string utf8);

} // namespace porchlight::docs::detail::html
