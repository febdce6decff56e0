#include <porchlight/docs/text.hpp>

#include <iconv.h>

#include <cerrno>
#include <string>

namespace porchlight::docs {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

// Length of the valid UTF-8 sequence at s[i], 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80)
        return 1;
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (d & 0x3F);
    }
    // no overlong forms, no surrogates, nothing past U+10FFFF
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto n = utf8_sequence(s, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

// iconv from `from` to UTF-8; false when iconv does not know the charset.
bool convert(std::string_view bytes, const std::string& from, std::string& out) {
    iconv_t cd = iconv_open("UTF-8", from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1))
        return false;
    out.clear();
    out.reserve(bytes.size() + bytes.size() / 2);
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char buf[8192];
    while (in_left > 0) {
        char* o = buf;
        std::size_t o_left = sizeof buf;
        const std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        out.append(buf, static_cast<std::size_t>(o - buf));
        if (r == static_cast<std::size_t>(-1)) {
            if (errno == E2BIG)
                continue;
            // EILSEQ or EINVAL (truncated sequence): one replacement, skip one byte
            out.append(replacement);
            ++in;
            --in_left;
            iconv(cd, nullptr, nullptr, nullptr, nullptr); // reset the shift state
        }
    }
    iconv_close(cd);
    return true;
}

} // namespace

std::string sanitize_utf8(std::string_view bytes) {
    if (valid_utf8(bytes))
        return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + 16);
    for (std::size_t i = 0; i < bytes.size();) {
        const auto n = utf8_sequence(bytes, i);
        if (n == 0) {
            out.append(replacement);
            ++i;
        } else {
            out.append(bytes.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
    std::string name(charset);
    for (auto& c : name)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    if (name.empty() || name == "UTF-8" || name == "UTF8" || name == "US-ASCII" || name == "ASCII")
        return sanitize_utf8(bytes);
    std::string out;
    if (convert(bytes, name, out))
        return sanitize_utf8(out);
    convert(bytes, "WINDOWS-1252", out);
    return sanitize_utf8(out);
}

std::string guess_to_utf8(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF"))
        return sanitize_utf8(bytes.substr(3));
    if (bytes.starts_with("\xFF\xFE"))
        return to_utf8(bytes.substr(2), "UTF-16LE");
    if (bytes.starts_with("\xFE\xFF"))
        return to_utf8(bytes.substr(2), "UTF-16BE");
    if (valid_utf8(bytes))
        return std::string(bytes);
    return to_utf8(bytes, "WINDOWS-1252");
}

} // namespace porchlight::docs
