// Outlook .msg (MS-OXMSG): one MAPI message saved in an OLE2 compound file, read with libgsf.
//
// The root storage holds the message's properties (MS-OXMSG 2.1, 2.4):
//   __substg1.0_IIIITTTT            one stream per variable-size property, id IIII and type
//                                   TTTT: 001F UTF-16LE string, 001E 8-bit string in the
//                                   message code page, 0102 binary, 000D an object stored as
//                                   a storage (an embedded message)
//   __properties_version1.0         the fixed-size properties, 16 bytes each after a header
//                                   of 32 bytes (the message), 24 (an embedded message) or 8
//                                   (a recipient, an attachment)
//   __recip_version1.0_#XXXXXXXX    one storage per recipient
//   __attach_version1.0_#XXXXXXXX   one storage per attachment
// Property ids are MS-OXPROPS's (PidTagSubject 0x0037 ...).

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include "detail/rtf.hpp"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {
namespace {

// ---------------------------------------------------------------------------------------
// libgsf plumbing

struct gobject_unref {
    void operator()(gpointer object) const noexcept { g_object_unref(object); }
};
template <class T> using gobject_ptr = std::unique_ptr<T, gobject_unref>;

struct gerror_free {
    void operator()(GError* error) const noexcept { g_error_free(error); }
};
using gerror_ptr = std::unique_ptr<GError, gerror_free>;

// libgsf reports damaged files with g_warning / g_critical (in its own log domains and in
// the default one). The library never writes to stderr: while a parse runs on this thread,
// GLib's messages go to that parse's warnings; at any other time (another thread, another
// library) they go on to the default handler that was there before.
thread_local std::vector<std::string>* t_gsf_log = nullptr;
GLogFunc g_previous_log_handler = nullptr;

void on_glib_log(const gchar* domain, GLogLevelFlags level, const gchar* message, gpointer data) {
    if (t_gsf_log == nullptr) {
        (g_previous_log_handler != nullptr ? g_previous_log_handler
                                           : g_log_default_handler)(domain, level, message, data);
        return;
    }
    if (t_gsf_log->size() < 16)
        t_gsf_log->push_back(std::string("libgsf: ") + (message != nullptr ? message : ""));
}

void init_gsf() {
    static std::once_flag once;
    std::call_once(once, [] {
        gsf_init();
        g_previous_log_handler = g_log_set_default_handler(on_glib_log, nullptr);
    });
}

/// Sends libgsf's messages on this thread to `sink` while it lives.
class gsf_log_scope {
  public:
    explicit gsf_log_scope(std::vector<std::string>& sink) : m_previous(t_gsf_log) {
        t_gsf_log = &sink;
    }
    ~gsf_log_scope() { t_gsf_log = m_previous; }
    gsf_log_scope(const gsf_log_scope&) = delete;
    gsf_log_scope& operator=(const gsf_log_scope&) = delete;

  private:
    std::vector<std::string>* m_previous;
};

// ---------------------------------------------------------------------------------------
// small text helpers

std::uint16_t le16(std::string_view s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      static_cast<unsigned char>(s[at + 1]) << 8);
}

std::uint32_t le32(std::string_view s, std::size_t at) {
    return static_cast<std::uint32_t>(le16(s, at)) | static_cast<std::uint32_t>(le16(s, at + 2))
                                                         << 16;
}

std::string upper_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && upper_ascii(a) == upper_ascii(b);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return std::string(s);
}

bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

// One line of a header field: control characters (CR, LF ...) become spaces.
std::string single_line(std::string_view s) {
    std::string out = trim(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = ' ';
    return out;
}

// "\r\n" and lone "\r" as "\n".
std::string unix_newlines(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n')
                ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += separator;
        out += item;
    }
    return out;
}

std::string hex4(unsigned value) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", value & 0xFFFF);
    return buf;
}

// A message id without its angle brackets.
std::string strip_angle_brackets(std::string_view s) {
    std::string id = trim(s);
    if (!id.empty() && id.front() == '<') {
        const auto close = id.find('>');
        id = id.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    }
    return single_line(id);
}

