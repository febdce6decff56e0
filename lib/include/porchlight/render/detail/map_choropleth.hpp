#pragma once

// Choropleths: the layer's features counted per state or county (or per 1,000 km² of it),
// the counts classed on a sequential ramp.

#include <porchlight/geo/counties.hpp>
#include <porchlight/render/detail/map_scene.hpp>

namespace porchlight::render::detail {

/// Fills s.states (by "state") or s.counties (by "county") with classes and the legend.
/// A feature is placed by its `county_fips` / `state` property when it has one, else by
/// the county polygon holding it. Throws porchlight::error for another `by`.
void apply_choropleth(scene& s, const layer& l, const map_options& o,
                      const geo::CountyIndex& counties);

} // namespace porchlight::render::detail
