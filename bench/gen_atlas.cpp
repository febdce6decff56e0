// gen_atlas: deterministic Atlas-of-Surveillance-shaped CSV generator.
//
//   gen_atlas ROWS AGENCIES SEED > out.csv
//
// Writes a header plus ROWS data rows spread across AGENCIES distinct
// agencies (every agency appears at least once when ROWS >= AGENCIES).
// Output is byte-identical for the same arguments (splitmix64 PRNG, no
// locale, no clock). Lines end in CRLF; about 1 in 1000 summaries holds an
// embedded newline inside a quoted field, and fields containing commas or
// quotes are quoted RFC 4180 style.
//
// Standard library only: g++ -std=c++20 -O2 -o gen_atlas gen_atlas.cpp

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "gen_common.hpp"

namespace {

using bench::SplitMix64;
using bench::parse_u64;

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
    SplitMix64 r{a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL)};
    r.next();
    return r.next();
}

constexpr std::string_view kHeader =
    "AOSNUMBER,City,County,State,Agency,Type of LEA,Summary,Type of Juris,"
    "Technology,Vendor,Link 1,Link 1 Snapshot,Link 1 Source,Link 1 Type,"
    "Link 1 Date,Link 2,Link 2 Snapshot,Link 2 Source,Link 2 Type,Link 2 Date,"
    "Link 3,Link 3 Snapshot,Link 3 Source,Link 3 Type,Link 3 Date";

constexpr std::string_view kStates[50] = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
    "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
    "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
    "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"};

struct Tech {
    std::string_view name;
    std::string_view vendor;       // may be empty
    std::string_view alt_vendor;   // used ~25% of the time if non-empty
    std::string_view verb;         // for the summary sentence
};

// Weighted roughly like the real export: Ring and ALPR dominate.
constexpr Tech kTechs[] = {
    {"Ring/Neighbors Partnership", "Ring", "", "entered a video-sharing partnership with"},
    {"Automated License Plate Readers", "Flock Safety", "Vigilant Solutions", "deployed license plate readers from"},
    {"Drones", "DJI", "Skydio", "purchased unmanned aerial vehicles from"},
    {"Body-worn Cameras", "Axon", "Motorola Solutions, Inc.", "equipped officers with body cameras from"},
    {"Face Recognition", "", "Clearview AI", "used face recognition software from"},
    {"Gunshot Detection", "ShotSpotter", "", "installed acoustic gunshot sensors from"},
    {"Cell-site Simulator", "Harris Corporation", "KeyW", "acquired a cell-site simulator from"},
    {"Camera Registry", "", "Fusus", "launched a private camera registry with"},
    {"Real-Time Crime Center", "", "Genetec", "opened a real-time crime center with"},
    {"Predictive Policing", "PredPol", "", "licensed predictive policing software from"},
    {"Social Media Monitoring", "Geofeedia", "Dataminr", "contracted social media monitoring from"},
    {"Video Analytics", "BriefCam", "", "adopted video analytics tools from"},
};
constexpr int kNumTechs = sizeof(kTechs) / sizeof(kTechs[0]);
constexpr unsigned kTechWeights[kNumTechs] = {30, 22, 10, 10, 5, 5, 3, 4, 3, 2, 3, 3};

constexpr std::string_view kSources[] = {
    "The Daily Ledger", "Evening Gazette", "City Council Minutes",
    "County Board Agenda", "Neighbors by Ring", "Local Public Radio",
    "Tribune-Herald", "Agency Press Office", "Open Records Request",
    "Regional News Network"};
constexpr std::string_view kLinkTypes[] = {
    "News Article", "Government Document", "Press Release",
    "Ring Neighbors Post", "Website", "Public Records"};
constexpr std::string_view kDomains[] = {
    "news.example.com", "gazette.example.org", "city.example.gov",
    "county.example.gov", "ring.example.com", "radio.example.org"};

struct Agency {
    std::uint32_t number;   // display number, distinct per agency
    std::uint8_t kind;      // 0 town PD, 1 county sheriff, 2 city PD, 3 university PD
    std::uint8_t state;
    std::uint32_t county;   // county number
    std::uint8_t ntech;
    std::uint8_t techs[4];
};