// An SMTP address, not an Exchange X500 one ("/O=EXCHANGELABS/OU=...").
bool is_smtp_address(std::string_view s) {
    return !s.empty() && s.front() != '/' && s.find('@') != std::string_view::npos &&
           std::none_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

// ---------------------------------------------------------------------------------------
// dates

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_time {
    std::int64_t year;
    unsigned month, day, hour, minute, second, weekday; // weekday 0 = Sunday
};

civil_time civil_from_unix(std::int64_t t) {
    std::int64_t days = t / 86400;
    std::int64_t rest = t % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    civil_time c{};
    c.weekday = static_cast<unsigned>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = static_cast<std::int64_t>(yoe) + era * 400 + (c.month <= 2);
    c.hour = static_cast<unsigned>(rest / 3600);
    c.minute = static_cast<unsigned>(rest % 3600 / 60);
    c.second = static_cast<unsigned>(rest % 60);
    return c;
}

// "YYYY-MM-DDTHH:MM:SS"
std::string iso_local(std::int64_t t) {
    const civil_time c = civil_from_unix(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u",
                  static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
    return buf;
}

std::string iso_utc(std::int64_t t) {
    return iso_local(t) + "Z";
}

// "+HH:MM" / "-HH:MM"
std::string offset_text(int minutes) {
    char buf[16];
    const int a = minutes < 0 ? -minutes : minutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// RFC 5322 date of a UTC time: "Tue, 08 Jun 2021 16:30:19 +0000"
std::string rfc5322_date(std::int64_t t) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const civil_time c = civil_from_unix(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02u:%02u:%02u +0000", days[c.weekday],
                  c.day, month_names[c.month - 1], static_cast<long long>(c.year), c.hour, c.minute,
                  c.second);
    return buf;
}

constexpr std::int64_t min_time = -11644473600; // 1601-01-01, FILETIME's epoch
constexpr std::int64_t max_time = 253402300799; // 9999-12-31T23:59:59Z

// A FILETIME (100 ns since 1601-01-01 UTC) as Unix seconds; nullopt for 0 and the far future.
std::optional<std::int64_t> filetime_to_unix(std::uint64_t ft) {
    if (ft == 0)
        return std::nullopt;
    const auto t = static_cast<std::int64_t>(ft / 10000000) + min_time;
    if (t > max_time)
        return std::nullopt;
    return t;
}

struct header_date {
    std::int64_t utc;
    std::optional<int> offset_minutes; // the sender's offset; none for "-0000"
};

// An RFC 5322 date ("Tue, 08 Jun 2021 16:30:19 +0000 (UTC)", obsolete zone names too);
// nullopt when it is not one or has no zone.
std::optional<header_date> parse_rfc5322_date(std::string_view s) {
    std::vector<std::string> tokens;
    std::string current;
    int comment = 0;
    for (const char c : s) {
        if (c == '(') {
            ++comment;
        } else if (c == ')' && comment > 0) {
            --comment;
        } else if (comment == 0 && !is_space(c) && c != ',') {
            current += c;
            continue;
        }
        if (!current.empty())
            tokens.push_back(std::move(current));
        current.clear();
        if (tokens.size() > 16)
            return std::nullopt;
    }
    if (!current.empty())
        tokens.push_back(std::move(current));
    std::size_t i = 0;
    const auto number = [](const std::string& t, int& out) {
        if (t.empty() || t.size() > 4 ||
            !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        out = std::stoi(t);
        return true;
    };
    int day = 0;
    if (i < tokens.size() && !number(tokens[i], day))
        ++i; // the day of the week
    if (i + 4 > tokens.size() || !number(tokens[i], day))
        return std::nullopt;
    unsigned month = 0;
    for (unsigned m = 0; m < 12; ++m)
        if (tokens[i + 1].size() >= 3 && iequals(tokens[i + 1].substr(0, 3), month_names[m]))
            month = m + 1;
    int year = 0;
    if (month == 0 || !number(tokens[i + 2], year))
        return std::nullopt;
    if (tokens[i + 2].size() == 2)
        year += year < 50 ? 2000 : 1900;
    else if (tokens[i + 2].size() == 3)
        year += 1900;
    int hour = 0, minute = 0, second = 0;
    {
        const std::string& t = tokens[i + 3];
        int n = 0;
        if (std::sscanf(t.c_str(), "%2d:%2d:%2d%n", &hour, &minute, &second, &n) != 3 ||
            static_cast<std::size_t>(n) != t.size()) {
            second = 0;
            if (std::sscanf(t.c_str(), "%2d:%2d%n", &hour, &minute, &n) != 2 ||
                static_cast<std::size_t>(n) != t.size())
                return std::nullopt;
        }
    }
    if (day < 1 || day > 31 || year < 1601 || year > 9999 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 60)
        return std::nullopt;
    if (i + 4 >= tokens.size())
        return std::nullopt; // no zone: the UTC time is not known
    const std::string& zone = tokens[i + 4];
    std::optional<int> offset;
    if ((zone.size() == 5) && (zone[0] == '+' || zone[0] == '-') &&
        std::all_of(zone.begin() + 1, zone.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const int hh = std::stoi(zone.substr(1, 2));
        const int mm = std::stoi(zone.substr(3, 2));
        if (hh > 18 || mm > 59)
            return std::nullopt;
        if (zone != "-0000") // -0000: the time is UTC, the sender's offset is not known
            offset = (zone[0] == '-' ? -1 : 1) * (hh * 60 + mm);
    } else {
        static constexpr std::pair<const char*, int> names[] = {
            {"UT", 0},        {"UTC", 0},       {"GMT", 0},       {"Z", 0},
            {"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60}, {"CDT", -5 * 60},
            {"MST", -7 * 60}, {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60}};
        bool known = false;
        for (const auto& [name, minutes] : names)
            if (iequals(zone, name)) {
                offset = minutes;
                known = true;
            }
        if (!known)
            return std::nullopt;
    }
    const std::int64_t local = days_from_civil(year, month, static_cast<unsigned>(day)) * 86400 +
                               hour * 3600 + minute * 60 + second;
    return header_date{local - offset.value_or(0) * 60, offset};
}

// The first field `name` of an RFC 5322 header block, unfolded; "" when absent.
std::string header_field(std::string_view headers, std::string_view name) {
    std::string value;
    bool in_field = false;
    std::size_t pos = 0;
    while (pos < headers.size()) {
        auto end = headers.find('\n', pos);
        if (end == std::string_view::npos)
            end = headers.size();
        std::string_view line = headers.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() && !value.empty())
            break;
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
            if (in_field)
                value += " " + trim(line);
            continue;
        }
        if (in_field)
            break;
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name)) {
            in_field = true;
            value = trim(line.substr(colon + 1));
        }
    }
    return single_line(value);
}

// ---------------------------------------------------------------------------------------
// what libgsf would do with the directory
//
// libgsf 1.14 reads a compound file's directory recursively, one stack frame per entry
// along the sibling and child links (a chain of 50,000 siblings, 6 MB of hostile file,
// overflows an 8 MB stack), and sizes stack arrays (alloca) by the allocation tables.
// Before libgsf sees the bytes, this replays its reading of the header, the allocation
// table and the directory without recursion, and refuses what would go too deep.

namespace cfb {

constexpr std::uint32_t end_of_entries = 0xFFFFFFFF; // no sibling / child
constexpr std::uint32_t unused_sector = 0xFFFFFFFF;
constexpr std::uint32_t special_sectors = 0xFFFFFFFC; // and above: DIFAT, FAT, end, free
constexpr std::size_t max_walk_depth = 1000;          // frames of libgsf's directory walk
// libgsf sorts the entries of a storage, and lists them, in time quadratic in their number:
// the sum of the squares stays under that of one storage of 10,000 entries (about a second)
constexpr std::uint64_t max_listing_cost = std::uint64_t{10000} * 10000;
constexpr std::uint64_t max_alloca = 256 * 1024; // bytes of one libgsf stack array

struct layout {
    std::string_view file;
    unsigned shift;          // sector size 1 << shift
    std::uint64_t first;     // offset of sector 0
    std::uint64_t max_block; // sectors libgsf will read
};

// Sector `n`, or empty when libgsf could not read it.
std::string_view sector(const layout& l, std::uint64_t n) {
    const std::uint64_t size = std::uint64_t{1} << l.shift;
    const std::uint64_t at = l.first + (n << l.shift);
    if (n >= l.max_block || at + size > l.file.size())
        return {};
    return l.file.substr(static_cast<std::size_t>(at), static_cast<std::size_t>(size));
}

// The chain from `start` as libgsf follows it: through the table, stopping at a loop.
std::vector<std::uint32_t> chain(const std::vector<std::uint32_t>& table, std::uint32_t start) {
    std::vector<std::uint32_t> out;
    std::vector<bool> used(table.size(), false);
    for (std::uint32_t n = start; n < table.size() && !used[n]; n = table[n]) {
        used[n] = true;
        out.push_back(n);
    }
    return out;
}

enum class verdict {
    safe,
    unreadable,
    too_deep,
    too_many_children,
    table_too_large,
    root_siblings
};

// libgsf's walk of one layout (header of 512 bytes, or one sector for 4096-byte sectors).
verdict replay(const layout& l, std::string_view header) {
    const std::uint32_t per_sector = (std::uint32_t{1} << l.shift) / 4;
    const std::uint32_t num_bat = le32(header, 0x2C);
    const std::uint32_t dirent_start = le32(header, 0x30);
    const std::uint32_t sbat_start = le32(header, 0x3C);
    const std::uint32_t num_sbat = le32(header, 0x40);
    std::uint32_t metabat_block = le32(header, 0x44);
    const std::uint32_t num_metabat = le32(header, 0x48);
    const std::uint64_t num_blocks = std::uint64_t{num_bat} * per_sector;
    if (!(num_bat < l.max_block && num_sbat < l.max_block && num_blocks < 0x7FFFFFFF))
        return verdict::unreadable;
    if (num_blocks / 8 + 1 > max_alloca)
        return verdict::table_too_large;

    // the allocation table: the sectors the header lists, then the DIFAT chain
    std::vector<std::uint32_t> table;
    table.reserve(static_cast<std::size_t>(num_blocks));
    const auto append = [&](const std::vector<std::uint32_t>& sectors) {
        for (const std::uint32_t n : sectors) {
            if (n == unused_sector) {
                table.insert(table.end(), per_sector, unused_sector);
                continue;
            }
            const std::string_view data = sector(l, n);
            if (data.empty())
                return false;
            for (std::size_t at = 0; at < data.size(); at += 4) {
                const std::uint32_t v = le32(data, at);
                if (v >= num_blocks && v < special_sectors)
                    return false;
                table.push_back(v);
            }
        }
        return true;
    };
    std::vector<std::uint32_t> listed;
    for (std::uint32_t i = 0; i < std::min<std::uint32_t>(num_bat, 109); ++i)
        listed.push_back(le32(header, 0x4C + 4 * std::size_t{i}));
    if (!append(listed))
        return verdict::unreadable;
    std::uint32_t remaining = num_bat - static_cast<std::uint32_t>(listed.size());
    std::uint32_t last = per_sector - 1;
    for (std::uint32_t k = num_metabat; k > 0; --k) {
        const std::string_view data = sector(l, metabat_block);
        if (data.empty())
            return verdict::unreadable;
        std::vector<std::uint32_t> values;
        for (std::size_t at = 0; at < data.size(); at += 4)
            values.push_back(le32(data, at));
        if (k == 1) {
            if (last < remaining)
                return verdict::unreadable;
            last = remaining;
        } else {
            metabat_block = values[last];
            if (remaining < last)
                return verdict::unreadable;
            remaining -= last;
        }
        values.resize(last);
        if (!append(values))
            return verdict::unreadable;
    }
    table.resize(static_cast<std::size_t>(num_blocks), 0);

    // the mini-stream table (read when a small stream is opened): its own stack array
    if (std::uint64_t{chain(table, sbat_start).size()} * per_sector / 8 + 1 > max_alloca)
        return verdict::table_too_large;

    // the directory, entry by entry, in libgsf's order: previous, next, then child
    const std::vector<std::uint32_t> dir = chain(table, dirent_start);
    std::vector<bool> seen(dir.size() * (per_sector / 32) + 1, false);
    struct frame {
        std::uint32_t entry;
        std::uint32_t links[3]; // previous, next, child
        std::uint32_t parent;   // the storage it is in; end_of_entries for none
        bool directory;
        int stage;
    };
    std::vector<frame> frames;
    std::vector<std::uint32_t> children(seen.size(), 0);
    bool orphans = false;
    const auto enter = [&](std::uint32_t entry, bool root, std::uint32_t parent) {
        if (entry == end_of_entries || entry >= seen.size())
            return;
        const std::uint64_t offset = std::uint64_t{entry} * 128;
        const std::uint64_t block = offset >> l.shift;
        if (block >= dir.size() || seen[entry])
            return;
        seen[entry] = true;
        const std::string_view data = sector(l, dir[static_cast<std::size_t>(block)]);
        if (data.empty())
            return;
        const std::string_view e = data.substr(offset % data.size(), 128);
        const auto type = static_cast<unsigned char>(e[0x42]);
        if (type != 1 && type != 2 && type != 5)
            return;
        const bool directory = root || type != 2;
        if (!directory && le32(e, 0x78) > static_cast<std::uint32_t>(l.file.size()))
            return;
        frames.push_back(
            {entry, {le32(e, 0x44), le32(e, 0x48), le32(e, 0x4C)}, parent, directory, 0});
        if (parent != end_of_entries)
            ++children[parent];
        // libgsf reads siblings of the root (invalid: MS-CFB 2.6.3) into entries that no
        // storage owns, and never frees them
        orphans = orphans || (parent == end_of_entries && !root);
    };
    enter(0, true, end_of_entries);
    while (!frames.empty()) {
        if (frames.size() > max_walk_depth)
            return verdict::too_deep;
        frame& f = frames.back();
        const int stage = f.stage++;
        if (stage < 2 || (stage == 2 && f.directory)) // may reallocate `frames`: f dies here
            enter(f.links[stage], false, stage < 2 ? f.parent : f.entry);
        else if (stage >= 2)
            frames.pop_back();
    }
    std::uint64_t cost = 0;
    for (const std::uint32_t n : children)
        cost += std::uint64_t{n} * n;
    if (cost > max_listing_cost)
        return verdict::too_many_children;
    return orphans ? verdict::root_siblings : verdict::safe;
}

/// Why libgsf must not open these bytes; "" when it may (or when it will refuse them).
std::string hazard(std::string_view file) {
    static constexpr std::string_view magic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if (file.size() < 512 || file.substr(0, 8) != magic)
        return {};
    const std::string_view header = file.substr(0, 512);
    const unsigned shift = le16(header, 0x1E);
    const unsigned small_shift = le16(header, 0x20);
    if (shift < 6 || shift >= 31 || small_shift > shift || (file.size() >> shift) < 1)
        return {};
    if (le32(header, 0x38) > (1u << 20))
        return "its mini-stream cutoff is unreasonable";
    const std::uint64_t size = std::uint64_t{1} << shift;
    // libgsf puts sector 0 after the 512-byte header, or (newer versions) after one sector
    for (const std::uint64_t first : {std::uint64_t{512}, std::max<std::uint64_t>(512, size)}) {
        const layout l{file, shift, first, (file.size() - 512 + size - 1) / size};
        switch (replay(l, header)) {
        case verdict::too_deep:
            return "its directory is nested or chained too deep";
        case verdict::too_many_children:
            return "its storages hold too many entries";
        case verdict::table_too_large:
            return "its allocation table is too large for its size";
        case verdict::root_siblings:
            return "its root entry has siblings";
        case verdict::safe:
        case verdict::unreadable:
            break;
        }
        if (size == 512)
            break;
    }
    return {};
}

} // namespace cfb

// ---------------------------------------------------------------------------------------
// the compound file

/// What one parse may still read, and what it has found damaged.
struct read_context {
    const limits& lim;
    std::uint64_t budget; ///< stream bytes left: a sound file holds no more than its size
    unsigned damaged = 0; ///< streams that could not be read
    std::vector<std::string>& warnings;
};

/// One storage (directory) of the compound file and its children by (upper-case) name.
class storage {
  public:
    storage(gobject_ptr<GsfInfile> infile, read_context& ctx)
        : m_infile(std::move(infile)), m_ctx(&ctx) {
        const int n = gsf_infile_num_children(m_infile.get());
        for (int i = 0; i < n; ++i)
            if (const char* name = gsf_infile_name_by_index(m_infile.get(), i))
                m_children.emplace(upper_ascii(name), i);
        m_counted.assign(static_cast<std::size_t>(std::max(n, 0)), false);
    }

    bool has(const std::string& name) const { return m_children.count(name) > 0; }

    /// The children whose names start with `prefix`, in name order.
    std::vector<std::string> names_starting(std::string_view prefix) const {
        std::vector<std::string> names;
        for (auto it = m_children.lower_bound(std::string(prefix));
             it != m_children.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
            names.push_back(it->first);
        return names;
    }

    /// The bytes of stream `name`: nullopt when there is none (or it is damaged: a warning).
    std::optional<std::string> read(const std::string& name) const {
        const auto it = m_children.find(name);
        if (it == m_children.end())
            return std::nullopt;
        gobject_ptr<GsfInput> input(gsf_infile_child_by_index(m_infile.get(), it->second));
        if (!input || is_storage(input.get()))
            return damaged(name, input != nullptr);
        const gsf_off_t size = gsf_input_size(input.get());
        if (size < 0)
            return damaged(name, true);
        const auto n = static_cast<std::uint64_t>(size);
        if (n > m_ctx->lim.max_document_bytes)
            throw limit_error("Outlook message: stream " + name + " of " + std::to_string(n) +
                              " bytes, past the limit of " +
                              std::to_string(m_ctx->lim.max_document_bytes));
        if (!m_counted[static_cast<std::size_t>(it->second)]) {
            if (n > m_ctx->budget)
                throw limit_error("Outlook message: its streams hold more bytes than the file "
                                  "(streams share sectors: a damaged or hostile file)");
            m_ctx->budget -= n;
            m_counted[static_cast<std::size_t>(it->second)] = true;
        }
        std::string data(static_cast<std::size_t>(n), '\0');
        if (n > 0 &&
            gsf_input_read(input.get(), size, reinterpret_cast<guint8*>(data.data())) == nullptr)
            return damaged(name, true);
        return data;
    }

    /// The sub-storage `name`; nullopt when there is none.
    std::optional<storage> open(const std::string& name) const {
        const auto it = m_children.find(name);
        if (it == m_children.end())
            return std::nullopt;
        gobject_ptr<GsfInput> input(gsf_infile_child_by_index(m_infile.get(), it->second));
        if (!input || !is_storage(input.get()))
            return std::nullopt;
        return storage(gobject_ptr<GsfInfile>(GSF_INFILE(input.release())), *m_ctx);
    }

  private:
    static bool is_storage(GsfInput* input) {
        return GSF_IS_INFILE(input) && gsf_infile_num_children(GSF_INFILE(input)) >= 0;
    }

    std::optional<std::string> damaged(const std::string& name, bool exists) const {
        if (exists) {
            ++m_ctx->damaged;
            if (m_ctx->warnings.size() < 64)
                m_ctx->warnings.push_back("Outlook message: stream " + name +
                                          " is damaged and was not read");
        }
        return std::nullopt;
    }

    gobject_ptr<GsfInfile> m_infile;
    read_context* m_ctx;
    std::map<std::string, int> m_children;
    mutable std::vector<bool> m_counted; // streams already taken from the budget
};

// ---------------------------------------------------------------------------------------
// MAPI properties

namespace prop {
constexpr std::uint16_t message_class = 0x001A;
constexpr std::uint16_t subject = 0x0037;
constexpr std::uint16_t client_submit_time = 0x0039;
constexpr std::uint16_t subject_prefix = 0x003D;
constexpr std::uint16_t sent_representing_name = 0x0042;
constexpr std::uint16_t sent_representing_addrtype = 0x0064;
constexpr std::uint16_t sent_representing_email = 0x0065;
constexpr std::uint16_t transport_headers = 0x007D;
constexpr std::uint16_t recipient_type = 0x0C15;
constexpr std::uint16_t sender_name = 0x0C1A;
constexpr std::uint16_t sender_addrtype = 0x0C1E;
constexpr std::uint16_t sender_email = 0x0C1F;
constexpr std::uint16_t display_bcc = 0x0E02;
constexpr std::uint16_t display_cc = 0x0E03;
constexpr std::uint16_t display_to = 0x0E04;
constexpr std::uint16_t delivery_time = 0x0E06;
constexpr std::uint16_t normalized_subject = 0x0E1D;
constexpr std::uint16_t body = 0x1000;
constexpr std::uint16_t rtf_compressed = 0x1009;
constexpr std::uint16_t html = 0x1013;
constexpr std::uint16_t internet_message_id = 0x1035;
constexpr std::uint16_t in_reply_to = 0x1042;
constexpr std::uint16_t display_name = 0x3001;
constexpr std::uint16_t addrtype = 0x3002;
constexpr std::uint16_t email_address = 0x3003;
constexpr std::uint16_t attach_data = 0x3701;
constexpr std::uint16_t attach_filename = 0x3704;
constexpr std::uint16_t attach_method = 0x3705;
constexpr std::uint16_t attach_long_filename = 0x3707;
constexpr std::uint16_t attach_mime_tag = 0x370E;
constexpr std::uint16_t smtp_address = 0x39FE;
constexpr std::uint16_t internet_codepage = 0x3FDE;
constexpr std::uint16_t message_codepage = 0x3FFD;
constexpr std::uint16_t sender_smtp_address = 0x5D01;
constexpr std::uint16_t sent_representing_smtp_address = 0x5D02;
constexpr std::uint16_t recipient_display_name = 0x5FF6;

constexpr std::uint16_t type_long = 0x0003;
constexpr std::uint16_t type_object = 0x000D;
constexpr std::uint16_t type_string8 = 0x001E;
constexpr std::uint16_t type_unicode = 0x001F;
constexpr std::uint16_t type_systime = 0x0040;
constexpr std::uint16_t type_binary = 0x0102;

constexpr std::uint32_t attach_embedded_msg = 5;
} // namespace prop

std::string stream_name(std::uint16_t id, std::uint16_t type) {
    return "__SUBSTG1.0_" + hex4(id) + hex4(type);
}

/// The properties of one object (message, recipient, attachment) in its storage.
class property_set {
  public:
    /// header_size: 32 for the message, 24 for an embedded message, 8 for a recipient or an
    /// attachment. Strings in 8 bits are read in `codepage`.
    property_set(const storage& st, std::size_t header_size, int codepage)
        : m_storage(&st), m_codepage(codepage) {
        const auto raw = st.read("__PROPERTIES_VERSION1.0");
        if (!raw)
            return;
        std::size_t header = header_size;
        if (raw->size() < header || (raw->size() - header) % 16 != 0)
            for (const std::size_t other : {32u, 24u, 8u})
                if (raw->size() >= other && (raw->size() - other) % 16 == 0) {
                    header = other;
                    break;
                }
        for (std::size_t at = header; at + 16 <= raw->size(); at += 16) {
            const std::uint32_t tag = le32(*raw, at);
            const std::uint64_t value = le32(*raw, at + 8) | std::uint64_t{le32(*raw, at + 12)}
                                                                 << 32;
            m_fixed[static_cast<std::uint16_t>(tag >> 16)] = {
                static_cast<std::uint16_t>(tag & 0xFFFF), value};
        }
    }

    void set_codepage(int codepage) { m_codepage = codepage; }

    /// A string property (PT_UNICODE or PT_STRING8) as UTF-8, cut at its first NUL.
    std::optional<std::string> string(std::uint16_t id) const {
        std::string text;
        if (auto raw = m_storage->read(stream_name(id, prop::type_unicode))) {
            if (raw->size() % 2 != 0)
                raw->pop_back();
            text = to_utf8(*raw, "utf-16le");
        } else if (auto raw8 = m_storage->read(stream_name(id, prop::type_string8))) {
            raw8->resize(std::min(raw8->size(), raw8->find('\0')));
            const bool wide = m_codepage == 1200 || m_codepage == 1201;
            text = to_utf8(*raw8, rtf::codepage_charset(wide ? 1252 : m_codepage));
        } else {
            return std::nullopt;
        }
        text.resize(std::min(text.size(), text.find('\0')));
        return text;
    }

    /// A string property as one trimmed line, "" when absent.
    std::string line(std::uint16_t id) const { return single_line(string(id).value_or("")); }

    std::optional<std::string> binary(std::uint16_t id) const {
        return m_storage->read(stream_name(id, prop::type_binary));
    }

    std::optional<std::int32_t> int32(std::uint16_t id) const {
        const auto it = m_fixed.find(id);
        if (it == m_fixed.end() || it->second.type != prop::type_long)
            return std::nullopt;
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(it->second.value));
    }

    std::optional<std::int64_t> time(std::uint16_t id) const {
        const auto it = m_fixed.find(id);
        if (it == m_fixed.end() || it->second.type != prop::type_systime)
            return std::nullopt;
        return filetime_to_unix(it->second.value);
    }

    /// An object property kept as a storage (an embedded message).
    std::optional<storage> object(std::uint16_t id) const {
        return m_storage->open(stream_name(id, prop::type_object));
    }

  private:
    struct fixed {
        std::uint16_t type;
        std::uint64_t value;
    };
    const storage* m_storage;
    int m_codepage;
    std::map<std::uint16_t, fixed> m_fixed;
};

// ---------------------------------------------------------------------------------------
// one message

struct mailbox {
    std::string name;
    std::string address; // SMTP; "" when only an Exchange address is known

    bool empty() const { return name.empty() && address.empty(); }
    std::string display() const {
        if (address.empty())
            return name;
        if (name.empty() || iequals(name, address))
            return address;
        return name + " <" + address + ">";
    }
};

/// A message as read from its storage, before it becomes a document (or an RFC 822 text).
struct msg_content {
    std::string message_class;
    std::string subject;
    mailbox from;
    std::vector<mailbox> to, cc, bcc;
    std::string message_id, in_reply_to;
    std::string date_header; // the Date: of the transport headers, as written
    std::optional<std::int64_t> sent_utc;
    std::optional<int> offset_minutes;
    std::string body;
    std::string body_source; // plain, html, rtf or none
    std::optional<int> codepage;
    std::vector<embedded> attachments;
};

// The SMTP address among an object's address properties.
std::string smtp_address(const property_set& p, std::uint16_t smtp, std::uint16_t email,
                         std::uint16_t addrtype) {
    if (const auto a = p.line(smtp); is_smtp_address(a))
        return a;
    const auto a = p.line(email);
    const auto type = p.line(addrtype);
    if ((type.empty() || iequals(type, "SMTP")) && is_smtp_address(a))
        return a;
    return {};
}

// The address part of "Name <addr>" or "addr".
std::string address_of(std::string_view field) {
    const auto open = field.rfind('<');
    if (open != std::string_view::npos) {
        const auto close = field.find('>', open);
        field = field.substr(open + 1, close == std::string_view::npos ? std::string_view::npos
                                                                       : close - open - 1);
    }
    std::string a = trim(field);
    return is_smtp_address(a) ? a : std::string();
}

// "charset=" of the first <meta> tags of an HTML document; "" when none.
std::string meta_charset(std::string_view html) {
    const std::string head = upper_ascii(html.substr(0, 4096));
    const auto at = head.find("CHARSET=");
    if (at == std::string::npos)
        return {};
    std::size_t p = at + 8;
    while (p < head.size() && (head[p] == '"' || head[p] == '\'' || head[p] == ' '))
        ++p;
    std::string name;
    while (p < head.size() && name.size() < 40 &&
           (std::isalnum(static_cast<unsigned char>(head[p])) || head[p] == '-' || head[p] == '_' ||
            head[p] == '.' || head[p] == ':'))
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(head[p++])));
    return name;
}

