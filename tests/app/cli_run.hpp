#pragma once
// Running the built gdpr-purge binary in the CLI tests: its exit code and what it printed, with
// standard input /dev/null (not a terminal, as under cron) and no FRESHDESK_* from the caller.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace clitest {

namespace fs = std::filesystem;

struct Result {
    int exit_code = -1;  // -1: killed by a signal
    std::string out;
    std::string err;
};

using Env = std::vector<std::pair<std::string, std::string>>;

// Runs gdpr-purge with `args`, the test's environment without FRESHDESK_* plus `extra_env`.
Result run(const std::vector<std::string>& args, const Env& extra_env = {});

// A directory of this test process, removed at its end.
const fs::path& scratch_dir();

std::string read_all(const fs::path& path);

// A rules file of tests/data/rules.
std::string data(const std::string& name);

}  // namespace clitest
