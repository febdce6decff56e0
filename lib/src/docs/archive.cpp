// Zip archives: parse_zip, and zip_reader (detail/zip_reader.hpp), the libarchive loop that
// parse_office shares.
//
// Only zips with a readable central directory are read (libarchive's seekable zip reader):
// a truncated download is a parse_error, not a guess at what its local headers say.

#include "docs/detail/zip_reader.hpp"

#include <porchlight/docs/text.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace porchlight::docs {
namespace detail {
namespace {

// Entries smaller than this are not held to max_ratio: a page of spaces compresses 500:1
// and harms no one.
constexpr std::uint64_t ratio_floor = 1ull << 20;

// libarchive converts entry names to the charset of the current locale, and gives up on what
// it cannot convert ("C" cannot hold "é"). Its calls run in a UTF-8 locale for this thread
// (uselocale: the process locale is left alone), so names arrive as UTF-8 or, without the
// zip's UTF-8 flag, as the bytes stored.
class utf8_locale_scope {
  public:
    utf8_locale_scope() {
        static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
        if (utf8)
            m_previous = uselocale(utf8);
    }
    ~utf8_locale_scope() {
        if (m_previous)
            uselocale(m_previous);
    }
    utf8_locale_scope(const utf8_locale_scope&) = delete;
    utf8_locale_scope& operator=(const utf8_locale_scope&) = delete;

