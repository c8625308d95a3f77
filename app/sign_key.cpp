#include "sign_key.hpp"

namespace gp::cli {

void add_sign_key_option(po::options_description& options) {
    options.add_options()("sign-key", po::value<std::string>()->value_name("FILE"),
                          "end the run's journal with a signature line made with this PEM "
                          "Ed25519 private key (default: none: not signed)");
}

SignKey read_sign_key(std::string_view command, const po::variables_map& values) {
    const std::string path = given(values, "sign-key");
    if (path.empty()) {
        return nullptr;
    }
    try {
        return std::make_shared<const Ed25519PrivateKey>(Ed25519PrivateKey::load(path));
    } catch (const SigningKeyError& error) {
        // Before the run begins: nothing is sent, no file is written.
        throw CliError(ExitCode::invalid_input, "option --sign-key: " + std::string(error.what()),
                       "gdpr-purge " + std::string(command) + " did nothing");
    }
}

void sign_journal(executor::Journal& journal, const SignKey& key, Signing signing) {
    if (!key) {
        return;
    }
    if (signing == Signing::normal) {
        journal.sign(*key);
        return;
    }
    try {
        journal.sign(*key);
    } catch (const std::exception&) {
        // The error that stops the run is the one to report.
    }
}

}  // namespace gp::cli