void check_text(const std::string& text, const limits& lim) {
    if (text.size() > lim.max_text_bytes)
        throw limit_error("Outlook message: body text of " + std::to_string(text.size()) +
                          " bytes, past the limit of " + std::to_string(lim.max_text_bytes));
}

// The body: plain text when there is some, else the HTML's text, else the RTF's.
void read_body(const property_set& p, read_context& ctx, msg_content& m) {
    const limits& lim = ctx.lim;
    if (auto plain = p.string(prop::body); plain && !blank(*plain)) {
        m.body = unix_newlines(*plain);
        while (!m.body.empty() && is_space(m.body.back()))
            m.body.pop_back();
        m.body_source = "plain";
        check_text(m.body, lim);
        return;
    }
    std::optional<std::string> html;
    if (auto raw = p.binary(prop::html)) {
        std::string charset;
        if (raw->compare(0, 3, "\xEF\xBB\xBF") == 0)
            charset = "utf-8";
        else if (const auto cp = p.int32(prop::internet_codepage); cp && *cp > 0)
            charset = rtf::codepage_charset(*cp);
        if (charset.empty())
            charset = meta_charset(*raw);
        if (charset.empty())
            charset = rtf::codepage_charset(m.codepage.value_or(1252));
        html = to_utf8(*raw, charset);
    } else {
        html = p.string(prop::html);
    }
    if (html && !blank(*html)) {
        // converted to UTF-8 already: html_to_text takes UTF-8 as such, whatever <meta> says
        m.body = trim(unix_newlines(html_to_text(*html)));
        m.body_source = "html";
        check_text(m.body, lim);
        if (!blank(m.body))
            return;
    }
    if (auto rtf = p.binary(prop::rtf_compressed)) {
        try {
            const std::string raw = rtf::decompress(*rtf, lim.max_text_bytes);
            auto text = rtf::to_text(raw, lim.max_text_bytes);
            if (!blank(text.text) || m.body_source.empty()) {
                m.body = unix_newlines(text.text);
                m.body_source = "rtf";
            }
        } catch (const limit_error&) {
            throw;
        } catch (const parse_error& e) {
            ctx.warnings.push_back(std::string("Outlook message: the RTF body was not read: ") +
                                   e.what());
        }
    }
    if (m.body_source.empty())
        m.body_source = "none";
}

