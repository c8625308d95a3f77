#pragma once
// Ed25519 keys for signing the journal (docs/apply.md, "The journal": the signature line) and for
// checking its signatures (gdpr-purge verify). Keys come from PEM files as `openssl genpkey
// -algorithm ed25519` and `openssl pkey -pubout` write them. OpenSSL stays inside ed25519.cpp.
//
// The private key is a secret: its file's bytes are wiped from memory once read, and no message
// of this module quotes them (errors name the file and what is wrong, never its content).
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gp {

// A key file that cannot be read or is not the key asked for: "<path>: <what>".
class SigningKeyError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// An Ed25519 private key (PEM "PRIVATE KEY", unencrypted: a run from cron cannot type a
// passphrase, and an encrypted file is refused rather than asked about on a terminal).
class Ed25519PrivateKey {
  public:
    // Throws SigningKeyError.
    static Ed25519PrivateKey load(const std::string& path);
    ~Ed25519PrivateKey();
    Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept;
    Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept;

    // The key id: lower-case hex SHA-256 of the raw 32-byte public key.
    const std::string& key_id() const { return key_id_; }
    // The 64-byte signature of `message`, as 128 lower-case hex digits.
    std::string sign_hex(std::string_view message) const;

  private:
    struct Impl;
    explicit Ed25519PrivateKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    std::string key_id_;
};

// An Ed25519 public key (PEM "PUBLIC KEY").
class Ed25519PublicKey {
  public:
    // Throws SigningKeyError.
    static Ed25519PublicKey load(const std::string& path);
    ~Ed25519PublicKey();
    Ed25519PublicKey(Ed25519PublicKey&&) noexcept;
    Ed25519PublicKey& operator=(Ed25519PublicKey&&) noexcept;

    const std::string& key_id() const { return key_id_; }
    // Whether `signature_hex` (128 hex digits) is this key's signature of `message`.
    bool verify_hex(std::string_view message, std::string_view signature_hex) const;

  private:
    struct Impl;
    explicit Ed25519PublicKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    std::string key_id_;
};

}  // namespace gp
