// Running the binary for the CLI tests (cli_run.hpp).
#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>

extern char** environ;

namespace clitest {

namespace {

// Output goes to files, not pipes: no deadlock whatever the child writes.
struct ScratchDir {
    fs::path path = fs::temp_directory_path() / ("gp-test-cli-" + std::to_string(getpid()));
    ScratchDir() { fs::create_directories(path); }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

// The test's environment without FRESHDESK_* (the results must not depend on the caller's
// shell), plus `extra`.
std::vector<std::string> child_environment(const Env& extra) {
    std::vector<std::string> env;
    for (char** item = environ; *item != nullptr; ++item) {
        const std::string_view entry(*item);
        if (!entry.starts_with("FRESHDESK_") && !entry.starts_with("XDG_STATE_HOME=")) {
            env.emplace_back(*item);
        }
    }
    // The archive index's state directory: never the user's home (docs/reading.md).
    if (std::none_of(extra.begin(), extra.end(),
                     [](const auto& item) { return item.first == "XDG_STATE_HOME"; })) {
        env.push_back("XDG_STATE_HOME=" + (scratch_dir() / "state").string());
    }
    for (const auto& [name, value] : extra) {
        env.push_back(name + "=" + value);
    }
    return env;
}

}  // namespace

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const fs::path& scratch_dir() {
    static const ScratchDir dir;
    return dir.path;
}

Result run(const std::vector<std::string>& args, const Env& extra_env) {
    const fs::path out = scratch_dir() / "out";
    const fs::path err = scratch_dir() / "err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> storage{GP_CLI_PATH};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : storage) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_storage = child_environment(extra_env);
    std::vector<char*> envp;
    for (auto& item : env_storage) {
        envp.push_back(item.data());
    }
    envp.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, GP_CLI_PATH, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    Result result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_all(out);
    result.err = read_all(err);
    return result;
}

std::string data(const std::string& name) {
    return std::string(GP_TEST_DATA_DIR) + "/rules/" + name;
}

}  // namespace clitest