std::vector<mailbox> split_display_list(std::string_view list) {
    std::vector<mailbox> out;
    std::size_t pos = 0;
    while (pos <= list.size()) {
        auto end = list.find(';', pos);
        if (end == std::string_view::npos)
            end = list.size();
        if (auto name = single_line(list.substr(pos, end - pos)); !name.empty())
            out.push_back({std::move(name), {}});
        pos = end + 1;
    }
    return out;
}

void read_recipients(const storage& st, const property_set& p, read_context& ctx, int codepage,
                     msg_content& m) {
    const auto names = st.names_starting("__RECIP_VERSION1.0_#");
    if (names.size() > ctx.lim.max_entries)
        throw limit_error("Outlook message: " + std::to_string(names.size()) +
                          " recipients, past the limit of " + std::to_string(ctx.lim.max_entries));
    for (const auto& name : names) {
        const auto rs = st.open(name);
        if (!rs)
            continue;
        const property_set r(*rs, 8, codepage);
        mailbox box;
        box.name = r.line(prop::display_name);
        if (box.name.empty())
            box.name = r.line(prop::recipient_display_name);
        box.address = smtp_address(r, prop::smtp_address, prop::email_address, prop::addrtype);
        if (box.empty())
            continue;
        switch (r.int32(prop::recipient_type).value_or(1) & 0x0FFFFFFF) {
        case 2:
            m.cc.push_back(std::move(box));
            break;
        case 3:
            m.bcc.push_back(std::move(box));
            break;
        default:
            m.to.push_back(std::move(box));
            break;
        }
    }
    if (m.to.empty() && m.cc.empty() && m.bcc.empty()) {
        m.to = split_display_list(p.line(prop::display_to));
        m.cc = split_display_list(p.line(prop::display_cc));
        m.bcc = split_display_list(p.line(prop::display_bcc));
    }
}

