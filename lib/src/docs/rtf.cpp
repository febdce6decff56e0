// RTF to text (detail/rtf.hpp): one pass over the RTF, groups on an explicit stack, text
// bytes converted from the code page in force. The compressed RTF that holds it is
// unpacked by msg_rtf_compressed.cpp.

#include "detail/rtf.hpp"

#include "detail/scan.hpp"

#include <porchlight/docs/text.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace porchlight::docs::rtf {
namespace {

using detail::is_alpha;
using detail::is_digit;

/// Appends code point `cp` to `out` as UTF-8 (U+FFFD for surrogates and out-of-range values).
void append_utf8(std::string& out, char32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// Deeper groups than this share their parent's state: hostile nesting costs nothing.
constexpr std::size_t max_nesting = 256;

/// Destinations whose text is not the document's text.
bool skipped_destination(std::string_view word) {
    // clang-format off
    static const std::unordered_set<std::string_view> words{
        "aftncn", "aftnsep", "aftnsepc", "annotation", "atnauthor", "atndate", "atnid",
        "atnparent", "atnref", "atntime", "author", "bkmkend", "bkmkstart", "blipuid", "buptim",
        "category", "colorschememapping", "colortbl", "comment", "company", "creatim",
        "datafield", "datastore", "defchp", "defpap", "do", "doccomm", "docvar", "falt",
        "fchars", "ffdeftext", "ffentrymcr", "ffexitmcr", "ffformat", "ffhelptext", "ffname",
        "ffstattext", "file", "filetbl", "fldinst", "fldtype", "fontemb", "fontfile", "footer",
        "footerf", "footerl", "footerr", "ftncn", "ftnsep", "ftnsepc", "generator", "header",
        "headerf", "headerl", "headerr", "hlinkbase", "info", "keycode", "keywords",
        "latentstyles", "lchars", "levelnumbers", "leveltext", "lfolevel", "linkval",
        "listoverridetable", "listpicture", "liststylename", "listtable", "lsdlockedexcept",
        "manager", "mhtmltag", "mmathPr", "nextfile", "nonshppict", "objalias", "objclass",
        "objdata", "object", "objname", "objsect", "objtime", "oldcprops", "oldpprops",
        "oldsprops", "oldtprops", "operator", "panose", "password", "passwordhash", "pgdsctbl",
        "pict", "pnseclvl", "printim", "private", "propname", "protusertbl", "pxe", "revtbl",
        "revtim", "rsidtbl", "rxe", "shpinst", "sn", "sp", "staticval", "stylesheet", "subject",
        "sv", "svb", "tc", "template", "themedata", "title", "txe", "userprops",
        "wgrffmtfilter", "windowcaption", "writereservation", "writereservhash", "xe", "xform",
        "xmlattrname", "xmlattrvalue", "xmlclose", "xmlname", "xmlnstbl", "xmlopen"};
    // clang-format on
    return words.count(word) > 0;
}

/// The code page of an RTF \fcharset; 0 when the document's \ansicpg applies.
int charset_codepage(long charset) {
    // clang-format off
    switch (charset) {
    case 77:  return 10000;
    case 128: return 932;
    case 129: return 949;
    case 130: return 1361;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    case 254: return 437;
    case 255: return 850;
    default:  return 0; // 0 ANSI, 1 default, 2 symbol ...: the document's \ansicpg
    }
    // clang-format on
}

/// One pass over RTF. In plain mode it collects the visible text; in HTML mode (for
/// \fromhtml1) it collects the encapsulated HTML: \*\htmltag groups and the text outside
/// \htmlrtf ... \htmlrtf0.
class reader {
  public:
    reader(std::string_view rtf, bool html, std::uint64_t max_bytes)
        : m_in(rtf), m_html(html), m_max(max_bytes) {}

    std::string read() {
        m_groups.push_back(group{});
        while (m_pos < m_in.size() && !m_done) {
            const char c = m_in[m_pos++];
            switch (c) {
            case '{':
                open_group();
                break;
            case '}':
                close_group();
                break;
            case '\\':
                control();
                break;
            case '\r':
            case '\n':
            case '\0':
                break;
            case '\t':
                symbol("\t");
                break;
            default:
                text_byte(c);
                break;
            }
        }
        flush();
        return std::move(m_out);
    }

  private:
    struct group {
        bool skip = false;       // a destination whose text is not wanted
        bool font_table = false; // inside \fonttbl: \fN \fcharsetN define fonts
        bool html_tag = false;   // inside \*\htmltag: HTML source
        bool html_rtf = false;   // inside \htmlrtf ... \htmlrtf0: RTF-only text
        int uc = 1;              // bytes that stand in for each \uN
        long font = -1;
    };

    void open_group() {
        flush_code_unit();
        m_unicode_skip = 0;
        m_ignorable = false;
        m_started = true;
        if (m_groups.size() >= max_nesting)
            ++m_overflow;
        else
            m_groups.push_back(m_groups.back());
    }

    void close_group() {
        flush_code_unit();
        m_unicode_skip = 0;
        m_ignorable = false;
        if (m_overflow > 0)
            --m_overflow;
        else if (m_groups.size() > 1)
            m_groups.pop_back();
        if (m_started && m_groups.size() == 1 && m_overflow == 0)
            m_done = true; // the document's group is closed; what follows is not RTF
    }

    static int hex_value(char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    // After a backslash.
    void control() {
        if (m_pos >= m_in.size())
            return;
        const char c = m_in[m_pos];
        if (is_alpha(c)) {
            const std::size_t start = m_pos;
            while (m_pos < m_in.size() && is_alpha(m_in[m_pos]))
                ++m_pos;
            const std::string_view word =
                m_in.substr(start, std::min<std::size_t>(m_pos - start, 32));
            bool has_param = false;
            bool negative = false;
            long param = 0;
            if (m_pos < m_in.size() && m_in[m_pos] == '-' && m_pos + 1 < m_in.size() &&
                is_digit(m_in[m_pos + 1])) {
                negative = true;
                ++m_pos;
            }
            while (m_pos < m_in.size() && is_digit(m_in[m_pos])) {
                has_param = true;
                if (param < 100000000)
                    param = param * 10 + (m_in[m_pos] - '0');
                ++m_pos;
            }
            if (negative)
                param = -param;
            if (m_pos < m_in.size() && m_in[m_pos] == ' ')
                ++m_pos; // the delimiter belongs to the control word
            control_word(word, has_param, param);
            return;
        }
        ++m_pos;
        switch (c) {
        case '\'': {
            if (m_pos + 2 <= m_in.size()) {
                const int hi = hex_value(m_in[m_pos]);
                const int lo = hex_value(m_in[m_pos + 1]);
                if (hi >= 0 && lo >= 0) {
                    m_pos += 2;
                    text_byte(static_cast<char>(hi * 16 + lo));
                }
            }
            break;
        }
        case '\\':
        case '{':
        case '}':
            text_byte(c);
            break;
        case '*':
            m_ignorable = true;
            break;
        case '~':
            symbol("\xC2\xA0");
            break; // non-breaking space
        case '_':
            symbol("-");
            break; // non-breaking hyphen
        case '\r':
        case '\n':
            symbol("\n");
            break; // same as \par
        default:
            consume_unicode_skip();
            break; // \- optional hyphen, \: index entry ...
        }
    }

    // Control word `word` with its optional numeric parameter.
    void control_word(std::string_view word, bool has_param, long param) {
        const bool ignorable = m_ignorable;
        m_ignorable = false;
        group& g = m_groups.back();
        if (word == "bin") {
            // binary data follows: skip it, whatever it holds
            const auto n = has_param && param > 0 ? static_cast<std::size_t>(param) : 0;
            m_pos += std::min(n, m_in.size() - m_pos);
            return;
        }
        if (consume_unicode_skip())
            return;
        if (word == "u") {
            unicode(param < 0 ? param + 65536 : param);
            m_unicode_skip = g.uc;
            return;
        }
        if (word == "uc") {
            g.uc = static_cast<int>(std::clamp(param, 0L, 16L));
        } else if (word == "ansicpg") {
            if (param > 0)
                m_ansi_cp = static_cast<int>(param);
        } else if (word == "ansi") {
            m_ansi_cp = 1252;
        } else if (word == "mac") {
            m_ansi_cp = 10000;
        } else if (word == "pc") {
            m_ansi_cp = 437;
        } else if (word == "pca") {
            m_ansi_cp = 850;
        } else if (word == "deff") {
            m_default_font = param;
        } else if (word == "f") {
            if (g.font_table)
                m_defining_font = param;
            else
                g.font = param;
        } else if (word == "fcharset") {
            if (g.font_table && m_font_cp.size() < 4096)
                m_font_cp[m_defining_font] = charset_codepage(param);
        } else if (word == "cpg") {
            if (g.font_table && m_font_cp.size() < 4096 && param > 0)
                m_font_cp[m_defining_font] = static_cast<int>(param);
        } else if (word == "fonttbl") {
            g.font_table = true;
            g.skip = true;
        } else if (word == "htmlrtf") {
            g.html_rtf = !(has_param && param == 0);
        } else if (word == "htmltag") {
            if (m_html && ignorable) {
                g.html_tag = true;
                g.html_rtf = false;
                g.skip = false;
            } else {
                g.skip = true;
            }
        } else if (word == "par" || word == "line" || word == "sect" || word == "page" ||
                   word == "row") {
            symbol(m_html ? "\r\n" : "\n");
        } else if (word == "tab" || word == "cell") {
            symbol("\t");
        } else if (word == "emdash") {
            symbol("\u2014");
        } else if (word == "endash") {
            symbol("\u2013");
        } else if (word == "bullet") {
            symbol("\u2022");
        } else if (word == "lquote") {
            symbol("\u2018");
        } else if (word == "rquote") {
            symbol("\u2019");
        } else if (word == "ldblquote") {
            symbol("\u201C");
        } else if (word == "rdblquote") {
            symbol("\u201D");
        } else if (word == "emspace" || word == "enspace" || word == "qmspace") {
            symbol(" ");
        } else if (ignorable || skipped_destination(word)) {
            g.skip = true;
        }
    }

    // One character of the \ucN replacement after \uN: true when it is skipped.
    bool consume_unicode_skip() {
        if (m_unicode_skip == 0)
            return false;
        --m_unicode_skip;
        return true;
    }

    bool emitting() const {
        const group& g = m_groups.back();
        if (g.skip)
            return false;
        return !m_html || g.html_tag || !g.html_rtf;
    }

    int current_codepage() const {
        const group& g = m_groups.back();
        const long font = g.font >= 0 ? g.font : m_default_font;
        if (const auto it = m_font_cp.find(font); it != m_font_cp.end() && it->second > 0)
            return it->second;
        return m_ansi_cp;
    }

    void text_byte(char c) {
        if (consume_unicode_skip() || !emitting())
            return;
        flush_code_unit();
        const int cp = current_codepage();
        if (!m_pending.empty() && cp != m_pending_cp)
            flush();
        m_pending_cp = cp;
        m_pending += c;
        if (m_pending.size() >= 4096)
            flush_at_boundary();
    }

    // Text that does not depend on the code page.
    void symbol(std::string_view utf8) {
        if (consume_unicode_skip() || !emitting())
            return;
        flush();
        append(utf8);
    }

    void unicode(long value) {
        if (!emitting())
            return;
        flush();
        const auto cp = static_cast<char32_t>(value);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            flush_code_unit();
            m_high_surrogate = cp;
            return;
        }
        std::string s;
        if (cp >= 0xDC00 && cp <= 0xDFFF && m_high_surrogate != 0) {
            append_utf8(s, 0x10000 + ((m_high_surrogate - 0xD800) << 10) + (cp - 0xDC00));
            m_high_surrogate = 0;
        } else {
            flush_code_unit();
            append_utf8(s, cp);
        }
        append(s);
    }

    // A high surrogate that no low one followed.
    void flush_code_unit() {
        if (m_high_surrogate == 0)
            return;
        m_high_surrogate = 0;
        append("\xEF\xBF\xBD");
    }

    // Converts the pending bytes in the middle of a run of text, keeping back a character
    // the run has not finished (a lead byte of a double-byte code page, a UTF-8 sequence).
    void flush_at_boundary() {
        std::size_t cut = m_pending.size();
        if (m_pending_cp == 932 || m_pending_cp == 936 || m_pending_cp == 949 ||
            m_pending_cp == 950 || m_pending_cp == 1361) {
            std::size_t i = 0; // a lead byte (>= 0x81) takes the next byte with it
            while (i < m_pending.size())
                i += static_cast<unsigned char>(m_pending[i]) >= 0x81 ? 2 : 1;
            if (i > m_pending.size())
                cut = m_pending.size() - 1;
        } else if (m_pending_cp == 65001) {
            std::size_t back = 0; // continuation bytes at the end
            while (back < 3 && back < m_pending.size() &&
                   (static_cast<unsigned char>(m_pending[m_pending.size() - 1 - back]) & 0xC0) ==
                       0x80)
                ++back;
            if (back < m_pending.size()) {
                const auto lead =
                    static_cast<unsigned char>(m_pending[m_pending.size() - 1 - back]);
                const std::size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
                if (need > back)
                    cut = m_pending.size() - 1 - back;
            }
        }
        std::string keep = m_pending.substr(cut);
        m_pending.resize(cut);
        flush();
        m_pending = std::move(keep);
    }

    void flush() {
        if (m_pending.empty())
            return;
        const std::string text = to_utf8(m_pending, codepage_charset(m_pending_cp));
        m_pending.clear();
        append(text);
    }

    void append(std::string_view s) {
        if (m_out.size() + s.size() > m_max)
            throw limit_error("RTF body: text past the limit of " + std::to_string(m_max) +
                              " bytes");
        m_out += s;
    }

    std::string_view m_in;
    bool m_html;
    std::uint64_t m_max;
    std::size_t m_pos = 0;
    std::vector<group> m_groups;
    std::size_t m_overflow = 0; // groups opened past max_nesting
    bool m_started = false;
    bool m_done = false;
    bool m_ignorable = false; // after \*
    int m_unicode_skip = 0;
    char32_t m_high_surrogate = 0;
    int m_ansi_cp = 1252;
    long m_default_font = -1;
    long m_defining_font = -1;
    std::map<long, int> m_font_cp;
    std::string m_pending; // text bytes in m_pending_cp
    int m_pending_cp = 1252;
    std::string m_out;
};

/// Whether the RTF header declares encapsulated HTML (\fromhtml1), before any text.
bool encapsulates_html(std::string_view rtf) {
    const std::string_view head = rtf.substr(0, 2048);
    const auto at = head.find("\\fromhtml");
    if (at == std::string_view::npos)
        return false;
    const std::size_t p = at + 9;
    return p < head.size() && head[p] == '1';
}

} // namespace

std::string codepage_charset(std::int64_t cp) {
    if (cp == 65001)
        return "utf-8";
    if (cp == 1200)
        return "utf-16le";
    if (cp == 1201)
        return "utf-16be";
    if (cp == 20127)
        return "us-ascii";
    if (cp >= 1250 && cp <= 1258)
        return "windows-" + std::to_string(cp);
    if (cp >= 28591 && cp <= 28606)
        return "iso-8859-" + std::to_string(cp - 28590);
    switch (cp) {
    case 10000:
        return "macintosh";
    case 20866:
        return "koi8-r";
    case 21866:
        return "koi8-u";
    case 50220:
    case 50221:
    case 50222:
        return "iso-2022-jp";
    case 51932:
        return "euc-jp";
    case 51949:
        return "euc-kr";
    case 54936:
        return "gb18030";
    default:
        break;
    }
    if (cp > 0 && cp < 100000)
        return "cp" + std::to_string(cp); // cp874, cp932, cp936, cp949, cp950, cp437 ...
    return "windows-1252";
}

std::string encapsulated_html(std::string_view rtf_bytes, std::uint64_t max_bytes) {
    if (!encapsulates_html(rtf_bytes))
        return {};
    return reader(rtf_bytes, true, max_bytes).read();
}

text_result to_text(std::string_view rtf_bytes, std::uint64_t max_bytes) {
    text_result result;
    if (encapsulates_html(rtf_bytes)) {
        result.from_html = true;
        result.text = html_to_text(reader(rtf_bytes, true, max_bytes).read());
    } else {
        result.text = reader(rtf_bytes, false, max_bytes).read();
    }
    while (!result.text.empty() && (result.text.back() == '\n' || result.text.back() == ' ' ||
                                    result.text.back() == '\t' || result.text.back() == '\r'))
        result.text.pop_back();
    return result;
}

} // namespace porchlight::docs::rtf
