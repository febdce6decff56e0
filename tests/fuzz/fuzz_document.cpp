// libFuzzer target: docs::parse_document as the ingester calls it. The first byte picks
// the file name (so the extension takes part in detection), the rest are the file's
// bytes. Children (attachments, archive entries, mbox messages) are parsed in turn, down
// to depth 3; one bad child does not stop the others.

#include "fuzz_common.hpp"

#include <iterator>
#include <string_view>

namespace {

using namespace porchlight;

constexpr std::string_view names[] = {"x.pdf",  "x.eml", "x.mbox", "x.msg",
                                      "x.docx", "x.zip", "x.html", "x.txt"};

constexpr unsigned max_child_depth = 3;
constexpr unsigned max_children = 1000; ///< over the whole tree, so that one input stays fast

void walk(const docs::document& d, unsigned depth, unsigned& budget) {
    fuzz::touch(d);
    if (depth >= max_child_depth)
        return;
    for (const auto& child : d.children) {
        if (budget == 0)
            return;
        --budget;
        try {
            walk(docs::parse_document(child.name, child.bytes, fuzz::fuzz_limits()), depth + 1,
                 budget);
        } catch (const docs::parse_error&) {
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const auto name = names[data[0] % std::size(names)];
    unsigned budget = max_children;
    try {
        walk(docs::parse_document(name, fuzz::as_view(data + 1, size - 1), fuzz::fuzz_limits()), 0,
             budget);
    } catch (const docs::parse_error&) {
    }
    return 0;
}
