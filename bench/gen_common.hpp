#pragma once

// What the benchmark generators share: a small deterministic random generator and the
// parsing of their numeric arguments. Standard library only, like the generators.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>

namespace bench {

/// SplitMix64: tiny, fast, and the same sequence for the same seed on every platform.
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform-enough integer in [0, n) (n > 0); modulo bias is irrelevant here.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    bool chance(std::uint64_t per_thousand) { return below(1000) < per_thousand; }
    template <class T, std::size_t N> const T& pick(const T (&a)[N]) { return a[below(N)]; }
};

/// Appends v in decimal to s, zero-padded to width digits.
inline void num(std::string& s, std::uint64_t v, int width = 0) {
    char tmp[24];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    for (int n = static_cast<int>(r.ptr - tmp); n < width; ++n)
        s.push_back('0');
    s.append(tmp, r.ptr);
}

/// A whole unsigned decimal number, nothing else.
inline bool parse_u64(const char* s, std::uint64_t& v) {
    const auto end = s + std::strlen(s);
    const auto r = std::from_chars(s, end, v);
    return r.ec == std::errc() && r.ptr == end;
}

} // namespace bench
