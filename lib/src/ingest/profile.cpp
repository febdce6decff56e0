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

std::string_view to_string(field f) {
    switch (f) {
    case field::record_id:
        return "record_id";
    case field::agency:
        return "agency";
    case field::city:
        return "city";
    case field::county:
        return "county";
    case field::state:
        return "state";
    case field::address:
        return "address";
    case field::agency_type:
        return "agency_type";
    case field::jurisdiction_type:
        return "jurisdiction_type";
    case field::vendor:
        return "vendor";
    case field::technology:
        return "technology";
    case field::start:
        return "start";
    case field::end:
        return "end";
    }
    return "";
}

std::optional<field> field_from_string(std::string_view s) {
    for (auto f : all_fields)
        if (to_string(f) == s)
            return f;
    return std::nullopt;
}

std::optional<std::string> Profile::column_for(field f) const {
    if (auto it = columns.find(f); it != columns.end())
        return it->second;
    if (auto it = optional_columns.find(f); it != optional_columns.end())
        return it->second;
    return std::nullopt;
}

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

namespace {

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw profile_error("cannot read profile " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::map<field, std::string> read_field_map(const YAML::Node& node, const fs::path& file,
                                            const char* section) {
    std::map<field, std::string> out;
    if (!node)
        return out;
    if (!node.IsMap())
        throw profile_error("profile " + file.string() + ": '" + section + "' must be a mapping");
    for (const auto& kv : node) {
        auto key = kv.first.as<std::string>();
        auto f = field_from_string(key);
        if (!f)
            throw profile_error("profile " + file.string() + ": unknown field '" + key + "' in '" +
                                section + "'");
        out[*f] = kv.second.as<std::string>();
    }
    return out;
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
        static const std::vector<std::string> keys = {
            "name",    "title",     "dataset",           "description",       "detect",
            "columns", "optional_columns", "constants",  "technology_vendors", "links"};
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
        p.name = root["name"].as<std::string>("");
        if (p.name.empty())
            throw profile_error("profile " + file.string() + " has no 'name'");
        p.title = root["title"].as<std::string>(p.name);
        p.dataset = root["dataset"].as<std::string>("");
        p.description = root["description"].as<std::string>("");
        if (auto d = root["detect"]) {
            for (const auto& c : d["columns"])
                p.detect_columns.push_back(c.as<std::string>());
        }
        p.columns = read_field_map(root["columns"], file, "columns");
        p.optional_columns = read_field_map(root["optional_columns"], file, "optional_columns");
        p.constants = read_field_map(root["constants"], file, "constants");
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
    auto has = [&](field f) { return p.column_for(f) || p.constants.count(f); };
    if (!has(field::agency))
        throw profile_error("profile " + file.string() + " maps no column to 'agency'");
    if (!has(field::state) && !has(field::address))
        throw profile_error("profile " + file.string() + " maps no column to 'state' or 'address'");
    if (!has(field::technology))
        throw profile_error("profile " + file.string() +
                            " maps no column or constant to 'technology'");
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
            all = all && have.count(column_key(c));
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
        reason += " '" + c + "'";
    return {best, reason};
}

} // namespace porchlight::ingest
