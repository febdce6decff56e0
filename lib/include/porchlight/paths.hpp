#pragma once

#include <filesystem>

namespace porchlight {

/// The folder holding profiles/, vendors.yaml and the demo corpus: $PORCHLIGHT_DATA_DIR,
/// else the source tree's data/ (a build-tree binary), else the installed share/porchlight/data.
std::filesystem::path default_data_dir();

} // namespace porchlight