  private:
    locale_t m_previous{};
};

std::uint64_t read_le(std::string_view b, std::size_t pos, int size) {
    std::uint64_t v = 0;
    for (int i = size - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(b[pos + static_cast<std::size_t>(i)]);
    return v;
}

// The number of records in the central directory, counted by walking it (the count in the
// end record can lie) and stopping past `enough`; nullopt when it cannot be found, which
// leaves the verdict to libarchive. libarchive loads the whole directory before the first
// entry: this keeps a directory of millions of entries from being loaded at all.
std::optional<std::uint64_t> central_directory_records(std::string_view b, std::uint64_t enough) {
    if (b.size() < 22)
        return std::nullopt;
    const std::size_t lowest = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
    std::size_t eocd = b.size() - 22;
    while (b.substr(eocd, 4) != std::string_view("PK\x05\x06", 4)) {
        if (eocd == lowest)
            return std::nullopt;
        --eocd;
    }
    std::uint64_t cd_size = read_le(b, eocd + 12, 4);
    std::uint64_t cd_offset = read_le(b, eocd + 16, 4);
    std::size_t cd_end = eocd;
    if ((cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) && eocd >= 20 &&
        b.substr(eocd - 20, 4) == std::string_view("PK\x06\x07", 4)) {
        const auto zip64 = read_le(b, eocd - 20 + 8, 8);
        if (zip64 > b.size() || b.size() - zip64 < 56 ||
            b.substr(zip64, 4) != std::string_view("PK\x06\x06", 4))
            return std::nullopt;
        cd_size = read_le(b, zip64 + 40, 8);
        cd_offset = read_le(b, zip64 + 48, 8);
        cd_end = zip64;
    }
    const auto is_record = [&](std::uint64_t at) {
        return at < b.size() && b.size() - at >= 46 &&
               b.substr(at, 4) == std::string_view("PK\x01\x02", 4);
    };
    std::uint64_t pos = cd_offset;
    if (!is_record(pos)) {
        if (cd_size > cd_end)
            return std::nullopt;
        pos = cd_end - cd_size; // data in front of the zip (a self-extractor)
        if (cd_size != 0 && !is_record(pos))
            return std::nullopt;
    }
    std::uint64_t records = 0;
    while (pos < cd_end && is_record(pos)) {
        if (++records > enough)
            break;
        pos += 46 + read_le(b, pos + 28, 2) + read_le(b, pos + 30, 2) + read_le(b, pos + 32, 2);
    }
    return records;
}

std::string quoted(const std::string& name) {
    return "\"" + name + "\"";
}

} // namespace

void zip_reader::archive_deleter::operator()(::archive* a) const noexcept {
    archive_read_free(a);
}

zip_reader::zip_reader(std::string_view bytes, const limits& lim) : m_bytes(bytes), m_lim(lim) {
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("zip archive larger than the limit of " +
                          std::to_string(lim.max_document_bytes) + " bytes");
    const auto records = central_directory_records(bytes, lim.max_entries);
    if (records && *records > lim.max_entries)
        throw limit_error("zip with more than " + std::to_string(lim.max_entries) + " entries");
    if (records && *records == 0) {
        m_done = true; // an empty zip, which libarchive does not take for one
        return;
    }
    utf8_locale_scope utf8;
    m_archive.reset(archive_read_new());
    if (!m_archive)
        throw std::bad_alloc();
    archive_read_support_format_zip_seekable(m_archive.get());
    if (archive_read_open_memory(m_archive.get(), m_bytes.data(), m_bytes.size()) != ARCHIVE_OK) {
        const char* why = archive_error_string(m_archive.get());
        throw parse_error(std::string("not a readable zip archive: ") +
                          (why ? why : "no central directory"));
    }
}

zip_reader::~zip_reader() = default;

std::optional<zip_entry> zip_reader::next() {
    if (m_done)
        return std::nullopt;
    utf8_locale_scope utf8;
    m_data_pending = false;
    archive_entry* e = nullptr;
    const int r = archive_read_next_header(m_archive.get(), &e);
    if (r == ARCHIVE_EOF) {
        m_done = true;
        return std::nullopt;
    }
    if (r < ARCHIVE_WARN || !e) {
        m_done = true;
        const char* why = archive_error_string(m_archive.get());
        const std::string reason = why ? why : "damaged entry header";
        if (m_entries == 0)
            throw parse_error("not a readable zip archive: " + reason);
        m_warnings.push_back("zip archive damaged after entry " + std::to_string(m_entries) + " (" +
                             reason + "): the entries after it are not read");
        return std::nullopt;
    }
    if (++m_entries > m_lim.max_entries)
        throw limit_error("zip with more than " + std::to_string(m_lim.max_entries) + " entries");

    zip_entry entry;
    if (const char* raw = archive_entry_pathname(e)) {
        const std::string_view name(raw);
        entry.name = sanitize_utf8(name) == name ? std::string(name) : to_utf8(name, "CP437");
    } else if (const char* name = archive_entry_pathname_utf8(e)) {
        entry.name = sanitize_utf8(name);
    } else {
        entry.name = "entry-" + std::to_string(m_entries);
        m_warnings.push_back("the name of zip entry " + std::to_string(m_entries) +
                             " cannot be read; read as " + quoted(entry.name));
    }
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
        entry.type = zip_entry::entry_type::file;
        break;
    case AE_IFDIR:
        entry.type = zip_entry::entry_type::directory;
        break;
    case AE_IFLNK:
        entry.type = zip_entry::entry_type::symlink;
        break;
    default:
        entry.type = zip_entry::entry_type::other;
        break;
    }
    if (entry.name.ends_with('/') || entry.name.ends_with('\\'))
        entry.type = zip_entry::entry_type::directory;
    entry.encrypted = archive_entry_is_encrypted(e) != 0;
    if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0)
        entry.declared_size = static_cast<std::uint64_t>(archive_entry_size(e));
    m_current = entry.name;
    m_data_pending = true;
    m_declared = entry.declared_size;
    return entry;
}