class Writer {
public:
    explicit Writer(std::FILE* f) : f_(f) { buf_.reserve(kCap + 4096); }
    ~Writer() { flush(); }
    void raw(std::string_view s) { buf_.append(s); }
    void ch(char c) { buf_.push_back(c); }
    void num(std::uint64_t v) {
        char tmp[24];
        auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
        buf_.append(tmp, r.ptr);
    }
    void padded(std::uint64_t v, int width) {
        char tmp[24];
        auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
        for (int n = static_cast<int>(r.ptr - tmp); n < width; ++n) buf_.push_back('0');
        buf_.append(tmp, r.ptr);
    }
    // Append a CSV field, quoting when needed.
    void field(std::string_view s) {
        if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
            buf_.append(s);
            return;
        }
        buf_.push_back('"');
        for (char c : s) {
            if (c == '"') buf_.push_back('"');
            buf_.push_back(c);
        }
        buf_.push_back('"');
    }
    void end_row() {
        buf_.append("\r\n");
        if (buf_.size() >= kCap) flush();
    }
    bool flush() {
        if (!buf_.empty()) {
            if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) ok_ = false;
            buf_.clear();
        }
        return ok_;
    }
    bool ok() const { return ok_; }

private:
    static constexpr std::size_t kCap = 1 << 20;
    std::FILE* f_;
    std::string buf_;
    bool ok_ = true;
};

void append_num(std::string& s, std::uint64_t v, int width = 0) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    for (int n = static_cast<int>(r.ptr - tmp); n < width; ++n) s.push_back('0');
    s.append(tmp, r.ptr);
}

void agency_name(std::string& out, const Agency& a) {
    out.clear();
    switch (a.kind) {
        case 0: out += "Town "; append_num(out, a.number, 5); out += " Police Department"; break;
        case 1: out += "County "; append_num(out, a.number, 5); out += " Sheriff's Office"; break;
        case 2: out += "City "; append_num(out, a.number, 5); out += " Police Department"; break;
        default: out += "University "; append_num(out, a.number, 5); out += " Police Department"; break;
    }
}

void city_name(std::string& out, const Agency& a) {
    out.clear();
    if (a.kind == 1) return;  // sheriffs: no city
    out += a.kind == 3 ? "College Town " : a.kind == 2 ? "City " : "Town ";
    append_num(out, a.number, 5);
}

void county_name(std::string& out, const Agency& a) {
    out.clear();
    out += "County ";
    append_num(out, a.county, 4);
}

struct Date { unsigned m, d, y; };

Date random_date(SplitMix64& r) {
    return Date{static_cast<unsigned>(1 + r.below(12)), static_cast<unsigned>(1 + r.below(28)),
                static_cast<unsigned>(14 + r.below(10))};
}

void date_field(Writer& w, const Date& d) {
    w.num(d.m); w.ch('/'); w.num(d.d); w.ch('/'); w.padded(d.y, 2);
}

// Writes Link N, Snapshot, Source, Type, Date (5 fields, each preceded by ',').
void link_fields(Writer& w, SplitMix64& r, bool present, bool allow_empty_date, std::string& tmp) {
    if (!present) {
        w.raw(",,,,,");
        return;
    }
    Date d = random_date(r);
    const auto dom = kDomains[r.below(std::size(kDomains))];
    const std::uint64_t story = r.below(10000000);
    tmp.clear();
    tmp += "https://"; tmp += dom; tmp += "/20"; append_num(tmp, d.y, 2); tmp += '/';
    append_num(tmp, d.m, 2); tmp += "/story-"; append_num(tmp, story);
    w.ch(','); w.field(tmp);
    w.ch(',');
    if (r.chance(600)) {
        w.raw("https://web.archive.org/web/20"); w.padded(d.y, 2); w.padded(d.m, 2); w.padded(d.d, 2);
        w.raw("000000/"); w.field(tmp);
    }
    w.ch(','); w.field(kSources[r.below(std::size(kSources))]);
    w.ch(','); w.field(kLinkTypes[r.below(std::size(kLinkTypes))]);
    w.ch(',');
    if (!(allow_empty_date && r.chance(50))) date_field(w, d);
}

