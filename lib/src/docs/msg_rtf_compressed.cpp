// PR_RTF_COMPRESSED (MS-OXRTFCP): the RTF body of an Outlook message, stored ("MELA") or
// compressed ("LZFu") with a dictionary primed with the start of a typical RTF file.
// Declared in detail/rtf.hpp.

#include "detail/rtf.hpp"

#include "detail/little_endian.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace porchlight::docs::rtf {
namespace {

using detail::le32;

constexpr std::uint32_t type_compressed = 0x75465A4C;   // "LZFu"
constexpr std::uint32_t type_uncompressed = 0x414C454D; // "MELA"
constexpr std::size_t header_size = 16;

// The dictionary's initial contents (MS-OXRTFCP 3.1.3.1): the start of a typical RTF file.
constexpr std::string_view prebuffer =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
    "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
    "\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
static_assert(prebuffer.size() == 207);

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}
constexpr std::array<std::uint32_t, 256> crc_table = make_crc_table();

} // namespace

std::uint32_t crc32(std::string_view data) {
    std::uint32_t crc = 0;
    for (const char ch : data)
        crc = crc_table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
    return crc;
}

std::string decompress(std::string_view bytes, std::uint64_t max_bytes) {
    if (bytes.size() < header_size)
        throw parse_error("compressed RTF: " + std::to_string(bytes.size()) +
                          " bytes, shorter than its 16-byte header");
    const std::uint32_t comp_size = le32(bytes, 0);
    const std::uint32_t raw_size = le32(bytes, 4);
    const std::uint32_t type = le32(bytes, 8);
    const std::uint32_t crc = le32(bytes, 12);
    // COMPSIZE counts the bytes after itself: the other 12 header bytes and the data.
    if (comp_size < header_size - 4)
        throw parse_error("compressed RTF: COMPSIZE " + std::to_string(comp_size) +
                          " is smaller than the header");
    if (std::uint64_t{comp_size} + 4 > bytes.size())
        throw parse_error("compressed RTF: truncated (COMPSIZE says " +
                          std::to_string(std::uint64_t{comp_size} + 4) + " bytes, " +
                          std::to_string(bytes.size()) + " present)");
    const std::string_view data = bytes.substr(header_size, comp_size - (header_size - 4));
    if (raw_size > max_bytes)
        throw limit_error("compressed RTF: " + std::to_string(raw_size) +
                          " bytes of RTF, past the limit of " + std::to_string(max_bytes));

    if (type == type_uncompressed) {
        // CRC is 0 here (not checked); the stored RTF is the data, RAWSIZE of it.
        if (raw_size > data.size())
            throw parse_error("compressed RTF: RAWSIZE " + std::to_string(raw_size) +
                              " is more than the " + std::to_string(data.size()) + " stored bytes");
        return std::string(data.substr(0, raw_size));
    }
    if (type != type_compressed)
        throw parse_error("compressed RTF: unknown COMPTYPE (neither LZFu nor MELA)");
    if (crc32(data) != crc)
        throw parse_error("compressed RTF: CRC mismatch (damaged data)");
    // One control byte and eight 2-byte references make at most 8 * 17 bytes out of 17:
    // a RAWSIZE past 8 times the data is a lie, whatever the data holds.
    if (std::uint64_t{raw_size} > std::uint64_t{data.size()} * 8 + 8)
        throw parse_error("compressed RTF: RAWSIZE " + std::to_string(raw_size) +
                          " cannot come from " + std::to_string(data.size()) + " bytes");

    std::array<char, 4096> dict{};
    for (std::size_t i = 0; i < prebuffer.size(); ++i)
        dict[i] = prebuffer[i];
    std::size_t write = prebuffer.size();
    std::string out;
    out.reserve(raw_size);
    const auto put = [&](char c) {
        if (out.size() >= raw_size)
            throw parse_error("compressed RTF: more output than RAWSIZE " +
                              std::to_string(raw_size) + " says");
        out += c;
        dict[write] = c;
        write = (write + 1) % dict.size();
    };

    std::size_t in = 0;
    bool ended = false;
    while (!ended && in < data.size()) {
        const auto control = static_cast<unsigned char>(data[in++]);
        for (int bit = 0; bit < 8 && !ended; ++bit) {
            if (in >= data.size())
                break; // the data ends between tokens; the CRC vouched for it
            if ((control & (1u << bit)) == 0) {
                put(data[in++]);
                continue;
            }
            if (in + 2 > data.size())
                throw parse_error("compressed RTF: a dictionary reference is cut off");
            const unsigned ref = static_cast<unsigned>(static_cast<unsigned char>(data[in])) << 8 |
                                 static_cast<unsigned char>(data[in + 1]);
            in += 2;
            const std::size_t offset = ref >> 4;
            const std::size_t length = (ref & 0x0F) + 2;
            if (offset == write) { // the end marker
                ended = true;
                break;
            }
            // byte by byte: a reference may overlap the bytes it writes
            for (std::size_t k = 0; k < length; ++k)
                put(dict[(offset + k) % dict.size()]);
        }
    }
    if (out.size() != raw_size)
        throw parse_error("compressed RTF: RAWSIZE says " + std::to_string(raw_size) +
                          " bytes, the data holds " + std::to_string(out.size()));
    return out;
}

} // namespace porchlight::docs::rtf
