// Every command's help (docs/cli.md): `gdpr-purge help <command>` prints exactly what
// `<command> --help` prints, and each help lists its options with their defaults (or says they
// are required), an example and the exit status.
#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace clitest;

namespace {

const std::vector<std::string> commands{"validate-rules", "explain", "plan",  "apply",
                                        "undo-soft",      "review",  "verify"};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// The options sections (from "options:" to "example:"), one entry per option: its "  -..." line
// and the lines its description wraps to, joined.
std::vector<std::string> option_entries(const std::string& help) {
    const auto begin = help.find("\noptions:\n");
    const auto end = help.find("\nexample:\n");
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    std::vector<std::string> entries;
    for (const std::string& line : lines_of(help.substr(begin, end - begin))) {
        if (line.starts_with("  -")) {
            entries.push_back(line);
        } else if (line.starts_with("   ") && !entries.empty()) {
            entries.back() += " " + line.substr(line.find_first_not_of(' '));
        } else if (!line.empty() && !line.ends_with(":")) {
            FAIL(
                "a line of the options sections that is neither an option nor a caption: " << line);
        }
    }
    return entries;
}

}  // namespace

TEST_CASE("help <command> equals <command> --help, byte for byte, for every command",
          "[cli][help]") {
    for (const std::string& command : commands) {
        INFO("command " << command);
        const Result help = run({"help", command});
        const Result flag = run({command, "--help"});
        CHECK(help.exit_code == 0);
        CHECK(flag.exit_code == 0);
        CHECK(help.err.empty());
        CHECK(flag.err.empty());
        CHECK(help.out == flag.out);
    }
}

TEST_CASE("every command's help: options with defaults, an example, the exit status",
          "[cli][help]") {
    for (const std::string& command : commands) {
        INFO("command " << command);
        const std::string help = run({command, "--help"}).out;
        CHECK_THAT(help, Catch::StartsWith("usage: gdpr-purge " + command + " "));
        CHECK_THAT(help, Catch::Contains("\nexample:\n  gdpr-purge " + command + " "));
        const auto exit_status = help.find("\nEXIT STATUS\n");
        REQUIRE(exit_status != std::string::npos);
        CHECK_THAT(help.substr(exit_status), Catch::Contains("\n  0  "));
        CHECK_THAT(help.substr(exit_status), Catch::Contains("\n  2  "));
        const std::vector<std::string> options = option_entries(help);
        CHECK(options.size() >= 3);
        for (const std::string& option : options) {
            INFO("option " << option);
            const std::string description = option.substr(option.find("  ", 2));
            CHECK((description.find("default") != std::string::npos ||
                   description.find("required") != std::string::npos));
        }
    }
}

TEST_CASE("gdpr-purge --help lists every command", "[cli][help]") {
    const Result r = run({"--help"});
    CHECK(r.exit_code == 0);
    for (const std::string& command : commands) {
        CHECK_THAT(r.out, Catch::Contains("\n  " + command + "  "));
    }
    CHECK(run({"help"}).out == r.out);
}