std::string render_rfc822(const msg_content& m, unsigned depth);

msg_content read_message(const storage& st, std::size_t header_size, read_context& ctx,
                         unsigned depth, int parent_codepage);

// Attachments: files as they are; embedded messages as RFC 822 text (see render_rfc822).
void read_attachments(const storage& st, read_context& ctx, unsigned depth, int codepage,
                      msg_content& m) {
    const auto names = st.names_starting("__ATTACH_VERSION1.0_#");
    if (names.size() > ctx.lim.max_entries)
        throw limit_error("Outlook message: " + std::to_string(names.size()) +
                          " attachments, past the limit of " + std::to_string(ctx.lim.max_entries));
    std::size_t number = 0;
    for (const auto& storage_name : names) {
        ++number;
        try {
            const auto as = st.open(storage_name);
            if (!as)
                continue;
            const property_set a(*as, 8, codepage);
            std::string name = a.line(prop::attach_long_filename);
            if (name.empty())
                name = a.line(prop::attach_filename);
            if (name.empty())
                name = a.line(prop::display_name);
            const std::string label =
                name.empty() ? "attachment " + std::to_string(number)
                             : "attachment " + std::to_string(number) + " (" + name + ")";
            if (const auto object = a.object(prop::attach_data)) {
                const bool is_message = a.int32(prop::attach_method) ==
                                            static_cast<std::int32_t>(prop::attach_embedded_msg) ||
                                        object->has("__PROPERTIES_VERSION1.0");
                if (!is_message) {
                    ctx.warnings.push_back("Outlook message: " + label +
                                           " is an embedded OLE object; it was not read");
                    continue;
                }
                const unsigned max_depth = std::min<std::uint32_t>(ctx.lim.max_depth, 32);
                if (depth + 1 > max_depth)
                    throw limit_error("Outlook message: messages embedded more than " +
                                      std::to_string(max_depth) + " deep");
                const msg_content inner = read_message(*object, 24, ctx, depth + 1, codepage);
                std::string text = render_rfc822(inner, depth + 1);
                if (text.size() > ctx.lim.max_document_bytes)
                    throw limit_error("Outlook message: embedded message of " +
                                      std::to_string(text.size()) + " bytes, past the limit");
                if (name.empty())
                    name =
                        inner.subject.empty() ? "message " + std::to_string(number) : inner.subject;
                if (name.size() >= 4 && iequals(name.substr(name.size() - 4), ".msg"))
                    name.resize(name.size() - 4);
                if (name.size() < 4 || !iequals(name.substr(name.size() - 4), ".eml"))
                    name += ".eml";
                m.attachments.push_back({std::move(name), "message/rfc822", std::move(text)});
            } else if (auto data = a.binary(prop::attach_data)) {
                if (name.empty())
                    name = "attachment " + std::to_string(number);
                m.attachments.push_back(
                    {std::move(name), a.line(prop::attach_mime_tag), std::move(*data)});
            } else {
                ctx.warnings.push_back("Outlook message: " + label +
                                       " holds no data (attached by reference?)");
            }
        } catch (const limit_error&) {
            throw;
        } catch (const parse_error& e) {
            ctx.warnings.push_back("Outlook message: attachment " + std::to_string(number) +
                                   " was not read: " + e.what());
        }
    }
}

