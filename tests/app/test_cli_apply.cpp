// apply and undo-soft on the command line: what is decided before anything is sent to the
// account (usage, the plan and journal files, the safety guards, the lock, the metrics file). No
// server: the account is an origin where nothing listens, and every case here ends before a
// request. The runs against freshdesk-sim are tests/integration/test_apply_e2e*.cpp.
#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

using namespace clitest;

namespace {

const std::string unused_origin = "http://127.0.0.1:9";
const Env with_key{{"FRESHDESK_API_KEY", "test-key-never-shown"}};
const std::string sample_plan = std::string(GP_TEST_DATA_DIR) + "/plans/sample_v1.json";

std::string utc_timestamp(std::chrono::system_clock::time_point when) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm parts{};
    gmtime_r(&t, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The sample plan, made for `account` `age` ago, written to the scratch dir as `name`.
std::string plan_file(const std::string& name, const std::string& account,
                      std::chrono::seconds age) {
    std::string text = read_all(sample_plan);
    text = replaced(
        text, "\"generated_at\": \"2026-11-29T04:00:03Z\"",
        "\"generated_at\": \"" + utc_timestamp(std::chrono::system_clock::now() - age) + "\"");
    text = replaced(text, "\"account\": \"example.freshdesk.com\"",
                    "\"account\": \"" + account + "\"");
    const std::string path = (scratch_dir() / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string fresh_plan() {
    return plan_file("fresh.json", unused_origin, std::chrono::minutes(5));
}

std::vector<std::string> apply_args(const std::string& plan, std::vector<std::string> more) {
    std::vector<std::string> args{"apply", plan, "--base-url", unused_origin};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

std::string write_file(const std::string& name, const std::string& text) {
    const std::string path = (scratch_dir() / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

}  // namespace

TEST_CASE("apply and undo-soft are listed and have their own help", "[cli][apply]") {
    const std::string overview = run({"--help"}).out;
    CHECK_THAT(overview, Catch::Contains("\n  apply  "));
    CHECK_THAT(overview, Catch::Contains("\n  undo-soft  "));
    const Result apply = run({"apply", "--help"});
    CHECK(apply.exit_code == 0);
    CHECK(apply.err.empty());
    CHECK_THAT(apply.out, Catch::StartsWith("usage: gdpr-purge apply PLAN.json"));
    for (const char* option :
         {"--rules FILE", "--as-of TIME", "--journal FILE", "--max-deletions N", "(default: 500)",
          "--max-plan-age DUR", "(default: 24h)", "--yes", "--lock-file FILE", "--report FILE",
          "--metrics-file FILE", "--quiet", "-v [ --verbose ]", "--log-format FORMAT",
          "--base-url URL", "--concurrency N", "example:\n  gdpr-purge apply", "EXIT STATUS\n  0  ",
          "\n  6  another gdpr-purge run holds the lock"}) {
        CHECK_THAT(apply.out, Catch::Contains(option));
    }
    CHECK(run({"help", "apply"}).out == apply.out);
    const Result undo = run({"undo-soft", "-h"});
    CHECK(undo.exit_code == 0);
    CHECK_THAT(undo.out, Catch::StartsWith("usage: gdpr-purge undo-soft JOURNAL.jsonl"));
    CHECK_THAT(undo.out, Catch::Contains("--metrics-file FILE"));
}

TEST_CASE("apply: the command line is checked first", "[cli][apply]") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::string plan = fresh_plan();
    const std::string rules = data("usecase1_inactive_vip.json");
    for (const Case& c : {
             Case{{"apply", "--base-url", unused_origin},
                  "missing PLAN.json or --rules RULES.json"},
             Case{apply_args(plan, {"--rules", rules}),
                  "give PLAN.json or --rules RULES.json, "
                  "not both"},
             Case{apply_args(plan, {"--as-of", "2026-01-01"}), "option --as-of needs --rules"},
             Case{{"apply", "--rules", rules, "--as-of", "yesterday"}, "option --as-of must be"},
             Case{apply_args(plan, {"--max-deletions", "-1"}), "option --max-deletions must be 0"},
             Case{apply_args(plan, {"--max-deletions", "many"}),
                  "option --max-deletions has an invalid value"},
             Case{apply_args(plan, {"--max-plan-age", "24"}), "option --max-plan-age must be"},
             Case{apply_args(plan, {"--max-plan-age", "0h"}), "option --max-plan-age must be"},
             Case{apply_args(plan, {"--max", "3"}), "unknown option --max"},
             Case{apply_args(plan, {"extra"}), "too many arguments"},
         }) {
        INFO(c.message);
        const Result r = run(c.args, with_key);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge apply: " + c.message));
        CHECK(r.out.empty());
    }
    const Result no_key = run(apply_args(plan, {}));
    CHECK(no_key.exit_code == 2);
    CHECK_THAT(no_key.err, Catch::Contains("no API key"));
}

TEST_CASE("apply: an invalid plan is exit 3, an unknown format version exit 4", "[cli][apply]") {
    const std::string cut = write_file("cut.json", read_all(sample_plan).substr(0, 600));
    const Result r = run(apply_args(cut, {}), with_key);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge apply: " + cut + ": line "));
    const std::string missing = (scratch_dir() / "no-such-plan.json").string();
    const Result none = run(apply_args(missing, {}), with_key);
    CHECK(none.exit_code == 3);
    CHECK(none.err == "gdpr-purge apply: cannot read " + missing + ": No such file or directory\n");
    const std::string rules = data("usecase1_inactive_vip.json");
    const Result not_plan = run(apply_args(rules, {}), with_key);
    CHECK(not_plan.exit_code == 3);
    CHECK_THAT(not_plan.err,
               Catch::StartsWith("gdpr-purge apply: " + rules + ": not a gdpr-purge plan"));
    const std::string v2 = write_file(
        "v2.json",
        replaced(read_all(sample_plan), "\"format_version\": 1", "\"format_version\": 2"));
    const Result version = run(apply_args(v2, {}), with_key);
    CHECK(version.exit_code == 4);
    CHECK_THAT(version.err,
               Catch::StartsWith("gdpr-purge apply: " + v2 + ": plan format_version 2"));
}

TEST_CASE("apply: the safety guards refuse with exit 4 and say what to do", "[cli][apply]") {
    const std::string other =
        plan_file("other.json", "acme.freshdesk.com", std::chrono::minutes(5));
    const Result account = run(apply_args(other, {}), with_key);
    CHECK(account.exit_code == 4);
    CHECK(account.err ==
          "gdpr-purge apply: plan is for account acme.freshdesk.com, this run is "
          "configured for " +
              unused_origin + ": make a plan for " + unused_origin +
              ", or run apply against acme.freshdesk.com\n");

    const std::string old = plan_file("old.json", unused_origin, std::chrono::hours(25));
    const Result stale = run(apply_args(old, {}), with_key);
    CHECK(stale.exit_code == 4);
    CHECK_THAT(stale.err, Catch::Matches("gdpr-purge apply: plan generated at \\S+Z is older than "
                                         "24h: make a new plan, or raise --max-plan-age\n"));
    const Result older = run(apply_args(old, {"--max-plan-age", "1d"}), with_key);
    CHECK(older.exit_code == 4);
    CHECK_THAT(older.err, Catch::Contains("is older than 1d"));

    // The sample plan deletes 2 contacts and purges 1.
    const Result many =
        run(apply_args(old, {"--max-plan-age", "2d", "--max-deletions", "2"}), with_key);
    CHECK(many.exit_code == 4);
    CHECK(many.err ==
          "gdpr-purge apply: the plan deletes 3 contacts, more than --max-deletions 2: "
          "review it and raise --max-deletions\n");
    const Result json =
        run(apply_args(fresh_plan(), {"--max-deletions", "0", "--log-format", "json"}), with_key);
    CHECK(json.exit_code == 4);
    CHECK_THAT(json.err, Catch::Contains("\"event\":\"error\",\"message\":\"the plan deletes 3"));
}

TEST_CASE("apply: a run holding the lock stops a second at once with exit 6", "[cli][apply]") {
    const std::string lock = (scratch_dir() / "held.lock").string();
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    const Result r = run(apply_args(fresh_plan(), {"--lock-file", lock}), with_key);
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge apply: another gdpr-purge run holds the lock " +
                                        lock));
    const std::string journal = write_file("locked.journal.jsonl", "");
    const Result undo =
        run({"undo-soft", journal, "--base-url", unused_origin, "--lock-file", lock}, with_key);
    CHECK(undo.exit_code == 6);
    ::close(fd);
    // A refused plan never takes the lock: the guards come first.
    const Result refused =
        run(apply_args(fresh_plan(), {"--lock-file", lock, "--max-deletions", "0"}), with_key);
    CHECK(refused.exit_code == 4);
}

TEST_CASE("apply: the metrics file is written when a guard refuses, the report is not",
          "[cli][apply]") {
    const std::string metrics = (scratch_dir() / "refused.prom").string();
    const std::string report = (scratch_dir() / "refused-report.json").string();
    write_file("refused.prom",
               "gdpr_purge_last_success_timestamp_seconds{account=\"x\",command=\"apply\"} 1234\n");
    const Result r = run(apply_args(fresh_plan(), {"--max-deletions", "0", "--metrics-file",
                                                   metrics, "--report", report}),
                         with_key);
    CHECK(r.exit_code == 4);
    const std::string text = read_all(metrics);
    const std::string labels = "{account=\"" + unused_origin + "\",command=\"apply\"}";
    CHECK_THAT(text, Catch::Contains("\ngdpr_purge_contacts_deleted" + labels + " 0\n"));
    CHECK_THAT(text, Catch::Contains("\ngdpr_purge_contacts_protected" + labels + " 0\n"));
    CHECK_THAT(text, Catch::Contains("\ngdpr_purge_last_run_success" + labels + " 0\n"));
    CHECK_THAT(text,
               Catch::EndsWith("\ngdpr_purge_last_success_timestamp_seconds" + labels + " 1234\n"));
    CHECK_FALSE(fs::exists(report));
    for (const auto& entry : fs::directory_iterator(scratch_dir())) {
        CHECK_THAT(entry.path().filename().string(), !Catch::Contains(".tmp-"));
    }
}

TEST_CASE("undo-soft: the journal is checked before anything is sent", "[cli][undo-soft]") {
    const Result none = run({"undo-soft", "--base-url", unused_origin}, with_key);
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.err, Catch::StartsWith("gdpr-purge undo-soft: missing the JOURNAL.jsonl"));
    const std::string missing = (scratch_dir() / "no-such.jsonl").string();
    const Result absent = run({"undo-soft", missing, "--base-url", unused_origin}, with_key);
    CHECK(absent.exit_code == 3);
    CHECK_THAT(absent.err, Catch::Contains(missing));
    const std::string bad = write_file("bad.jsonl", "{\"ts\":1}\nnot json\n");
    const Result invalid = run({"undo-soft", bad, "--base-url", unused_origin}, with_key);
    CHECK(invalid.exit_code == 3);
    CHECK_THAT(invalid.err, Catch::StartsWith("gdpr-purge undo-soft: " + bad + ":"));
}

TEST_CASE("undo-soft: a journal of another account is refused with exit 4", "[cli][undo-soft]") {
    const std::string sha(64, 'a');
    const std::string line =
        "{\"ts\":\"2026-11-29T04:10:01Z\",\"run\":\"0123456789abcdef0123456789abcdef\","
        "\"account\":\"acme.freshdesk.com\",\"plan_sha256\":\"" +
        sha +
        "\","
        "\"contact_id\":1001,\"step\":1,\"action\":\"delete_contact\",\"mode\":\"soft\","
        "\"outcome\":\"done\"}\n";
    const std::string journal = write_file("acme.journal.jsonl", line);
    const Result r = run({"undo-soft", journal, "--base-url", unused_origin}, with_key);
    CHECK(r.exit_code == 4);
    CHECK(r.err == "gdpr-purge undo-soft: journal " + journal +
                       " is for account "
                       "acme.freshdesk.com, this run is configured for " +
                       unused_origin + ": run undo-soft against acme.freshdesk.com\n");
}

// cli.md "Output, logs, progress": under cron (standard error not a terminal, as here) a run that
// succeeds prints nothing, so that cron mails only failures; -v gives the summary as one line.
// An empty plan and an empty journal succeed without a request.
TEST_CASE("apply and undo-soft off a terminal: nothing on success, one summary line with -v",
          "[cli][apply][undo-soft][log]") {
    const std::string text =
        read_all(plan_file("empty.json", unused_origin, std::chrono::hours(1)));
    const auto entries = text.find("\"entries\": [");
    const auto after = text.find("\n  ],", entries);
    REQUIRE(after != std::string::npos);
    const std::string plan = write_file(
        "empty.json", text.substr(0, entries) + "\"entries\": [" + text.substr(after + 3));
    const std::string journal = write_file("empty.journal.jsonl", "");
    const std::string lock = (scratch_dir() / "quiet.lock").string();
    struct Case {
        std::vector<std::string> args;
        std::string summary;  // what the one line of -v says
    };
    for (const Case& c : {
             Case{apply_args(plan, {"--lock-file", lock}),
                  ": 0 entries: 0 done, 0 skipped, 0 failed, in "},
             Case{{"undo-soft", journal, "--base-url", unused_origin, "--lock-file", lock},
                  ": restored 0 contacts and 0 tickets, 0 not restorable, 0 lost, 0 steps failed, "
                  "in "},
         }) {
        INFO(c.args[0]);
        std::vector<std::string> args = c.args;
        const Result silent = run(args, with_key);
        CHECK(silent.exit_code == 0);
        CHECK(silent.err.empty());
        CHECK(silent.out.empty());

        args.push_back("-v");
        const Result verbose = run(args, with_key);
        CHECK(verbose.exit_code == 0);
        CHECK(std::count(verbose.err.begin(), verbose.err.end(), '\n') == 1);
        CHECK_THAT(verbose.err,
                   Catch::StartsWith("gdpr-purge " + c.args[0] + ": " + unused_origin + c.summary));
        CHECK_THAT(verbose.err, Catch::EndsWith(" s (0 API calls, 0 credits, 0 rate-limited)\n"));

        args.push_back("--quiet");
        CHECK(run(args, with_key).err.empty());
        args.back() = "--log-format=json";  // JSON: the summary event, with -v or without
        CHECK_THAT(run(args, with_key).err, Catch::Contains("\"event\":\"summary\""));
        args.erase(args.end() - 2);
        CHECK_THAT(run(args, with_key).err, Catch::Contains("\"event\":\"summary\""));
    }
    // A guard's refusal is an error: it comes out off a terminal too, without -v.
    const Result refused = run(apply_args(fresh_plan(), {"--max-deletions", "0"}), with_key);
    CHECK(refused.exit_code == 4);
    CHECK_THAT(refused.err, Catch::StartsWith("gdpr-purge apply: the plan deletes 3 contacts"));
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
}

TEST_CASE("apply: a what-if plan or a plan from the future is refused with exit 4",
          "[cli][apply]") {
    const auto now = std::chrono::system_clock::now();
    std::string text = read_all(plan_file("ahead.json", unused_origin, std::chrono::minutes(5)));
    text = replaced(text, "\"as_of\": \"2026-11-29T04:00:00Z\"",
                    "\"as_of\": \"" + utc_timestamp(now + std::chrono::hours(48)) + "\"");
    const Result what_if = run(apply_args(write_file("what-if.json", text), {}), with_key);
    CHECK(what_if.exit_code == 4);
    CHECK_THAT(what_if.err, Catch::Contains("a what-if plan deletes what is not due yet") &&
                                Catch::Contains("make a plan as of now"));

    const std::string future = plan_file("future.json", unused_origin, -std::chrono::hours(2));
    const Result ahead = run(apply_args(future, {}), with_key);
    CHECK(ahead.exit_code == 4);
    CHECK_THAT(ahead.err, Catch::Contains("later than now: check this machine's clock"));

    // The same plan made an hour ago as of now passes these guards (and then fails to connect).
    const Result fine = run(apply_args(fresh_plan(), {"--timeout", "2"}), with_key);
    CHECK(fine.exit_code == 5);
}
