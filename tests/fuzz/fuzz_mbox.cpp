// libFuzzer target: docs::parse_mbox on any bytes, read as an mbox file.
// parse_error (and limit_error) is how a parser turns down bad input; anything else that
// leaves the parser (another exception, a crash, a sanitizer report, a hang) is a bug.

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace porchlight;
    try {
        fuzz::touch(docs::parse_mbox(fuzz::as_view(data, size), fuzz::fuzz_limits()));
    } catch (const docs::parse_error&) {
    }
    return 0;
}