msg_content read_message(const storage& st, std::size_t header_size, read_context& ctx,
                         unsigned depth, int parent_codepage) {
    msg_content m;
    property_set p(st, header_size, parent_codepage > 0 ? parent_codepage : 1252);
    // 8-bit strings are in the message code page; PR_INTERNET_CPID is the body's charset
    m.codepage = p.int32(prop::message_codepage);
    if (!m.codepage || *m.codepage <= 0)
        m.codepage = p.int32(prop::internet_codepage);
    if (m.codepage && *m.codepage <= 0)
        m.codepage.reset();
    const int codepage = m.codepage.value_or(parent_codepage > 0 ? parent_codepage : 1252);
    p.set_codepage(codepage);

    m.message_class = p.line(prop::message_class);
    m.subject = p.line(prop::subject);
    if (m.subject.empty())
        m.subject = single_line(p.line(prop::subject_prefix) + p.line(prop::normalized_subject));

    const std::string headers = p.string(prop::transport_headers).value_or("");
    m.from.name = p.line(prop::sender_name);
    if (m.from.name.empty())
        m.from.name = p.line(prop::sent_representing_name);
    m.from.address =
        smtp_address(p, prop::sender_smtp_address, prop::sender_email, prop::sender_addrtype);
    if (m.from.address.empty())
        m.from.address =
            smtp_address(p, prop::sent_representing_smtp_address, prop::sent_representing_email,
                         prop::sent_representing_addrtype);
    if (m.from.address.empty())
        m.from.address = address_of(header_field(headers, "From"));

    read_recipients(st, p, ctx, codepage, m);

    m.sent_utc = p.time(prop::client_submit_time);
    if (!m.sent_utc)
        m.sent_utc = p.time(prop::delivery_time);
    m.date_header = header_field(headers, "Date");
    if (const auto date = parse_rfc5322_date(m.date_header)) {
        if (!m.sent_utc)
            m.sent_utc = date->utc;
        m.offset_minutes = date->offset_minutes;
    }

    m.message_id = strip_angle_brackets(p.line(prop::internet_message_id));
    m.in_reply_to = strip_angle_brackets(p.line(prop::in_reply_to));
    read_body(p, ctx, m);
    read_attachments(st, ctx, depth, codepage, m);
    return m;
}

