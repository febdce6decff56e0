#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace porchlight::util {

/// Incremental SHA-256 (OpenSSL EVP), hex digest.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::string hex_digest();

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
};

std::string sha256_hex(std::string_view data);
/// Hashes a file's bytes; throws porchlight::error naming the file when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

} // namespace porchlight::util
