#pragma once

// What libgsf would do with a compound file's directory (msg_cfb_check.cpp).
//
// libgsf 1.14 reads a compound file's directory recursively, one stack frame per entry
// along the sibling and child links (a chain of 50,000 siblings, 6 MB of hostile file,
// overflows an 8 MB stack), and sizes stack arrays (alloca) by the allocation tables.
// Before libgsf sees the bytes, hazard() replays its reading of the header, the allocation
// table and the directory without recursion, and refuses what would go too deep.

#include <string>
#include <string_view>

namespace porchlight::docs::detail::cfb {

/// Why libgsf must not open these bytes; "" when it may (or when it will refuse them).
std::string hazard(std::string_view file);

} // namespace porchlight::docs::detail::cfb
