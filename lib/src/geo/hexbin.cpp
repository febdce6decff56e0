// Hexagon bins on the US equal-area grids (flat-topped hexagons, axial coordinates).
#include <porchlight/geo/hexbin.hpp>
#include <porchlight/geo/projection.hpp>

#include <algorithm>
#include <cstdio>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace porchlight::geo {

namespace {

/// A hexagon of one region's grid: axial coordinates (q along x, r along the 120° axis).
using hex_key = std::tuple<int, std::int64_t, std::int64_t>; // region, q, r

/// The axial hexagon holding (x, y), for flat-topped hexagons of circumradius size.
std::pair<std::int64_t, std::int64_t> hex_of(double x, double y, double size) {
    const double qf = (2.0 / 3.0 * x) / size;
    const double rf = (-1.0 / 3.0 * x + std::sqrt(3.0) / 3.0 * y) / size;
    const double sf = -qf - rf;
    double q = std::round(qf), r = std::round(rf), s = std::round(sf);
    const double dq = std::abs(q - qf), dr = std::abs(r - rf), ds = std::abs(s - sf);
    if (dq > dr && dq > ds)
        q = -r - s;
    else if (dr > ds)
        r = -q - s;
    return {static_cast<std::int64_t>(q), static_cast<std::int64_t>(r)};
}

/// The centre of an axial hexagon.
std::pair<double, double> centre_of(std::int64_t q, std::int64_t r, double size) {
    return {size * 1.5 * static_cast<double>(q),
            size * std::sqrt(3.0) * (static_cast<double>(r) + static_cast<double>(q) / 2.0)};
}

/// Counts per hexagon of the points of one region (projected in one batch).
void bin_region(us_region region, std::vector<double>& x, std::vector<double>& y, double size,
                std::map<hex_key, std::int64_t>& counts) {
    if (x.empty())
        return;
    Projection(crs_of(region)).forward(x, y);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const auto [q, r] = hex_of(x[i], y[i], size);
        ++counts[{static_cast<int>(region), q, r}];
    }
}

} // namespace

std::vector<hexbin> hexbin_counts(const std::vector<lonlat>& points, double cell_m,
                                  std::int64_t min_count) {
    if (!(cell_m > 0) || !std::isfinite(cell_m))
        throw std::invalid_argument("the hexagon size must be a positive number of metres");
    const double size = cell_m / std::sqrt(3.0); // circumradius: flat-to-flat is sqrt(3)·size

    std::array<std::vector<double>, 3> xs, ys;
    for (const auto& p : points) {
        if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || std::abs(p.lat) > 90 ||
            std::abs(p.lon) > 180)
            continue;
        const auto region = static_cast<std::size_t>(region_of(p.lon, p.lat));
        xs[region].push_back(p.lon);
        ys[region].push_back(p.lat);
    }
    std::map<hex_key, std::int64_t> counts;
    for (std::size_t region = 0; region < 3; ++region)
        bin_region(static_cast<us_region>(region), xs[region], ys[region], size, counts);

    // the corners (and centres) of the kept bins, back to WGS84 in one batch per region
    std::vector<hexbin> out;
    for (std::size_t region = 0; region < 3; ++region) {
        std::vector<double> x, y;
        std::vector<std::int64_t> kept;
        for (const auto& [key, n] : counts) {
            if (static_cast<std::size_t>(std::get<0>(key)) != region || n < min_count)
                continue;
            const auto [cx, cy] = centre_of(std::get<1>(key), std::get<2>(key), size);
            x.push_back(cx);
            y.push_back(cy);
            for (int k = 0; k < 6; ++k) { // counter-clockwise from the east corner
                const double a = M_PI / 3.0 * k;
                x.push_back(cx + size * std::cos(a));
                y.push_back(cy + size * std::sin(a));
            }
            kept.push_back(n);
        }
        if (kept.empty())
            continue;
        Projection(crs_of(static_cast<us_region>(region))).inverse(x, y);
        for (std::size_t i = 0; i < kept.size(); ++i) {
            hexbin h;
            h.count = kept[i];
            h.center = {x[i * 7], y[i * 7]};
            for (std::size_t k = 1; k <= 6; ++k)
                h.outline.push_back({x[i * 7 + k], y[i * 7 + k]});
            out.push_back(std::move(h));
        }
    }
    std::sort(out.begin(), out.end(), [](const hexbin& a, const hexbin& b) {
        return std::tie(a.center.lat, a.center.lon) < std::tie(b.center.lat, b.center.lon);
    });
    return out;
}

} // namespace porchlight::geo

namespace porchlight::geo {

namespace {

/// A coordinate with at most 7 decimals (about 1 cm), trailing zeros dropped.
void append_coord(std::string& out, double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.7f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    if (s == "-0")
        s = "0";
    out += s;
}

void append_point(std::string& out, const lonlat& p) {
    out += '[';
    append_coord(out, p.lon);
    out += ',';
    append_coord(out, p.lat);
    out += ']';
}

} // namespace

std::string hexbins_geojson(const std::vector<hexbin>& bins) {
    std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const auto& b = bins[i];
        out += i ? ",\n" : "\n";
        out += "{\"type\":\"Feature\",\"properties\":{\"count\":" + std::to_string(b.count) +
               "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[";
        for (const auto& p : b.outline) {
            append_point(out, p);
            out += ',';
        }
        if (!b.outline.empty())
            append_point(out, b.outline.front()); // RFC 7946 rings are closed
        out += "]]}}";
    }
    out += bins.empty() ? "]}\n" : "\n]}\n";
    return out;
}

} // namespace porchlight::geo
