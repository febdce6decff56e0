// gen_points N SEED W S E N: N points (CSV "lon,lat", 6 decimals) inside the box, for the
// heatmap and coverage benchmarks: 80% in 200 clusters (towns: a normal spread of about
// 0.05°), 20% spread evenly. Deterministic for a seed. Standard library only.
#include "gen_common.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

double uniform(bench::SplitMix64& rng) {
    return static_cast<double>(rng.next() >> 11) * (1.0 / 9007199254740992.0);
}

/// A standard normal draw (Box-Muller).
double normal(bench::SplitMix64& rng) {
    const double u = std::max(uniform(rng), 1e-300), v = uniform(rng);
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
}

} // namespace

int main(int argc, char** argv) {
    std::uint64_t n = 0, seed = 0;
    if (argc != 7 || !bench::parse_u64(argv[1], n) || !bench::parse_u64(argv[2], seed)) {
        std::fprintf(stderr, "usage: gen_points N SEED WEST SOUTH EAST NORTH\n");
        return 2;
    }
    const double w = std::atof(argv[3]), s = std::atof(argv[4]), e = std::atof(argv[5]),
                 no = std::atof(argv[6]);
    if (!(w < e) || !(s < no)) {
        std::fprintf(stderr, "gen_points: the box must have WEST < EAST and SOUTH < NORTH\n");
        return 2;
    }
    bench::SplitMix64 rng{seed};
    std::vector<std::pair<double, double>> towns;
    for (int i = 0; i < 200; ++i)
        towns.emplace_back(w + uniform(rng) * (e - w), s + uniform(rng) * (no - s));
    std::string out = "lon,lat\n";
    out.reserve(24 * n + 8);
    char buf[64];
    for (std::uint64_t i = 0; i < n; ++i) {
        double lon, lat;
        do {
            if (rng.chance(800)) {
                const auto& t = towns[rng.below(towns.size())];
                lon = t.first + 0.05 * normal(rng);
                lat = t.second + 0.05 * normal(rng);
            } else {
                lon = w + uniform(rng) * (e - w);
                lat = s + uniform(rng) * (no - s);
            }
        } while (lon < w || lon > e || lat < s || lat > no);
        const int len = std::snprintf(buf, sizeof buf, "%.6f,%.6f\n", lon, lat);
        out.append(buf, static_cast<std::size_t>(len));
        if (out.size() > (1u << 20)) {
            std::fwrite(out.data(), 1, out.size(), stdout);
            out.clear();
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::ferror(stdout) ? 1 : 0;
}
