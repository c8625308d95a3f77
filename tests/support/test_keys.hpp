#pragma once
// Ed25519 key pairs for the tests of the journal's signature (lib/util/ed25519.cpp, gdpr-purge
// verify, apply --sign-key), written as `openssl genpkey -algorithm ed25519` and `openssl pkey
// -pubout` write them; and keys that are not right (encrypted, another algorithm). Made in
// process with OpenSSL: the tests need no openssl binary.
#include <catch2/catch.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string>

namespace simtest {

struct KeyFiles {
    std::string private_pem;  // PEM "PRIVATE KEY"
    std::string public_pem;   // PEM "PUBLIC KEY"
};

// `algorithm`: "ED25519", or "EC" (P-256) for a key of another kind. With `passphrase`, the
// private key file is encrypted with it.
inline KeyFiles write_key_pair(const std::string& base, const char* algorithm = "ED25519",
                               const std::string& passphrase = "") {
    EVP_PKEY* key = std::string(algorithm) == "EC"
                        ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm);
    REQUIRE(key != nullptr);
    KeyFiles files{base + ".pem", base + ".pub"};
    BIO* out = BIO_new_file(files.private_pem.c_str(), "w");
    REQUIRE(out != nullptr);
    const int written =
        passphrase.empty()
            ? PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr)
            : PEM_write_bio_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), passphrase.data(),
                                            static_cast<int>(passphrase.size()), nullptr, nullptr);
    BIO_free(out);
    REQUIRE(written == 1);
    out = BIO_new_file(files.public_pem.c_str(), "w");
    REQUIRE(out != nullptr);
    REQUIRE(PEM_write_bio_PUBKEY(out, key) == 1);
    BIO_free(out);
    EVP_PKEY_free(key);
    return files;
}

}  // namespace simtest
