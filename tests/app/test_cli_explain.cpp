// gdpr-purge explain: the schedule on standard output or in --out FILE (whole or not at all),
// the exit codes 0, 2 and 3.
#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

using namespace clitest;

namespace {

const std::string example = std::string(GP_SOURCE_DIR) + "/rules.example.json";

// The names in a directory, sorted.
std::vector<std::string> names_in(const fs::path& directory) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = scratch_dir() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("explain: Markdown in English on standard output by default, exit 0", "[cli][explain]") {
    const Result r = run({"explain", example});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Catch::StartsWith("# Retention schedule of the Freshdesk help desk\n"));
    CHECK_THAT(r.out, Catch::Contains("\n### Rule 4: “stale-support-requests”\n"));
    CHECK_THAT(r.out, Catch::Contains("“ceo@example.com” or “dpo@example.com”"));
    CHECK(run({"explain", example, "--format", "md", "--lang", "en"}).out == r.out);
    CHECK(run({"explain", example, "--out", "-"}).out == r.out);
}

TEST_CASE("explain: --format html --lang fr is one French page", "[cli][explain]") {
    const Result r = run({"explain", example, "--format", "html", "--lang", "fr"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"fr\">\n"));
    CHECK_THAT(r.out, Catch::Contains("<h3>Règle 1 : « escalation-questions »</h3>"));
    CHECK_THAT(r.out, !Catch::Contains("<script"));
}

TEST_CASE("explain: --out FILE is written whole, and nothing else is left", "[cli][explain]") {
    const fs::path dir = fresh_dir("explain-out");
    const fs::path file = dir / "schedule.md";
    {
        std::ofstream old(file);
        old << "an older schedule\n";
    }
    const Result r = run({"explain", example, "--lang", "fr", "--out", file.string()});
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    CHECK(read_all(file) == run({"explain", example, "--lang", "fr"}).out);
    CHECK(names_in(dir) == std::vector<std::string>{"schedule.md"});
}

TEST_CASE(
    "explain: an invalid rules file is reported as validate-rules does, exit 3, nothing "
    "written",
    "[cli][explain]") {
    const std::string invalid = data("invalid/many_problems.json");
    const Result expected = run({"validate-rules", invalid});
    REQUIRE(expected.exit_code == 3);
    const fs::path dir = fresh_dir("explain-invalid");
    const fs::path file = dir / "schedule.md";
    const Result r = run({"explain", invalid, "--out", file.string()});
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK(r.err == expected.err);
    CHECK(names_in(dir).empty());
    // An existing file is left as it was.
    {
        std::ofstream old(file);
        old << "kept\n";
    }
    CHECK(run({"explain", invalid, "--out", file.string()}).exit_code == 3);
    CHECK(read_all(file) == "kept\n");
    CHECK(names_in(dir) == std::vector<std::string>{"schedule.md"});
    const Result missing = run({"explain", data("no-such-file.json")});
    CHECK(missing.exit_code == 3);
    CHECK_THAT(missing.err, Catch::Contains("cannot read the file"));
}

TEST_CASE("explain: an unknown --format or --lang is a usage error, exit 2", "[cli][explain]") {
    const Result format = run({"explain", example, "--format", "pdf"});
    CHECK(format.exit_code == 2);
    CHECK(format.out.empty());
    CHECK(format.err ==
          "gdpr-purge explain: option --format must be md or html: run 'gdpr-purge explain "
          "--help' for its usage\n");
    const Result lang = run({"explain", example, "--lang", "de"});
    CHECK(lang.exit_code == 2);
    CHECK(lang.out.empty());
    CHECK(lang.err ==
          "gdpr-purge explain: option --lang must be en or fr: run 'gdpr-purge explain --help' "
          "for its usage\n");
}

TEST_CASE("explain: a missing argument or an --out that cannot be created, exit 2",
          "[cli][explain]") {
    const Result none = run({"explain"});
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.err, Catch::StartsWith("gdpr-purge explain: missing the RULES.json"));
    const Result two = run({"explain", example, example});
    CHECK(two.exit_code == 2);
    const fs::path nowhere = scratch_dir() / "no-such-dir" / "schedule.md";
    const Result out = run({"explain", example, "--out", nowhere.string()});
    CHECK(out.exit_code == 2);
    CHECK(out.out.empty());
    CHECK_THAT(out.err, Catch::StartsWith("gdpr-purge explain: cannot write " + nowhere.string()));
    CHECK_FALSE(fs::exists(nowhere.parent_path()));
}
