// libFuzzer target: docs::find_personal_data, then docs::redact with what it found. The
// spans must be in range, non-empty, sorted, not overlapping and of a known kind; a
// violation traps.

#include "fuzz_common.hpp"

#include <porchlight/docs/personal_data.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace porchlight;
    const auto text = fuzz::as_view(data, size);
    try {
        const auto spans = docs::find_personal_data(text);
        std::size_t previous_end = 0;
        for (const auto& s : spans) {
            if (s.begin < previous_end || s.begin >= s.end || s.end > text.size())
                __builtin_trap();
            if (s.kind != "email" && s.kind != "phone" && s.kind != "street_address")
                __builtin_trap();
            previous_end = s.end;
        }
        fuzz::touch(docs::redact(text, spans));
    } catch (const docs::parse_error&) {
    }
    return 0;
}
