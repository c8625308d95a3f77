// gdpr-purge review on the command line: the page of a plan (and of its journals) on standard
// output or in --out FILE, the exit codes 0, 2 and 3, nothing written on bad input. Also
// `plan --forecast`'s usage errors, which are found before any request. No server.
#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

using namespace clitest;

namespace {

// A valid plan (format_version 1, account example.freshdesk.com): tickets_to_delete 5,
// contacts_to_delete 3, contacts_to_mark 1, soft_deleted_to_purge 1, 6 entries; entry 1001 has
// the steps 0 delete_tickets [501, 502, 503] and 1 delete_contact (hard).
const std::string sample_plan = std::string(GP_TEST_DATA_DIR) + "/plans/sample_v1.json";

const std::string unused_origin = "http://127.0.0.1:9";
const Env with_key{{"FRESHDESK_API_KEY", "test-key-never-shown"}};

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = scratch_dir() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

// `data-count="NAME">VALUE<` as the page writes a count.
std::string count(const std::string& name, const std::string& value) {
    return "data-count=\"" + name + "\">" + value + "<";
}

// One journal line of apply: step 0 of entry 1001 of the plan whose SHA-256 is `plan_sha256`,
// done.
std::string journal_line(const std::string& plan_sha256) {
    return "{\"ts\":\"2026-11-29T04:10:01Z\",\"run\":\"0123456789abcdef0123456789abcdef\","
           "\"account\":\"example.freshdesk.com\",\"plan_sha256\":\"" +
           plan_sha256 +
           "\",\"contact_id\":1001,\"step\":0,\"action\":\"delete_tickets\","
           "\"ticket_ids\":[501,502,503],\"outcome\":\"done\"}\n";
}

// The plan's SHA-256 as the page states it ("(SHA-256 <code>...</code>)", the first one).
std::string page_plan_sha256(const std::string& page) {
    const std::string before = "SHA-256 <code>";
    const auto at = page.find(before);
    REQUIRE(at != std::string::npos);
    const std::string sha = page.substr(at + before.size(), 64);
    REQUIRE(sha.find_first_not_of("0123456789abcdef") == std::string::npos);
    REQUIRE(page.compare(at + before.size() + 64, 7, "</code>") == 0);
    return sha;
}

// The page without the time it was made ("This page was made 2026-12-06T16:47:38Z").
std::string without_time_made(std::string page) {
    const std::string made = "This page was made ";
    const auto at = page.find(made);
    REQUIRE(at != std::string::npos);
    return page.erase(at + made.size(), std::string("2026-12-06T16:47:38Z").size());
}

// `text` with the first `from` replaced by `to` (which must be there).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The review of `args` fails with exit 3, an error naming `names`, and writes no --out file.
void check_refused(const std::vector<std::string>& args, const std::string& names) {
    const fs::path dir = fresh_dir("review-refused");
    const fs::path page = dir / "review.html";
    std::vector<std::string> with_out = args;
    with_out.insert(with_out.end(), {"--out", page.string()});
    const Result r = run(with_out);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge review: "));
    CHECK_THAT(r.err, Catch::Contains(names));
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(page));
    CHECK(fs::is_empty(dir));  // no temporary file left either
}

}  // namespace