email_header make_header(const msg_content& m) {
    email_header h;
    h.from = m.from.display();
    const auto displays = [](const std::vector<mailbox>& boxes) {
        std::vector<std::string> out;
        for (const auto& b : boxes)
            out.push_back(b.display());
        return out;
    };
    h.to = displays(m.to);
    h.cc = displays(m.cc);
    h.bcc = displays(m.bcc);
    h.subject = m.subject;
    h.message_id = m.message_id;
    h.in_reply_to = m.in_reply_to;
    if (m.sent_utc) {
        h.sent_utc = iso_utc(*m.sent_utc);
        if (m.offset_minutes) {
            h.sent_offset = offset_text(*m.offset_minutes);
            h.sent_local = iso_local(*m.sent_utc + *m.offset_minutes * 60);
        }
    }
    h.date_raw = !m.date_header.empty() ? m.date_header : h.sent_utc.value_or("");
    return h;
}

// ---------------------------------------------------------------------------------------
// an embedded message as RFC 822 text
//
// document::children carry bytes, and a message embedded in a .msg is a storage, not bytes.
// Writing it back as a compound file would take a compound-file writer for little gain;
// instead the embedded message becomes a small MIME message (message/rfc822): its header
// (From, To, Cc, Subject, Date, Message-ID, In-Reply-To), its body as UTF-8 text, and its
// own attachments as base64 parts (nested messages as message/rfc822 parts). parse_eml
// reads it like any other e-mail, so its text, addresses and attachments are not lost; the
// original's formatting (HTML, RTF) and MAPI-only properties are.

std::string base64(std::string_view data, bool wrap) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(data.size() / 3 * 4 + data.size() / 57 * 2 + 8);
    std::size_t line = 0;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, data.size() - i);
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
        if (n > 1)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
        if (n > 2)
            v |= static_cast<unsigned char>(data[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += n > 1 ? alphabet[(v >> 6) & 63] : '=';
        out += n > 2 ? alphabet[v & 63] : '=';
        if (wrap && (line += 4) == 76) {
            out += "\r\n";
            line = 0;
        }
    }
    if (wrap && line > 0)
        out += "\r\n";
    return out;
}

