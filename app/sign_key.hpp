#pragma once
// --sign-key FILE (apply, undo-soft): the Ed25519 private key that signs the run's journal
// (docs/apply.md, "The signature line"). Loaded and checked while the command line is read, before
// the run touches anything; its bytes are never printed, logged or written.
#include "executor/journal.hpp"
#include "options.hpp"
#include "util/ed25519.hpp"

#include <memory>
#include <string_view>

namespace gp::cli {

using SignKey = std::shared_ptr<const Ed25519PrivateKey>;

void add_sign_key_option(po::options_description& options);

// The key of --sign-key, or null when it is not given. Throws CliError (invalid_input) for a file
// that cannot be read or is no unencrypted PEM Ed25519 private key.
SignKey read_sign_key(std::string_view command, const po::variables_map& values);

// Whether the run ends as it should, or an error stops it (main() reports that error).
enum class Signing { normal, stopping };

// Ends `journal` with its signature line (Journal::sign: only when this run wrote to it) when a
// key is given. When stopping, a journal that cannot be written is ignored here; otherwise
// JournalWriteError.
void sign_journal(executor::Journal& journal, const SignKey& key,
                  Signing signing = Signing::normal);

}  // namespace gp::cli
