// Runs the built gdpr-purge binary as a user (or a cron job) would, and checks what it prints
// and the exit codes of spec/cli.md.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Result {
    int exit_code = -1;  // -1: killed by a signal
    std::string out;
    std::string err;
};

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Output goes to files, not pipes: no deadlock whatever the child writes.
struct ScratchDir {
    fs::path path = fs::temp_directory_path() / ("gp-test-cli-" + std::to_string(getpid()));
    ScratchDir() { fs::create_directories(path); }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

const fs::path& scratch_dir() {
    static const ScratchDir dir;
    return dir.path;
}

Result run(const std::vector<std::string>& args) {
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
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, GP_CLI_PATH, &actions, nullptr, argv.data(), environ);
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

const std::string example = std::string(GP_SOURCE_DIR) + "/rules.example.json";

}  // namespace

TEST_CASE("the --version option prints the version", "[cli]") {
    const Result r = run({"--version"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "gdpr-purge 0.1.0\n");
    CHECK(r.err.empty());
}

TEST_CASE("the --help option lists the commands and exit codes on stdout", "[cli]") {
    for (const char* flag : {"--help", "-h"}) {
        const Result r = run({flag});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("validate-rules  check a rules file offline"));
        CHECK_THAT(r.out, Catch::Contains("EXIT STATUS"));
        CHECK(r.err.empty());
    }
    CHECK(run({"help"}).out == run({"--help"}).out);
}

TEST_CASE("no command is a usage error", "[cli]") {
    const Result r = run({});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "gdpr-purge: no command given: run 'gdpr-purge --help' for the list of "
          "commands\n");
}

TEST_CASE("a valid rules file: ok and exit 0", "[cli]") {
    const Result r = run({"validate-rules", example});
    CHECK(r.exit_code == 0);
    CHECK(r.out == example + ": ok (4 rules)\n");
    CHECK(r.err.empty());
    const std::string usecase = data("usecase3_old_incidents.json");
    CHECK(run({"validate-rules", usecase}).out == usecase + ": ok (1 rules)\n");
}

TEST_CASE("an invalid rules file: every problem on stderr, exit 3", "[cli]") {
    const std::string file = data("invalid/many_problems.json");
    const Result r = run({"validate-rules", file});
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith(file + ": version: 2 is not supported"));
    CHECK_THAT(r.err, Catch::Contains("\n" + file +
                                      ": ticket_rules[2].older_than: \"5y\" is longer than 4y "
                                      "(1460d)\n"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 8);
}

TEST_CASE("syntax and duplicate-key errors show line and column", "[cli]") {
    const std::string duplicate = data("invalid/duplicate_key.json");
    const Result d = run({"validate-rules", duplicate});
    CHECK(d.exit_code == 3);
    CHECK(d.err == duplicate +
                       ": ticket_rules[1].older_than: line 15, column 7: duplicate key "
                       "\"older_than\"\n");
    const std::string syntax = data("invalid/syntax_error.json");
    const Result s = run({"validate-rules", syntax});
    CHECK(s.exit_code == 3);
    CHECK_THAT(s.err, Catch::StartsWith(syntax + ": line 7, column 7: syntax error"));
}

TEST_CASE("an unreadable rules file: exit 3 with the reason", "[cli]") {
    const std::string missing = data("no-such-file.json");
    const Result r = run({"validate-rules", missing});
    CHECK(r.exit_code == 3);
    CHECK(r.err == missing + ": cannot read the file: No such file or directory\n");
}

TEST_CASE("a missing or extra argument is a usage error", "[cli]") {
    const Result none = run({"validate-rules"});
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.err, Catch::StartsWith("gdpr-purge validate-rules: missing the RULES.json"));
    const Result two = run({"validate-rules", example, example});
    CHECK(two.exit_code == 2);
    CHECK_THAT(two.err, Catch::Contains("too many arguments"));
    CHECK(two.out.empty());
}

TEST_CASE("a mistyped command gets a suggestion", "[cli]") {
    const Result r = run({"validate-rule", example});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "gdpr-purge: unknown command \"validate-rule\": did you mean validate-rules?\n");
    CHECK_THAT(run({"validate", example}).err, Catch::Contains("did you mean validate-rules?"));
    CHECK_THAT(run({"help", "valdate-rules"}).err, Catch::Contains("did you mean validate-rules?"));
    const Result far = run({"purge-everything"});
    CHECK(far.exit_code == 2);
    CHECK_THAT(far.err, !Catch::Contains("did you mean"));
}

TEST_CASE("options are never abbreviated", "[cli]") {
    const Result r = run({"validate-rules", "--hel", example});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("unknown option --hel:"));
    CHECK(run({"--vers"}).exit_code == 2);
}

TEST_CASE("an unknown option is named, its value never printed", "[cli]") {
    const std::string secret = "s3cr3t-KEY-value";
    struct Case {
        std::vector<std::string> args;
        std::string named;
    };
    for (const Case& c :
         {Case{{"validate-rules", "--api-key=" + secret, example}, "unknown option --api-key:"},
          Case{{"validate-rules", "-k" + secret, example}, "unknown option -k:"},
          Case{{"validate-rules", "--help=" + secret}, "option --help takes no value:"},
          Case{{"--api-key=" + secret, "validate-rules", example}, "unknown option --api-key:"}}) {
        const Result r = run(c.args);
        INFO(c.named);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(secret) == std::string::npos);
        CHECK(r.out.find(secret) == std::string::npos);
        CHECK_THAT(r.err, Catch::Contains(c.named));
    }
    CHECK(run({"validate-rules", "--api-key=x", example}).err ==
          "gdpr-purge validate-rules: unknown option --api-key: run 'gdpr-purge validate-rules "
          "--help' for its usage\n");
}

TEST_CASE("help <command> is <command> --help", "[cli]") {
    const Result help = run({"help", "validate-rules"});
    const Result flag = run({"validate-rules", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(flag.exit_code == 0);
    CHECK(help.out == flag.out);
    CHECK(help.err.empty());
    CHECK_THAT(flag.out, Catch::StartsWith("usage: gdpr-purge validate-rules RULES.json\n"));
    CHECK_THAT(flag.out, Catch::Contains("-h [ --help ]"));
    CHECK_THAT(flag.out, Catch::Contains("example:\n  gdpr-purge validate-rules"));
    CHECK_THAT(flag.out, Catch::Contains("EXIT STATUS\n  0  the file is valid"));
    CHECK(run({"validate-rules", "-h"}).out == flag.out);
}