bool printable_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// Header text: as it is when printable ASCII, else RFC 2047 encoded words of UTF-8.
std::string encode_words(std::string_view text) {
    if (printable_ascii(text))
        return std::string(text);
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = std::min(text.size(), pos + 45);
        while (end < text.size() && end > pos + 1 &&
               (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end; // never split a UTF-8 sequence
        if (!out.empty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + base64(text.substr(pos, end - pos), false) + "?=";
        pos = end;
    }
    return out;
}

// A display name as an RFC 5322 phrase.
std::string phrase(std::string_view name) {
    if (!printable_ascii(name))
        return encode_words(name);
    if (name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos)
        return std::string(name);
    std::string quoted = "\"";
    for (const char c : name) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

std::string address_list(const std::vector<mailbox>& boxes) {
    std::string out;
    for (const auto& b : boxes) {
        if (!out.empty())
            out += ",\r\n ";
        if (b.address.empty())
            out += phrase(b.name);
        else if (b.name.empty())
            out += "<" + b.address + ">";
        else
            out += phrase(b.name) + " <" + b.address + ">";
    }
    return out;
}

// A MIME parameter: quoted ASCII, or RFC 2231 UTF-8.
std::string mime_parameter(std::string_view attribute, std::string_view value) {
    if (printable_ascii(value) && value.find_first_of("\"\\") == std::string_view::npos)
        return std::string(attribute) + "=\"" + std::string(value) + "\"";
    std::string out = std::string(attribute) + "*=UTF-8''";
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// A declared MIME type when it has the form type/subtype, else application/octet-stream.
std::string mime_type_or_default(std::string_view type) {
    const auto token = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
    };
    const auto slash = type.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size() ||
        !std::all_of(type.begin(), type.begin() + static_cast<std::ptrdiff_t>(slash), token) ||
        !std::all_of(type.begin() + static_cast<std::ptrdiff_t>(slash) + 1, type.end(), token))
        return "application/octet-stream";
    return std::string(type);
}

// Text that may go as 8bit: no NUL, no bare CR, lines of at most 998 bytes.
bool eight_bit_safe(std::string_view text) {
    std::size_t line = 0;
    for (const char c : text) {
        if (c == '\0' || c == '\r')
            return false;
        line = c == '\n' ? 0 : line + 1;
        if (line > 998)
            return false;
    }
    return true;
}

std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (const char c : text) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

std::string text_part(std::string_view body) {
    std::string out = "Content-Type: text/plain; charset=utf-8\r\n";
    if (eight_bit_safe(body))
        out += "Content-Transfer-Encoding: 8bit\r\n\r\n" + crlf(body);
    else
        out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64(body, true);
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0)
        out += "\r\n";
    return out;
}

std::string render_rfc822(const msg_content& m, unsigned depth) {
    std::string out;
    const auto field = [&](std::string_view name, const std::string& value) {
        if (!value.empty())
            out += std::string(name) + ": " + value + "\r\n";
    };
    if (!m.from.empty())
        field("From", address_list({m.from}));
    field("To", address_list(m.to));
    field("Cc", address_list(m.cc));
    field("Bcc", address_list(m.bcc));
    field("Subject", encode_words(m.subject));
    if (parse_rfc5322_date(m.date_header) && printable_ascii(m.date_header))
        field("Date", m.date_header);
    else if (m.sent_utc)
        field("Date", rfc5322_date(*m.sent_utc));
    if (!m.message_id.empty())
        field("Message-ID", "<" + m.message_id + ">");
    if (!m.in_reply_to.empty())
        field("In-Reply-To", "<" + m.in_reply_to + ">");
    out += "MIME-Version: 1.0\r\n";
    if (m.attachments.empty())
        return out + text_part(m.body);

    // a boundary that none of the 8bit parts holds: derived from their contents, so that no
    // text can be written to hold the boundary it will get
    const std::string body = text_part(m.body);
    std::uint64_t hash = 0xCBF29CE484222325u; // FNV-1a
    const auto mix = [&hash](std::string_view data) {
        for (const char c : data)
            hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001B3u;
    };
    mix(body);
    for (const auto& a : m.attachments)
        if (a.mime_type == "message/rfc822")
            mix(a.bytes);
    std::string boundary;
    for (unsigned n = 0;; ++n) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "=_porchlight_%u_%016llx", depth,
                      static_cast<unsigned long long>(hash + n));
        boundary = buf;
        const std::string marker = "--" + boundary;
        bool clash = body.find(marker) != std::string::npos;
        for (const auto& a : m.attachments)
            clash = clash ||
                    (a.mime_type == "message/rfc822" && a.bytes.find(marker) != std::string::npos);
        if (!clash)
            break;
    }
    out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + body;
    for (const auto& a : m.attachments) {
        out += "--" + boundary + "\r\n";
        if (a.mime_type == "message/rfc822") {
            out += "Content-Type: message/rfc822\r\n";
            out += "Content-Disposition: attachment; " + mime_parameter("filename", a.name) +
                   "\r\n\r\n" + a.bytes;
            if (a.bytes.size() < 2 || a.bytes.compare(a.bytes.size() - 2, 2, "\r\n") != 0)
                out += "\r\n";
        } else {
            out += "Content-Type: " + mime_type_or_default(a.mime_type) + "; " +
                   mime_parameter("name", a.name) + "\r\n";
            out +=
                "Content-Disposition: attachment; " + mime_parameter("filename", a.name) + "\r\n";
            out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64(a.bytes, true);
        }
    }
    out += "--" + boundary + "--\r\n";
    return out;
}

} // namespace

document parse_msg(std::string_view bytes, const limits& lim) {
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("Outlook message of " + std::to_string(bytes.size()) +
                          " bytes, past the limit of " + std::to_string(lim.max_document_bytes));
    if (const std::string why = cfb::hazard(bytes); !why.empty())
        throw parse_error("a compound file libgsf cannot read safely: " + why);
    init_gsf();
    std::vector<std::string> warnings;
    std::vector<std::string> gsf_messages;
    const gsf_log_scope log_scope(gsf_messages);

    // no copy: the input reads `bytes` where they are, and lives no longer than this call
    gobject_ptr<GsfInput> input(gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                                     static_cast<gsf_off_t>(bytes.size()), FALSE));
    if (!input)
        throw parse_error("not an OLE2 compound file (no bytes)");
    GError* raw_error = nullptr;
    gobject_ptr<GsfInfile> root(gsf_infile_msole_new(input.get(), &raw_error));
    const gerror_ptr error(raw_error);
    if (!root)
        throw parse_error(std::string("not a readable OLE2 compound file: ") +
                          (error ? error->message : "libgsf could not open it"));

    // A sound compound file's streams never hold more bytes than the file itself.
    read_context ctx{lim, std::min<std::uint64_t>(lim.max_expanded_bytes, bytes.size() + 4096), 0,
                     warnings};
    const storage top(std::move(root), ctx);
    if (!top.has("__PROPERTIES_VERSION1.0") && top.names_starting("__SUBSTG1.0_").empty())
        throw parse_error(
            "an OLE2 compound file that is not an Outlook message (.doc/.xls are not read)");

    msg_content m = read_message(top, 32, ctx, 0, 0);
    if (ctx.damaged > 0 && m.subject.empty() && m.from.empty() && m.to.empty() && blank(m.body))
        throw parse_error("a damaged Outlook message: none of its properties could be read");

    document doc;
    doc.kind = "msg";
    doc.mime_type = "application/vnd.ms-outlook";
    doc.title = m.subject;

    message msg;
    msg.header = make_header(m);
    msg.body = m.body;
    const email_header& h = msg.header;
    std::string text;
    const auto line = [&](std::string_view label, const std::string& value) {
        if (!value.empty())
            text += std::string(label) + ": " + value + "\n";
    };
    line("From", h.from);
    line("To", join(h.to, "; "));
    line("Cc", join(h.cc, "; "));
    line("Bcc", join(h.bcc, "; "));
    line("Sent", h.date_raw);
    line("Subject", h.subject);
    text += "\n" + m.body;
    check_text(text, lim);
    doc.pages.push_back({std::move(text), false});
    doc.messages.push_back(std::move(msg));

    if (!m.message_class.empty())
        doc.metadata.emplace_back("message_class", m.message_class);
    doc.metadata.emplace_back("body_source", m.body_source);
    doc.metadata.emplace_back("attachments", std::to_string(m.attachments.size()));
    if (m.codepage)
        doc.metadata.emplace_back("codepage", std::to_string(*m.codepage));
    doc.children = std::move(m.attachments);
    doc.warnings = std::move(warnings);
    for (auto& message_text : gsf_messages)
        doc.warnings.push_back(std::move(message_text));
    return doc;
}

} // namespace porchlight::docs
