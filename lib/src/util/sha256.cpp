#include <porchlight/error.hpp>
#include <porchlight/util/sha256.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <fstream>

namespace porchlight::util {

struct Sha256::impl {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

Sha256::Sha256() : m_impl(std::make_unique<impl>()) {
    if (!m_impl->ctx || EVP_DigestInit_ex(m_impl->ctx.get(), EVP_sha256(), nullptr) != 1)
        throw error("cannot initialise SHA-256");
}
Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(m_impl->ctx.get(), data, size) != 1)
        throw error("SHA-256 update failed");
}

std::string Sha256::hex_digest() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(m_impl->ctx.get(), md.data(), &len) != 1)
        throw error("SHA-256 final failed");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(digits[md[i] >> 4]);
        out.push_back(digits[md[i] & 0xf]);
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.hex_digest();
}

std::string sha256_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw error("cannot read " + path.string() + ": " + std::strerror(errno));
    Sha256 h;
    std::array<char, 1 << 16> buf{};
    while (in) {
        in.read(buf.data(), buf.size());
        if (in.gcount() > 0)
            h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad())
        throw error("cannot read " + path.string());
    return h.hex_digest();
}

} // namespace porchlight::util
