#pragma once

// Little-endian integers read from bytes held in a string (the caller checks the bounds).

#include <cstdint>
#include <string_view>

namespace porchlight::docs::detail {

inline std::uint16_t le16(std::string_view s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      static_cast<unsigned char>(s[at + 1]) << 8);
}

inline std::uint32_t le32(std::string_view s, std::size_t at) {
    return static_cast<std::uint32_t>(le16(s, at)) | static_cast<std::uint32_t>(le16(s, at + 2))
                                                         << 16;
}

} // namespace porchlight::docs::detail
