#include <porchlight/error.hpp>
#include <porchlight/ingest/profile.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace porchlight::ingest {

namespace {

constexpr std::pair<field, std::string_view> field_names[] = {
    {field::record_id, "record_id"},
    {field::agency, "agency"},
    {field::city, "city"},
    {field::county, "county"},
    {field::state, "state"},
    {field::address, "address"},
    {field::agency_type, "agency_type"},
    {field::jurisdiction_type, "jurisdiction_type"},
    {field::vendor, "vendor"},
    {field::technology, "technology"},
    {field::start, "start"},
    {field::end, "end"},
    {field::requested_at, "requested_at"},
    {field::case_number, "case_number"},
    {field::title, "title"},
    {field::lat, "lat"},
    {field::lon, "lon"},
    {field::radius, "radius"},
    {field::area, "area"},
    {field::window_start, "window_start"},
    {field::window_end, "window_end"},
    {field::users_notified, "users_notified"},
    {field::videos_received, "videos_received"},
    {field::total, "total"},
    {field::as_of, "as_of"},
    {field::geometry, "geometry"},
    {field::name, "name"},
    {field::kind, "kind"},
    {field::camera_operator, "operator"},
    {field::direction, "direction"},
    {field::field_of_view, "field_of_view"},
    {field::angle, "angle"},
    {field::surveillance_type, "surveillance_type"},
    {field::zone, "zone"},
    {field::ref, "ref"},
};

constexpr std::pair<profile_kind, std::string_view> kind_names[] = {
    {profile_kind::partnerships, "partnerships"},
    {profile_kind::requests, "requests"},
    {profile_kind::request_totals, "request-totals"},
    {profile_kind::cameras, "cameras"},
};

} // namespace

std::string_view to_string(field f) {
    for (const auto& [k, n] : field_names)
        if (k == f)
            return n;
    return "";
}

std::optional<field> field_from_string(std::string_view s) {
    for (const auto& [k, n] : field_names)
        if (n == s)
            return k;
    return std::nullopt;
}

std::string_view to_string(profile_kind k) {
    for (const auto& [v, n] : kind_names)
        if (v == k)
            return n;
    return "partnerships";
}

std::optional<profile_kind> profile_kind_from_string(std::string_view s) {
    for (const auto& [v, n] : kind_names)
        if (n == s)
            return v;
    return std::nullopt;
}

std::optional<std::string> Profile::column_for(field f) const {
    if (auto it = columns.find(f); it != columns.end())
        return it->second.front();
    if (auto it = optional_columns.find(f); it != optional_columns.end())
        return it->second.front();
    return std::nullopt;
}

bool Profile::maps(field f) const { return column_for(f) || constants.count(f); }

std::string column_key(std::string_view column) {
    std::string out;
    for (char c : util::trim(column)) {
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 static_cast<unsigned char>(c) >= 0x80)
            out += c;
    }
    // a UTF-8 BOM that survived into the first header cell
    if (out.rfind("\xEF\xBB\xBF", 0) == 0)
        out.erase(0, 3);
    return out;
}

std::optional<std::size_t> find_column(const std::vector<std::string>& columns,
                                       const spellings& wanted) {
    for (const auto& w : wanted) {
        const auto key = column_key(w);
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (column_key(columns[i]) == key)
                return i;
    }
    return std::nullopt;
}

namespace {

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw profile_error("cannot read profile " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A column given as one name or as a list of spellings.
spellings read_spellings(const YAML::Node& node, const fs::path& file, const std::string& what) {
    spellings out;
    if (node.IsSequence()) {
        for (const auto& s : node)
            out.push_back(s.as<std::string>());
    } else {
        out.push_back(node.as<std::string>());
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& s) { return s.empty(); }),
              out.end());
    if (out.empty())
        throw profile_error("profile " + file.string() + ": " + what + " names no column");
    return out;
}

field read_field(const std::string& key, const fs::path& file, const char* section) {
    auto f = field_from_string(key);
    if (!f)
        throw profile_error("profile " + file.string() + ": unknown field '" + key + "' in '" +
                            section + "'");
    return *f;
}

