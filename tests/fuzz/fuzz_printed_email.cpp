// libFuzzer target: docs::split_printed_emails over the input cut into pages at form
// feeds (as pdftotext separates pages). Every message must lie within the pages:
// 1 <= first_page <= last_page <= number of pages; a violation traps.

#include "fuzz_common.hpp"

#include <string>
#include <utility>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace porchlight;
    const auto bytes = fuzz::as_view(data, size);
    std::vector<docs::page> pages;
    std::size_t pos = 0;
    while (true) {
        const auto ff = bytes.find('\f', pos);
        docs::page p;
        p.text = std::string(bytes.substr(pos, ff == std::string_view::npos ? ff : ff - pos));
        pages.push_back(std::move(p));
        if (ff == std::string_view::npos)
            break;
        pos = ff + 1;
    }

    try {
        const auto messages = docs::split_printed_emails(pages);
        const auto page_count = static_cast<long long>(pages.size());
        for (const auto& m : messages) {
            if (m.first_page < 1 || m.last_page < m.first_page || m.last_page > page_count)
                __builtin_trap();
            fuzz::touch(m.header);
            fuzz::touch(m.body);
        }
    } catch (const docs::parse_error&) {
    }
    return 0;
}
