#pragma once

// Map projections for the static and HTML maps: the Albers equal-area conic on the
// ellipsoid (Snyder, "Map Projections: A Working Manual", USGS PP 1395, pp. 98-103), and
// the layouts built on it: the national map (contiguous states with Alaska and Hawaii in
// insets, each in Albers parameters of its own) and a regional map (one state or county,
// standard parallels at 1/6 and 5/6 of its latitude span).

#include <porchlight/geo/counties.hpp>

#include <optional>
#include <string>
#include <vector>

namespace porchlight::render {

struct xy {
    double x = 0;
    double y = 0;
};

struct ellipsoid {
    double a = 6378137.0;              ///< semi-major axis, metres
    double e2 = 0.0066943799901413165; ///< eccentricity squared (WGS84)
};

/// Albers equal-area conic: lon/lat in degrees to metres east/north of (lon0, lat0).
class albers {
  public:
    albers(double lat1, double lat2, double lat0, double lon0, ellipsoid e = {});
    xy forward(double lon, double lat) const;
    /// Scale along the parallels (k) at a latitude: 1 on the standard parallels.
    double parallel_scale(double lat) const;

  private:
    double q(double sin_phi) const;
    ellipsoid m_e;
    double m_e1;
    double m_n, m_c, m_rho0, m_lon0;
};

/// A rectangle on the page (x right, y down), in page units (CSS pixels at 1x).
struct box {
    double x = 0, y = 0, w = 0, h = 0;
};

/// Which part of a composite layout a shape belongs to.
enum class map_part { main, alaska, hawaii };

/// A projection onto the page: one or more Albers projections, each scaled and moved into
/// its box. Points no part holds (territories on the national map) give nullopt.
class page_projection {
  public:
    /// The national layout within frame: contiguous states, Alaska and Hawaii insets.
    static page_projection national(const box& frame);
    /// One region whose lon/lat bounding box is given (west < east; Alaska's west below
    /// -180 is allowed), fitted into frame.
    static page_projection regional(double west, double south, double east, double north,
                                    const box& frame);

    /// The part a point falls in (by its coordinates), or nullopt.
    std::optional<map_part> part_of(double lon, double lat) const;
    /// The part of a state (AK, HI or the main map; territories: nullopt on the national map).
    std::optional<map_part> part_of_state(const std::string& usps) const;
    std::optional<xy> project(double lon, double lat) const;
    xy project_in(map_part part, double lon, double lat) const;
    /// Page units per metre on the standard parallels of the main part (for a scale bar).
    double units_per_metre() const { return m_parts.front().scale; }
    bool is_national() const { return m_national; }
    /// The inset frames in map_part order (Alaska, Hawaii); empty for a regional map.
    std::vector<box> inset_frames() const;

  private:
    struct part {
        map_part which;
        albers proj;
        double scale = 1; ///< page units per metre
        double dx = 0, dy = 0;
        box frame;
    };
    static part fit(map_part which, const albers& p, double west, double south, double east,
                    double north, const box& frame);
    std::vector<part> m_parts;
    bool m_national = false;
};

} // namespace porchlight::render