std::map<field, spellings> read_column_map(const YAML::Node& node, const fs::path& file,
                                           const char* section) {
    std::map<field, spellings> out;
    if (!node)
        return out;
    if (!node.IsMap())
        throw profile_error("profile " + file.string() + ": '" + section + "' must be a mapping");
    for (const auto& kv : node) {
        const auto key = kv.first.as<std::string>();
        out[read_field(key, file, section)] =
            read_spellings(kv.second, file, std::string(section) + "." + key);
    }
    return out;
}

std::map<field, std::string> read_constants(const YAML::Node& node, const fs::path& file) {
    std::map<field, std::string> out;
    if (!node)
        return out;
    if (!node.IsMap())
        throw profile_error("profile " + file.string() + ": 'constants' must be a mapping");
    for (const auto& kv : node)
        out[read_field(kv.first.as<std::string>(), file, "constants")] = kv.second.as<std::string>();
    return out;
}

void check_keys(const YAML::Node& root, const fs::path& file) {
    static const std::vector<std::string> keys = {
        "name",      "title",     "dataset",          "description", "kind",
        "radius_unit", "detect",  "columns",          "optional_columns",
        "constants", "technology_vendors", "links"};
    for (const auto& kv : root) {
        const auto key = kv.first.as<std::string>();
        if (std::find(keys.begin(), keys.end(), key) != keys.end())
            continue;
        std::string hint;
        for (const auto& k : keys)
            if (util::edit_distance(k, key) <= 2)
                hint = "; did you mean '" + k + "'?";
        throw profile_error("profile " + file.string() + ": unknown key '" + key + "'" + hint +
                            " (see schemas/profile.schema.json)");
    }
}

/// What each kind needs mapped (the agency of requests and totals may also come from
/// --agency, so it is checked when a source is read).
void check_required(const Profile& p, const fs::path& file) {
    const auto where = "profile " + file.string();
    switch (p.kind) {
    case profile_kind::partnerships:
        if (!p.maps(field::agency))
            throw profile_error(where + " maps no column to 'agency'");
        if (!p.maps(field::state) && !p.maps(field::address))
            throw profile_error(where + " maps no column to 'state' or 'address'");
        if (!p.maps(field::technology))
            throw profile_error(where + " maps no column or constant to 'technology'");
        break;
    case profile_kind::requests:
        if (!p.maps(field::requested_at) && !p.maps(field::area) && !p.maps(field::lat))
            throw profile_error(where + " (kind requests) maps no column to 'requested_at', "
                                        "'lat' or 'area'");
        break;
    case profile_kind::request_totals:
        if (!p.maps(field::total))
            throw profile_error(where + " (kind request-totals) maps no column to 'total'");
        break;
    case profile_kind::cameras:
        if (p.maps(field::lat) != p.maps(field::lon))
            throw profile_error(where + " (kind cameras) maps 'lat' or 'lon' without the other");
        break;
    }
}

} // namespace

Profile load_profile(const fs::path& file) {
    const auto bytes = read_file(file);
    Profile p;
    p.file = file;
    p.sha256 = util::sha256_hex(bytes);
    try {
        YAML::Node root = YAML::Load(bytes);
        if (!root.IsMap())
            throw profile_error("profile " + file.string() + " is not a YAML mapping");
        check_keys(root, file);
        p.name = root["name"].as<std::string>("");
        if (p.name.empty())
            throw profile_error("profile " + file.string() + " has no 'name'");
        p.title = root["title"].as<std::string>(p.name);
        p.dataset = root["dataset"].as<std::string>("");
        p.description = root["description"].as<std::string>("");
        if (auto k = root["kind"]) {
            auto kind = profile_kind_from_string(k.as<std::string>());
            if (!kind)
                throw profile_error("profile " + file.string() + ": unknown kind '" +
                                    k.as<std::string>() +
                                    "' (partnerships, requests, request-totals, cameras)");
            p.kind = *kind;
        }
        p.radius_unit = root["radius_unit"].as<std::string>("m");
        if (p.radius_unit != "m" && p.radius_unit != "ft" && p.radius_unit != "mi" &&
            p.radius_unit != "km")
            throw profile_error("profile " + file.string() + ": radius_unit '" + p.radius_unit +
                                "' is not m, ft, mi or km");
        if (auto d = root["detect"])
            for (const auto& c : d["columns"])
                p.detect_columns.push_back(read_spellings(c, file, "detect.columns"));
        p.columns = read_column_map(root["columns"], file, "columns");
        p.optional_columns = read_column_map(root["optional_columns"], file, "optional_columns");
        p.constants = read_constants(root["constants"], file);
        if (auto tv = root["technology_vendors"])
            for (const auto& kv : tv)
                p.technology_vendors[kv.first.as<std::string>()] = kv.second.as<std::string>();
        for (const auto& l : root["links"]) {
            link_columns lc;
            lc.url = l["url"].as<std::string>("");
            lc.snapshot = l["snapshot"].as<std::string>("");
            lc.publisher = l["publisher"].as<std::string>("");
            lc.type = l["type"].as<std::string>("");
            lc.date = l["date"].as<std::string>("");
            p.links.push_back(lc);
        }
    } catch (const YAML::Exception& e) {
        throw profile_error("profile " + file.string() + ": " + e.what());
    }
    check_required(p, file);
    if (p.detect_columns.empty())
        for (const auto& [f, c] : p.columns)
            p.detect_columns.push_back(c);
    return p;
}

