#include <porchlight/config.hpp>
#include <porchlight/paths.hpp>

#include <cstdlib>

namespace porchlight {

std::filesystem::path default_data_dir() {
    if (const char* env = std::getenv("PORCHLIGHT_DATA_DIR"); env && *env)
        return env;
    std::error_code ec;
    const auto source = std::filesystem::path(config::source_dir) / "data";
    if (std::filesystem::is_directory(source / "profiles", ec))
        return source;
    return std::filesystem::path(config::install_data_dir) / "data";
}

} // namespace porchlight