int usage() {
    std::fputs("usage: gen_atlas ROWS AGENCIES SEED > out.csv\n", stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) return usage();
    std::uint64_t rows = 0, nagencies = 0, seed = 0;
    if (!parse_u64(argv[1], rows) || !parse_u64(argv[2], nagencies) || !parse_u64(argv[3], seed) ||
        nagencies == 0 || nagencies > 99999) {
        std::fputs("gen_atlas: ROWS and SEED must be non-negative integers, AGENCIES in 1..99999\n", stderr);
        return usage();
    }

    // Cumulative technology weights.
    unsigned cum[kNumTechs];
    unsigned total_w = 0;
    for (int i = 0; i < kNumTechs; ++i) cum[i] = (total_w += kTechWeights[i]);
    auto pick_tech = [&](SplitMix64& r) {
        unsigned x = static_cast<unsigned>(r.below(total_w));
        int t = 0;
        while (x >= cum[t]) ++t;
        return static_cast<std::uint8_t>(t);
    };

    // Agencies: attributes derived from (seed, index) so they do not depend on ROWS.
    std::vector<Agency> agencies(nagencies);
    for (std::uint64_t i = 0; i < nagencies; ++i) {
        SplitMix64 r{mix(seed, i)};
        Agency& a = agencies[i];
        a.number = static_cast<std::uint32_t>(i + 1);
        std::uint64_t k = r.below(100);
        a.kind = k < 55 ? 0 : k < 80 ? 1 : k < 95 ? 2 : 3;
        a.state = static_cast<std::uint8_t>(r.below(50));
        a.county = static_cast<std::uint32_t>(1 + r.below(3000));
        a.ntech = static_cast<std::uint8_t>(1 + r.below(4));
        for (int t = 0; t < a.ntech; ++t) a.techs[t] = pick_tech(r);
    }

    // First AGENCIES rows visit every agency once in a scrambled order
    // (stride coprime with AGENCIES); later rows pick agencies at random.
    std::uint64_t stride = nagencies * 618 / 1000 + 1;
    while (std::gcd(stride, nagencies) != 1) ++stride;

    std::FILE* out = stdout;
    Writer w(out);
    w.raw(kHeader);
    w.end_row();

    SplitMix64 r{seed ^ 0xA71A5A71A5ULL};
    std::string name, city, county, summary, tmp;
    for (std::uint64_t row = 0; row < rows; ++row) {
        const std::uint64_t ai = row < nagencies ? (row * stride + 7) % nagencies : r.below(nagencies);
        const Agency& a = agencies[ai];
        const Tech& tech = kTechs[a.techs[r.below(a.ntech)]];
        std::string_view vendor = tech.vendor;
        if (!tech.alt_vendor.empty() && ((mix(seed, ai * 31 + (&tech - kTechs)) & 3) == 0))
            vendor = tech.alt_vendor;  // stable per agency×technology

        agency_name(name, a);
        city_name(city, a);
        county_name(county, a);
        const unsigned year = static_cast<unsigned>(2014 + r.below(10));

        // Summary, ~100 characters; several shapes, some with commas/quotes.
        summary.clear();
        std::string_view vend_text = vendor.empty() ? std::string_view("an undisclosed vendor") : vendor;
        switch (r.below(5)) {
            case 0:
                summary += "The "; summary += name; summary += ' '; summary += tech.verb; summary += ' ';
                summary += vend_text; summary += " in "; append_num(summary, year); summary += '.';
                break;
            case 1:
                summary += "In "; append_num(summary, year); summary += ", the "; summary += name;
                summary += ' '; summary += tech.verb; summary += ' '; summary += vend_text;
                summary += ", according to local reporting.";
                break;
            case 2:
                summary += "According to records, the agency "; summary += tech.verb; summary += ' ';
                summary += vend_text; summary += " as part of a \"pilot program\".";
                break;
            case 3:
                summary += "Officials in "; summary += (city.empty() ? county : city);
                summary += ' '; summary += kStates[a.state]; summary += " approved funding for ";
                summary += tech.name; summary += " through "; summary += vend_text; summary += '.';
                break;
            default:
                summary += "A "; append_num(summary, year); summary += " budget shows the department ";
                summary += tech.verb; summary += ' '; summary += vend_text; summary += " for $";
                append_num(summary, 5 + r.below(995)); summary += ",000.";
                break;
        }
        if (r.below(1000) == 0) summary += "\nUpdated: the contract was later renewed.";

        w.raw("AOS"); w.padded(row + 1, 7);
        w.ch(','); w.field(city);
        w.ch(','); w.field(county);
        w.ch(','); w.raw(kStates[a.state]);
        w.ch(','); w.field(name);
        w.ch(','); w.raw(a.kind == 1 ? std::string_view("Sheriff") : a.kind == 3 ? std::string_view("University Police") : std::string_view("Police"));
        w.ch(','); w.field(summary);
        w.ch(','); w.raw(a.kind == 1 ? std::string_view("County") : a.kind == 3 ? std::string_view("University") : std::string_view("Municipal"));
        w.ch(','); w.field(tech.name);
        w.ch(','); w.field(vendor);
        link_fields(w, r, true, true, tmp);
        const bool l2 = r.chance(400);
        link_fields(w, r, l2, false, tmp);
        link_fields(w, r, l2 && r.chance(400), false, tmp);
        w.end_row();
    }
    if (!w.flush() || std::fflush(out) != 0) {
        std::perror("gen_atlas: write");
        return 1;
    }
    return 0;
}
