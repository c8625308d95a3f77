#include "util/ed25519.hpp"

#include "util/durable.hpp"
#include "util/encoding.hpp"
#include "util/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace gp {

namespace {

constexpr std::size_t max_key_file = 64 * 1024;
constexpr std::size_t signature_size = 64;
constexpr std::size_t raw_public_size = 32;

struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct MdContextFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextFree>;

struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

// The file's bytes, wiped from memory when this goes (a private key's are a secret).
struct KeyBytes {
    std::string bytes;
    KeyBytes() = default;
    KeyBytes(const KeyBytes&) = delete;
    KeyBytes& operator=(const KeyBytes&) = delete;
    ~KeyBytes() {
        bytes.resize(bytes.capacity());
        OPENSSL_cleanse(bytes.data(), bytes.size());
    }
};

// Read straight into one buffer of its final capacity (no stream buffer, no reallocation), so
// that wiping it wipes every copy this process made.
void read_key_file(const std::string& path, KeyBytes& out) {
    const FdCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) {
        throw SigningKeyError(path + ": cannot read: " + std::strerror(errno));
    }
    out.bytes.assign(max_key_file + 1, '\0');
    std::size_t size = 0;
    while (size < out.bytes.size()) {
        const ssize_t n = ::read(file.fd, out.bytes.data() + size, out.bytes.size() - size);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw SigningKeyError(path + ": cannot read: " + std::strerror(errno));
        }
        if (n == 0) {
            break;
        }
        size += static_cast<std::size_t>(n);
    }
    if (size > max_key_file) {
        throw SigningKeyError(path + ": not a PEM key file (larger than 64 KiB)");
    }
    OPENSSL_cleanse(out.bytes.data() + size, out.bytes.size() - size);
    out.bytes.resize(size);  // shrinking keeps the buffer: the destructor wipes all of it
}

// No passphrase is ever asked for (a cron run has no one to ask): an encrypted key fails.
int no_passphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*user*/) {
    return -1;
}

std::string key_id_of(EVP_PKEY* key) {
    std::array<unsigned char, raw_public_size> raw{};
    std::size_t size = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, raw.data(), &size) != 1 || size != raw_public_size) {
        ERR_clear_error();
        throw SigningKeyError("Ed25519: cannot read the public key");
    }
    return sha256_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), size));
}

enum class KeyKind { private_key, public_key };

Pkey read_pem(const std::string& path, KeyKind kind) {
    const bool private_key = kind == KeyKind::private_key;
    KeyBytes file;
    read_key_file(path, file);
    const Bio bio(BIO_new_mem_buf(file.bytes.data(), static_cast<int>(file.bytes.size())));
    if (!bio) {
        throw SigningKeyError(path + ": cannot read the key (out of memory)");
    }
    Pkey key(private_key ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr)
                         : PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr));
    ERR_clear_error();
    const char* what = private_key
                           ? "not an unencrypted PEM Ed25519 private key (make one with: openssl "
                             "genpkey -algorithm ed25519 -out FILE)"
                           : "not a PEM Ed25519 public key (make it from the private key with: "
                             "openssl pkey -in PRIVATE.pem -pubout -out FILE)";
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
        throw SigningKeyError(path + ": " + what);
    }
    return key;
}

}  // namespace

struct Ed25519PrivateKey::Impl {
    Pkey key;
};

struct Ed25519PublicKey::Impl {
    Pkey key;
};

Ed25519PrivateKey::Ed25519PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
    key_id_ = key_id_of(impl_->key.get());
}
Ed25519PrivateKey::~Ed25519PrivateKey() = default;
Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&&) noexcept = default;

Ed25519PrivateKey Ed25519PrivateKey::load(const std::string& path) {
    auto impl = std::make_unique<Impl>();
    impl->key = read_pem(path, KeyKind::private_key);
    return Ed25519PrivateKey(std::move(impl));
}

std::string Ed25519PrivateKey::sign_hex(std::string_view message) const {
    const MdContext context(EVP_MD_CTX_new());
    std::array<unsigned char, signature_size> signature{};
    std::size_t size = signature.size();
    // Ed25519 hashes the message itself: no digest is named (NULL md).
    if (!context ||
        EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
        EVP_DigestSign(context.get(), signature.data(), &size,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        size != signature_size) {
        ERR_clear_error();
        throw std::runtime_error("Ed25519 signing failed");
    }
    return hex_lower(std::string_view(reinterpret_cast<const char*>(signature.data()), size));
}

Ed25519PublicKey::Ed25519PublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
    key_id_ = key_id_of(impl_->key.get());
}
Ed25519PublicKey::~Ed25519PublicKey() = default;
Ed25519PublicKey::Ed25519PublicKey(Ed25519PublicKey&&) noexcept = default;
Ed25519PublicKey& Ed25519PublicKey::operator=(Ed25519PublicKey&&) noexcept = default;

Ed25519PublicKey Ed25519PublicKey::load(const std::string& path) {
    auto impl = std::make_unique<Impl>();
    impl->key = read_pem(path, KeyKind::public_key);
    return Ed25519PublicKey(std::move(impl));
}

bool Ed25519PublicKey::verify_hex(std::string_view message, std::string_view signature_hex) const {
    std::vector<unsigned char> signature;
    if (signature_hex.size() != 2 * signature_size || !bytes_of_hex(signature_hex, signature)) {
        return false;
    }
    const MdContext context(EVP_MD_CTX_new());
    const bool ok =
        context &&
        EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
        EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                         reinterpret_cast<const unsigned char*>(message.data()),
                         message.size()) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace gp
