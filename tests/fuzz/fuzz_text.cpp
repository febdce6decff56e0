// libFuzzer target: docs::parse_text, docs::guess_to_utf8, and docs::to_utf8 with a
// charset chosen by the first byte. The charset helpers never throw and always return
// UTF-8; a violation traps.

#include "fuzz_common.hpp"

#include <porchlight/docs/text.hpp>

#include <iterator>
#include <string_view>

namespace {

// Stateful (iso-2022-jp, utf-7), multi-byte, wide, single-byte, and unknown names.
constexpr std::string_view charsets[] = {"utf-8",
                                         "us-ascii",
                                         "windows-1252",
                                         "iso-8859-1",
                                         "iso-8859-15",
                                         "utf-16le",
                                         "utf-16be",
                                         "utf-16",
                                         "utf-32",
                                         "utf-7",
                                         "shift_jis",
                                         "gb18030",
                                         "big5",
                                         "iso-2022-jp",
                                         "koi8-r",
                                         "x-no-such-charset",
                                         ""};

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace porchlight;
    const auto bytes = fuzz::as_view(data, size);
    try {
        fuzz::touch(docs::parse_text(bytes, fuzz::fuzz_limits()));
    } catch (const docs::parse_error&) {
    }

    const auto guessed = docs::guess_to_utf8(bytes);
    if (!fuzz::is_utf8(guessed))
        __builtin_trap();
    // "valid UTF-8 is kept"
    if (fuzz::is_utf8(bytes) && !bytes.starts_with(utf8_bom) && guessed != bytes)
        __builtin_trap();

    const auto sanitized = docs::sanitize_utf8(bytes);
    if (!fuzz::is_utf8(sanitized) || (fuzz::is_utf8(bytes) && sanitized != bytes))
        __builtin_trap();

    if (size > 0) {
        const auto charset = charsets[data[0] % std::size(charsets)];
        if (!fuzz::is_utf8(docs::to_utf8(bytes.substr(1), charset)))
            __builtin_trap();
    }
    return 0;
}
