// The compound-file directory check of detail/msg_cfb_check.hpp: libgsf's reading of the
// header, the allocation table (with the DIFAT chain) and the directory, replayed with an
// explicit stack before libgsf is let near the bytes.

#include "detail/msg_cfb_check.hpp"

#include "detail/little_endian.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs::detail::cfb {
namespace {

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

} // namespace

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

} // namespace porchlight::docs::detail::cfb