TEST_CASE("review: a valid plan is written to --out with its counts, exit 0", "[cli][review]") {
    const fs::path dir = fresh_dir("review-valid");
    const fs::path page = dir / "review.html";
    const Result r = run({"review", sample_plan, "--out", page.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    const std::string html = read_all(page);
    CHECK_THAT(html, Catch::StartsWith("<!doctype html>"));
    CHECK_THAT(html, Catch::EndsWith("</html>\n"));
    CHECK_THAT(html, Catch::Contains(count("tickets_to_delete", "5")));
    CHECK_THAT(html, Catch::Contains(count("contacts_to_delete", "3")));
    CHECK_THAT(html, Catch::Contains(count("contacts_to_mark", "1")));
    CHECK_THAT(html, Catch::Contains(count("soft_deleted_to_purge", "1")));
    CHECK_THAT(html, Catch::Contains(count("entries", "6")));
    // A plan without a forecast section shows none.
    CHECK_THAT(html, !Catch::Contains("data-count=\"forecast_tickets\""));
    // No journal given: no journal counts.
    CHECK_THAT(html, !Catch::Contains("data-count=\"journal_"));
}

TEST_CASE("review: --out - and no --out write the page to standard output", "[cli][review]") {
    const fs::path dir = fresh_dir("review-stdout");
    const Result dash = run({"review", sample_plan, "--out", "-"});
    CHECK(dash.exit_code == 0);
    CHECK(dash.err.empty());
    CHECK_THAT(dash.out, Catch::StartsWith("<!doctype html>"));
    CHECK_THAT(dash.out, Catch::Contains(count("tickets_to_delete", "5")));
    CHECK_FALSE(fs::exists("-"));
    const Result none = run({"review", sample_plan});
    CHECK(none.exit_code == 0);
    CHECK_THAT(none.out, Catch::StartsWith("<!doctype html>"));
    CHECK_THAT(none.out, Catch::Contains(count("tickets_to_delete", "5")));
    // The same page as --out FILE writes, but for the time it was made.
    const fs::path page = dir / "review.html";
    REQUIRE(run({"review", sample_plan, "--out", page.string()}).exit_code == 0);
    CHECK(without_time_made(dash.out) == without_time_made(read_all(page)));
}

TEST_CASE("review: a journal of the plan is shown", "[cli][review]") {
    const std::string sha = page_plan_sha256(run({"review", sample_plan}).out);
    const fs::path dir = fresh_dir("review-journal");
    const std::string journal = write_file(dir / "plan.journal.jsonl", journal_line(sha));
    const fs::path page = dir / "review.html";
    const Result r = run({"review", sample_plan, "--journal", journal, "--out", page.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    const std::string html = read_all(page);
    // Entry 1001: step 0 of 2 done; the 5 other entries not run.
    CHECK_THAT(html, Catch::Contains(count("journal_partly_done", "1")));
    CHECK_THAT(html, Catch::Contains(count("journal_not_run", "5")));
    CHECK_THAT(html, Catch::Contains(count("journal_done", "0")));
    CHECK_THAT(html, Catch::Contains(count("tickets_to_delete", "5")));
}

TEST_CASE("review: a file that is not a plan is exit 3 naming it, nothing written",
          "[cli][review]") {
    const fs::path dir = fresh_dir("review-inputs");
    const std::string plan_text = read_all(sample_plan);
    REQUIRE(plan_text.size() > 1500);
    struct Case {
        std::string what;
        std::string path;
    };
    for (const Case& c : {
             Case{"a rules file", data("usecase1_inactive_vip.json")},
             Case{"a missing file", (dir / "no-such-plan.json").string()},
             Case{"a plan cut short", write_file(dir / "cut.json", plan_text.substr(0, 1500))},
             Case{"broken JSON",
                  write_file(dir / "broken.json", replaced(plan_text, "\"tickets_read\": 5400,",
                                                           "\"tickets_read\": 5400,,"))},
             Case{"an empty file", write_file(dir / "empty.json", "")},
         }) {
        INFO(c.what);
        check_refused({"review", c.path}, c.path);
    }
}

TEST_CASE("review: a journal of another plan is exit 3 naming the journal and line 1",
          "[cli][review]") {
    const fs::path dir = fresh_dir("review-other");
    const std::string journal =
        write_file(dir / "other.journal.jsonl", journal_line(std::string(64, 'a')));
    check_refused({"review", sample_plan, "--journal", journal},
                  journal + ":1: a journal of another plan");
    // Also when a journal of this plan comes first.
    const std::string sha = page_plan_sha256(run({"review", sample_plan}).out);
    const std::string ours = write_file(dir / "ours.journal.jsonl", journal_line(sha));
    check_refused({"review", sample_plan, "--journal", ours, "--journal", journal},
                  journal + ":1: a journal of another plan");
}

TEST_CASE("review: an undo-soft journal of no journal given is exit 3 and says which to give",
          "[cli][review]") {
    const fs::path dir = fresh_dir("review-undo");
    std::string line = journal_line(std::string(64, 'b'));
    line.replace(line.find("plan_sha256"), 11, "journal_sha256");
    const std::string undo = write_file(dir / "j.undo.jsonl", line);
    check_refused({"review", sample_plan, "--journal", undo},
                  undo + ":1: an undo-soft journal of no journal given here");
}

TEST_CASE("review: a malformed journal line is exit 3 naming the journal and the line",
          "[cli][review]") {
    const fs::path dir = fresh_dir("review-malformed");
    const std::string sha = page_plan_sha256(run({"review", sample_plan}).out);
    const std::string journal =
        write_file(dir / "plan.journal.jsonl", journal_line(sha) + "{\"ts\":\"not a time\"}\n");
    check_refused({"review", sample_plan, "--journal", journal}, journal + ":2: ");
    const std::string not_json =
        write_file(dir / "garbage.jsonl", journal_line(sha) + "not json at all\n");
    check_refused({"review", sample_plan, "--journal", not_json}, not_json + ":2: ");
    const std::string missing = (dir / "no-such.jsonl").string();
    check_refused({"review", sample_plan, "--journal", missing}, missing);
}

TEST_CASE("review: --out is opened only after the input is read", "[cli][review]") {
    const fs::path dir = fresh_dir("review-order");
    // A directory cannot be the page: exit 2, but only once the plan has been read.
    const Result directory = run({"review", sample_plan, "--out", dir.string()});
    CHECK(directory.exit_code == 2);
    CHECK_THAT(directory.err, Catch::StartsWith("gdpr-purge review: cannot write " + dir.string()));
    const std::string not_a_plan = data("usecase1_inactive_vip.json");
    const Result both = run({"review", not_a_plan, "--out", dir.string()});
    CHECK(both.exit_code == 3);
    CHECK_THAT(both.err, Catch::Contains(not_a_plan));
    const std::string journal =
        write_file(dir / "other.journal.jsonl", journal_line(std::string(64, 'b')));
    const Result other = run({"review", sample_plan, "--journal", journal, "--out", dir.string()});
    CHECK(other.exit_code == 3);
    CHECK_THAT(other.err, Catch::Contains(journal + ":1: a journal of another plan"));
}

TEST_CASE("review: usage errors are exit 2", "[cli][review]") {
    const Result none = run({"review"});
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.err, Catch::StartsWith("gdpr-purge review: missing the PLAN.json argument"));
    CHECK(none.out.empty());
    const Result only_out = run({"review", "--out", (scratch_dir() / "x.html").string()});
    CHECK(only_out.exit_code == 2);
    CHECK_FALSE(fs::exists(scratch_dir() / "x.html"));
    const Result unknown = run({"review", sample_plan, "--bogus"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::StartsWith("gdpr-purge review: unknown option --bogus"));
    CHECK(unknown.out.empty());
    const Result help = run({"review", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("--journal"));
}

TEST_CASE("plan: --forecast outside 1 to 366, or with --subject, is a usage error",
          "[cli][plan][forecast]") {
    const std::string rules = data("usecase1_inactive_vip.json");
    const std::vector<std::string> base{"plan", "--rules", rules, "--base-url", unused_origin};
    const std::string range = "option --forecast must be a number of days from 1 to 366";
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    for (const Case& c : {
             Case{{"--forecast", "0"}, range},
             Case{{"--forecast", "367"}, range},
             Case{{"--forecast", "-1"}, range},
             Case{{"--forecast=-1"}, range},
             Case{{"--forecast", "abc"}, range},
             Case{{"--forecast", "7days"}, range},
             Case{{"--forecast", ""}, range},
             Case{{"--forecast", "99999999999999999999"}, range},
             Case{{"--forecast", "30", "--subject", "someone@example.com"},
                  "option --forecast is for the rules, not --subject"},
             Case{{"--subject", "someone@example.com", "--forecast", "1"},
                  "option --forecast is for the rules, not --subject"},
         }) {
        std::vector<std::string> args = base;
        args.insert(args.end(), c.args.begin(), c.args.end());
        INFO(c.args.front() << " " << (c.args.size() > 1 ? c.args[1] : ""));
        const Result r = run(args, with_key);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge plan: " + c.message));
        CHECK(r.out.empty());
    }
    // Without an account or key: --forecast is still what is reported.
    const Result bare = run({"plan", "--rules", rules, "--forecast", "0"});
    CHECK(bare.exit_code == 2);
    CHECK_THAT(bare.err, Catch::StartsWith("gdpr-purge plan: " + range));
    // 1 and 366 pass: what fails next is the missing key.
    for (const char* days : {"1", "366"}) {
        INFO("--forecast " << days);
        const Result r =
            run({"plan", "--rules", rules, "--base-url", unused_origin, "--forecast", days});
        CHECK(r.exit_code == 2);
        CHECK(r.err ==
              "gdpr-purge plan: no API key: set FRESHDESK_API_KEY or use --api-key-file\n");
    }
}
