#include "util/sha256.hpp"

#include "util/durable.hpp"
#include "util/encoding.hpp"

#include <openssl/evp.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace gp {

namespace {

// The digest as hex digits.
std::string to_hex(const unsigned char* digest, unsigned int size) {
    return hex_lower(std::string_view(reinterpret_cast<const char*>(digest), size));
}

struct DigestContextFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;

std::runtime_error read_error(const std::string& path, int error) {
    return std::runtime_error(path + ": cannot read: " + std::strerror(error));
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return to_hex(digest.data(), size);
}

struct Sha256::Context {
    DigestContext digest{EVP_MD_CTX_new()};
    void init() {
        if (!digest || EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr) != 1) {
            throw std::runtime_error("SHA-256 failed");
        }
    }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
    context_->init();
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
    if (EVP_DigestUpdate(context_->digest.get(), bytes.data(), bytes.size()) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
}

std::string Sha256::hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_->digest.get(), digest.data(), &size) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    context_->init();
    return to_hex(digest.data(), size);
}

std::string sha256_file_hex(const std::string& path) {
    const FdCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) {
        throw read_error(path, errno);
    }
    Sha256 sha;
    std::array<char, 65536> block{};
    for (;;) {
        const ssize_t n = ::read(file.fd, block.data(), block.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw read_error(path, errno);
        }
        if (n == 0) {
            break;
        }
        sha.update({block.data(), static_cast<std::size_t>(n)});
    }
    return sha.hex();
}

}  // namespace gp