std::vector<Profile> load_profiles(const fs::path& profiles_dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(profiles_dir, ec))
        if (e.path().extension() == ".yaml")
            files.push_back(e.path());
    if (ec)
        throw profile_error("cannot list profiles in " + profiles_dir.string() + ": " +
                            ec.message());
    std::sort(files.begin(), files.end());
    std::vector<Profile> out;
    for (const auto& f : files)
        out.push_back(load_profile(f));
    return out;
}

Profile find_profile(const fs::path& profiles_dir, const std::string& name_or_path) {
    const fs::path as_path(name_or_path);
    std::error_code ec;
    if (as_path.extension() == ".yaml" || as_path.extension() == ".yml") {
        if (!fs::exists(as_path, ec))
            throw profile_error("profile file " + name_or_path + " does not exist");
        return load_profile(as_path);
    }
    auto all = load_profiles(profiles_dir);
    for (auto& p : all)
        if (p.name == name_or_path)
            return p;
    std::string names, best;
    std::size_t best_d = 1000;
    for (const auto& p : all) {
        names += (names.empty() ? "" : ", ") + p.name;
        auto d = util::edit_distance(p.name, name_or_path);
        if (p.name.rfind(name_or_path, 0) == 0 && name_or_path.size() >= 3)
            d = 0; // "ring" for "ring-agency-map"
        if (d < best_d) {
            best_d = d;
            best = p.name;
        }
    }
    std::string msg = "unknown profile '" + name_or_path + "'";
    if (best_d <= 4)
        msg += "; did you mean '" + best + "'?";
    msg += " (profiles: " + names + ")";
    throw profile_error(msg);
}

detection detect_profile(const std::vector<Profile>& profiles,
                         const std::vector<std::string>& columns, const std::string& file) {
    std::set<std::string> have;
    for (const auto& c : columns)
        have.insert(column_key(c));
    const Profile* best = nullptr;
    std::size_t best_score = 0;
    std::vector<std::string> tied;
    for (const auto& p : profiles) {
        bool all = !p.detect_columns.empty();
        for (const auto& c : p.detect_columns)
            all = all && std::any_of(c.begin(), c.end(), [&](const std::string& spelling) {
                      return have.count(column_key(spelling)) > 0;
                  });
        if (!all)
            continue;
        const auto score = p.detect_columns.size();
        if (score > best_score) {
            best = &p;
            best_score = score;
            tied = {p.name};
        } else if (score == best_score) {
            tied.push_back(p.name);
        }
    }
    if (!best) {
        std::string cols;
        for (std::size_t i = 0; i < columns.size() && i < 12; ++i)
            cols += (i ? ", " : "") + columns[i];
        if (columns.size() > 12)
            cols += ", ...";
        std::string names;
        for (const auto& p : profiles)
            names += (names.empty() ? "" : ", ") + p.name;
        throw profile_error("no profile fits the columns of " + file + " (" + cols +
                            "); name one with --profile (" + names + ")");
    }
    if (tied.size() > 1) {
        std::string names;
        for (const auto& n : tied)
            names += (names.empty() ? "" : ", ") + n;
        throw profile_error("several profiles fit " + file + " equally (" + names +
                            "); choose one with --profile");
    }
    std::string reason = "detected from columns";
    for (const auto& c : best->detect_columns)
        for (const auto& spelling : c)
            if (have.count(column_key(spelling))) {
                reason += " '" + spelling + "'";
                break;
            }
    return {best, reason};
}

} // namespace porchlight::ingest
