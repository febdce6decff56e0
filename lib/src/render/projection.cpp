// Albers equal-area conic on the ellipsoid (Snyder, USGS PP 1395, eqs. 3-12, 14-3 to 14-6)
// and the page layouts built on it.

#include <porchlight/render/projection.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace porchlight::render {

namespace {

constexpr double deg = std::numbers::pi / 180.0;

double m_of(double sin_phi, double cos_phi, double e2) {
    return cos_phi / std::sqrt(1 - e2 * sin_phi * sin_phi);
}

// Longitude difference folded into [-180, 180): Alaska's islands west of the 180th
// meridian stay next to the rest of the state.
double wrap(double dlon) {
    while (dlon >= 180)
        dlon -= 360;
    while (dlon < -180)
        dlon += 360;
    return dlon;
}

} // namespace

albers::albers(double lat1, double lat2, double lat0, double lon0, ellipsoid e)
    : m_e(e), m_e1(std::sqrt(e.e2)), m_lon0(lon0) {
    const double s1 = std::sin(lat1 * deg), s2 = std::sin(lat2 * deg);
    const double m1 = m_of(s1, std::cos(lat1 * deg), e.e2);
    const double m2 = m_of(s2, std::cos(lat2 * deg), e.e2);
    const double q1 = q(s1), q2 = q(s2), q0 = q(std::sin(lat0 * deg));
    m_n = std::abs(lat1 - lat2) < 1e-9 ? s1 : (m1 * m1 - m2 * m2) / (q2 - q1);
    m_c = m1 * m1 + m_n * q1;
    m_rho0 = e.a * std::sqrt(m_c - m_n * q0) / m_n;
}

double albers::q(double s) const {
    if (m_e.e2 == 0)
        return 2 * s;
    const double es = m_e1 * s;
    return (1 - m_e.e2) * (s / (1 - es * es) - std::log((1 - es) / (1 + es)) / (2 * m_e1));
}

xy albers::forward(double lon, double lat) const {
    const double rho = m_e.a * std::sqrt(std::max(0.0, m_c - m_n * q(std::sin(lat * deg)))) / m_n;
    const double theta = m_n * wrap(lon - m_lon0) * deg;
    return {rho * std::sin(theta), m_rho0 - rho * std::cos(theta)};
}

double albers::parallel_scale(double lat) const {
    const double s = std::sin(lat * deg);
    const double rho = m_e.a * std::sqrt(m_c - m_n * q(s)) / m_n;
    return rho * m_n / (m_e.a * m_of(s, std::cos(lat * deg), m_e.e2));
}

page_projection::part page_projection::fit(map_part which, const albers& p, double west,
                                           double south, double east, double north,
                                           const box& frame) {
    // the projected extent of the lon/lat box, sampled along a grid (its edges curve)
    double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
    constexpr int steps = 24;
    for (int i = 0; i <= steps; ++i)
        for (int j = 0; j <= steps; ++j) {
            const auto v =
                p.forward(west + (east - west) * i / steps, south + (north - south) * j / steps);
            x0 = std::min(x0, v.x), x1 = std::max(x1, v.x);
            y0 = std::min(y0, v.y), y1 = std::max(y1, v.y);
        }
    part out{which, p, 1, 0, 0, frame};
    out.scale = std::min(frame.w / std::max(x1 - x0, 1.0), frame.h / std::max(y1 - y0, 1.0));
    // centred in the frame; page y grows downwards
    out.dx = frame.x + (frame.w - (x1 - x0) * out.scale) / 2 - x0 * out.scale;
    out.dy = frame.y + (frame.h - (y1 - y0) * out.scale) / 2 + y1 * out.scale;
    return out;
}

page_projection page_projection::national(const box& f) {
    page_projection pp;
    pp.m_national = true;
    // USGS's standard parameters for the contiguous states, Alaska and Hawaii
    pp.m_parts.push_back(
        fit(map_part::main, albers(29.5, 45.5, 37.5, -96), -124.8, 24.4, -66.9, 49.4, f));
    pp.m_parts.push_back(fit(map_part::alaska, albers(55, 65, 50, -154), -188.0, 51.2, -129.9, 71.5,
                             {f.x, f.y + f.h * 0.70, f.w * 0.25, f.h * 0.30}));
    pp.m_parts.push_back(fit(map_part::hawaii, albers(8, 18, 13, -157), -160.3, 18.9, -154.8, 22.3,
                             {f.x + f.w * 0.26, f.y + f.h * 0.80, f.w * 0.13, f.h * 0.20}));
    return pp;
}

page_projection page_projection::regional(double west, double south, double east, double north,
                                          const box& frame) {
    page_projection pp;
    const double span = std::max(north - south, 0.01);
    const albers p(south + span / 6, north - span / 6, (south + north) / 2, (west + east) / 2);
    pp.m_parts.push_back(fit(map_part::main, p, west, south, east, north, frame));
    return pp;
}

std::optional<map_part> page_projection::part_of(double lon, double lat) const {
    if (!std::isfinite(lon) || !std::isfinite(lat) || lat < -90 || lat > 90)
        return std::nullopt;
    if (!m_national)
        return map_part::main;
    if (lat >= 51 && lat <= 72 && (lon <= -129.5 || lon >= 170))
        return map_part::alaska;
    if (lat >= 18.5 && lat <= 22.6 && lon >= -161 && lon <= -154.5)
        return map_part::hawaii;
    if (lat >= 24 && lat <= 50 && lon >= -125.5 && lon <= -66.5)
        return map_part::main;
    return std::nullopt;
}

std::optional<map_part> page_projection::part_of_state(const std::string& usps) const {
    if (!m_national)
        return map_part::main;
    if (usps == "AK")
        return map_part::alaska;
    if (usps == "HI")
        return map_part::hawaii;
    if (usps == "PR" || usps == "VI" || usps == "GU" || usps == "AS" || usps == "MP")
        return std::nullopt;
    return map_part::main;
}

xy page_projection::project_in(map_part which, double lon, double lat) const {
    for (const auto& p : m_parts)
        if (p.which == which) {
            const auto v = p.proj.forward(lon, lat);
            return {p.dx + v.x * p.scale, p.dy - v.y * p.scale};
        }
    return project_in(map_part::main, lon, lat);
}

std::optional<xy> page_projection::project(double lon, double lat) const {
    const auto part = part_of(lon, lat);
    if (!part)
        return std::nullopt;
    return project_in(*part, lon, lat);
}

std::vector<box> page_projection::inset_frames() const {
    std::vector<box> out;
    for (const auto& p : m_parts)
        if (p.which != map_part::main)
            out.push_back(p.frame);
    return out;
}

} // namespace porchlight::render
