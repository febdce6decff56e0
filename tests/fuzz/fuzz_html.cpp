// libFuzzer target: docs::parse_html, then docs::html_to_text, on any bytes.
// html_to_text never throws and always returns UTF-8; a violation traps.

#include "fuzz_common.hpp"

#include <porchlight/docs/text.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace porchlight;
    const auto bytes = fuzz::as_view(data, size);
    try {
        fuzz::touch(docs::parse_html(bytes, fuzz::fuzz_limits()));
    } catch (const docs::parse_error&) {
    }

    std::string title;
    const auto text = docs::html_to_text(bytes, &title);
    if (!fuzz::is_utf8(text) || !fuzz::is_utf8(title))
        __builtin_trap();
    fuzz::touch(docs::html_to_text(bytes)); // without a title, too
    return 0;
}