zip_data zip_reader::read() {
    zip_data out;
    if (!m_data_pending) {
        out.error = "no entry to read";
        return out;
    }
    m_data_pending = false;
    const auto too_large = [&] {
        return limit_error("zip entry " + quoted(m_current) + " is larger than the limit of " +
                           std::to_string(m_lim.max_document_bytes) + " bytes");
    };
    const auto too_much = [&] {
        return limit_error("zip entry " + quoted(m_current) +
                           " takes the archive past the limit of " +
                           std::to_string(m_lim.max_expanded_bytes) + " expanded bytes");
    };
    // what the header says is a reason to stop early, never one to go on
    if (m_declared && *m_declared > m_lim.max_document_bytes)
        throw too_large();
    if (m_declared &&
        *m_declared > m_lim.max_expanded_bytes - std::min(m_expanded, m_lim.max_expanded_bytes))
        throw too_much();

    utf8_locale_scope utf8;
    ::archive* a = m_archive.get();
    const auto start = archive_filter_bytes(a, -1);
    std::uint64_t entry_bytes = 0;
    std::array<char, 64 * 1024> block;
    for (;;) {
        const auto n = archive_read_data(a, block.data(), block.size());
        if (n == 0)
            break;
        if (n < 0) {
            const char* why = archive_error_string(a);
            out.bytes.clear();
            out.bytes.shrink_to_fit();
            out.error = why ? why : "damaged data";
            return out;
        }
        const auto got = static_cast<std::uint64_t>(n);
        entry_bytes += got;
        m_expanded += got;
        const auto consumed = archive_filter_bytes(a, -1) - start;
        const auto compressed = static_cast<std::uint64_t>(std::max<std::int64_t>(consumed, 1));
        if (entry_bytes > ratio_floor && entry_bytes / compressed > m_lim.max_ratio)
            throw limit_error("zip entry " + quoted(m_current) + " expands more than " +
                              std::to_string(m_lim.max_ratio) +
                              " times its compressed size (a zip bomb?)");
        if (entry_bytes > m_lim.max_document_bytes)
            throw too_large();
        if (m_expanded > m_lim.max_expanded_bytes)
            throw too_much();
        out.bytes.append(block.data(), static_cast<std::size_t>(n));
    }
    return out;
}

std::string safe_entry_path(std::string_view name, bool* escaped) {
    bool escapes = false;
    std::string path(name);
    std::replace(path.begin(), path.end(), '\\', '/');
    if (path.size() >= 2 && path[1] == ':' &&
        ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z'))) {
        path.erase(0, 2);
        escapes = true;
    }
    if (path.starts_with('/'))
        escapes = true;
    // ".." goes up a level, and out of the archive when there is none left
    std::vector<std::string> parts;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        auto end = path.find('/', pos);
        if (end == std::string::npos)
            end = path.size();
        std::string part = path.substr(pos, end - pos);
        pos = end + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (parts.empty())
                escapes = true;
            else
                parts.pop_back();
            continue;
        }
        for (auto& c : part)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
                c = '_';
        parts.push_back(std::move(part));
    }
    std::string out;
    for (const auto& part : parts)
        out += (out.empty() ? "" : "/") + part;
    if (escaped)
        *escaped = escapes;
    return out;
}

} // namespace detail

namespace {

// Finder's droppings: resource forks under __MACOSX/ and .DS_Store files.
bool is_mac_metadata(const std::string& path) {
    if (path == "__MACOSX" || path.starts_with("__MACOSX/"))
        return true;
    const auto slash = path.rfind('/');
    return path.substr(slash == std::string::npos ? 0 : slash + 1) == ".DS_Store";
}

} // namespace

document parse_zip(std::string_view bytes, const limits& lim) {
    using detail::zip_entry;
    document doc;
    doc.kind = "zip";
    doc.mime_type = "application/zip";
    detail::zip_reader zip(bytes, lim);
    std::size_t index = 0;
    while (auto entry = zip.next()) {
        ++index;
        bool escaped = false;
        auto path = detail::safe_entry_path(entry->name, &escaped);
        if (entry->type == zip_entry::entry_type::directory || is_mac_metadata(path))
            continue;
        const auto shown = "\"" + entry->name + "\"";
        if (entry->type == zip_entry::entry_type::symlink) {
            doc.warnings.push_back("entry " + shown + " is a symbolic link; skipped");
            continue;
        }
        if (entry->type != zip_entry::entry_type::file) {
            doc.warnings.push_back("entry " + shown + " is not a regular file; skipped");
            continue;
        }
        if (entry->encrypted) {
            doc.warnings.push_back("entry " + shown + " is encrypted; skipped");
            continue;
        }
        if (path.empty()) {
            path = "entry-" + std::to_string(index);
            escaped = true;
        }
        if (escaped)
            doc.warnings.push_back("entry name " + shown + " escapes the archive; read as \"" +
                                   path + "\"");
        auto data = zip.read();
        if (!data.ok()) {
            doc.warnings.push_back("entry " + shown + " cannot be read (" + data.error +
                                   "); skipped");
            continue;
        }
        doc.children.push_back({std::move(path), "", std::move(data.bytes)});
    }
    doc.warnings.insert(doc.warnings.end(), zip.warnings().begin(), zip.warnings().end());
    return doc;
}

} // namespace porchlight::docs
