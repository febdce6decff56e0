// Offline geocoding benchmark: gazetteer load time, then lookups per second over generated
// agency queries. Usage: porchlight_bench_geocode GAZETTEER_DIR [QUERIES]
// Prints "load_ms N", "queries N", "lookups_per_s N" and the precision counts.
#include <porchlight/geo/geocoder.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

struct row {
    std::string state, county_fips, name;
};

std::vector<row> read_places(const std::string& file) {
    std::vector<row> out;
    std::ifstream in(file);
    std::string line;
    std::getline(in, line); // header: state county_fips name ...
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        row r;
        std::getline(ss, r.state, '\t');
        std::getline(ss, r.county_fips, '\t');
        std::getline(ss, r.name, '\t');
        out.push_back(r);
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s GAZETTEER_DIR [QUERIES]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const long n = argc > 2 ? std::atol(argv[2]) : 100000;
    using clock = std::chrono::steady_clock;

    const auto t0 = clock::now();
    const auto g = porchlight::geo::Gazetteer::load(dir);
    const auto t1 = clock::now();

    // generated queries from the gazetteer's own places: city police departments (mostly
    // exact names, some "X Township"/"City of X" variants), sheriffs of the place's county
    const auto places = read_places(dir + "/places.tsv");
    std::uint64_t seed = 42;
    std::vector<porchlight::geo::agency_location_query> queries;
    queries.reserve(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) {
        const auto& p = places[splitmix(seed) % places.size()];
        const auto kind = splitmix(seed) % 10;
        porchlight::geo::agency_location_query q;
        q.state = p.state;
        if (kind < 7) {
            q.name = p.name + " Police Department";
            q.kind = "police";
            q.place = p.name;
        } else if (kind < 8) {
            q.name = "City of " + p.name + " Police Department";
            q.kind = "police";
            q.place = "City of " + p.name;
        } else {
            const auto* c = g.county(p.county_fips);
            q.name = (c ? c->full_name : p.name + " County") + " Sheriff's Office";
            q.kind = "sheriff";
            q.place = p.name;
        }
        queries.push_back(std::move(q));
    }

    std::map<std::string, long> by_precision;
    const auto t2 = clock::now();
    for (const auto& q : queries)
        ++by_precision[std::string(porchlight::geo::to_string(porchlight::geo::geocode_offline(g, q).level))];
    const auto t3 = clock::now();

    const double load_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const double secs = std::chrono::duration<double>(t3 - t2).count();
    std::printf("load_ms %.1f\nqueries %ld\nlookups_per_s %.0f\n", load_ms, n, n / secs);
    for (const auto& [p, c] : by_precision)
        std::printf("precision_%s %ld\n", p.c_str(), c);
    return 0;
}
