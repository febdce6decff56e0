#pragma once

// Shared by the libFuzzer targets: the limits they parse with and a walk over a parsed
// document that reads every byte it holds, so that AddressSanitizer sees a string built
// from freed or out-of-range memory even when the target does nothing else with it.

#include <porchlight/docs/document.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace porchlight::fuzz {

/// Smaller than the defaults, so that one input cannot take the fuzzer past its memory
/// limit (-rss_limit_mb=2048) or its time limit per input.
inline const docs::limits& fuzz_limits() {
    static const docs::limits lim = [] {
        docs::limits l;
        l.max_document_bytes = 8ull << 20;
        l.max_expanded_bytes = 64ull << 20;
        l.max_entries = 1000;
        l.max_depth = 3;
        l.max_pages = 1000;
        l.max_text_bytes = 16ull << 20;
        return l;
    }();
    return lim;
}

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past
/// U+10FFFF): what every text the parsers return must be.
inline bool is_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (s.size() - i <= n)
            return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0u) != 0x80u)
                return false;
            cp = (cp << 6) | (d & 0x3Fu);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += n + 1;
    }
    return true;
}

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Where touch() leaves its result, so that the reads are not optimised away.
inline volatile unsigned char touch_sink = 0;

/// Reads every byte of `s`.
inline void touch(std::string_view s) {
    unsigned char sum = 0;
    for (const char c : s)
        sum = static_cast<unsigned char>(sum + static_cast<unsigned char>(c));
    touch_sink = sum;
}

inline void touch(const docs::email_header& h) {
    touch(h.from);
    for (const auto* list : {&h.to, &h.cc, &h.bcc})
        for (const auto& r : *list)
            touch(r);
    touch(h.subject);
    touch(h.message_id);
    touch(h.in_reply_to);
    touch(h.date_raw);
    for (const auto* o : {&h.sent_utc, &h.sent_offset, &h.sent_local})
        if (*o)
            touch(**o);
}

inline void touch(const docs::document& d) {
    touch(d.kind);
    touch(d.mime_type);
    touch(d.title);
    for (const auto& p : d.pages)
        touch(p.text);
    for (const auto& [key, value] : d.metadata) {
        touch(key);
        touch(value);
    }
    for (const auto& m : d.messages) {
        touch(m.header);
        touch(m.body);
    }
    for (const auto& c : d.children) {
        touch(c.name);
        touch(c.mime_type);
        touch(c.bytes);
    }
    for (const auto& w : d.warnings)
        touch(w);
}

} // namespace porchlight::fuzz
