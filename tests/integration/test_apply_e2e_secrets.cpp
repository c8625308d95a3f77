// The API key stays secret through apply, apply --rules and undo-soft (docs/cli.md, connection:
// "never printed, never written into a plan, journal or log"): neither the key nor its Basic auth
// (base64) forms appear in any output or any file these runs write, verbose and JSON logs
// included, nor does a wrong key or a key typed as an option.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

namespace json = boost::json;

namespace {

std::string base64(const std::string& in) {
    static const char* const table =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto byte = [&](std::size_t at) -> unsigned {
        return at < in.size() ? static_cast<unsigned char>(in[at]) : 0U;
    };
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        const unsigned n = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
        const std::size_t left = in.size() - i;  // 1, 2, or 3 and more
        out += table[(n >> 18U) & 63U];
        out += table[(n >> 12U) & 63U];
        out += left > 1 ? table[(n >> 6U) & 63U] : '=';
        out += left > 2 ? table[n & 63U] : '=';
    }
    return out;
}

// The key, "key:X" in base64 (what Basic auth sends) and the key alone in base64.
std::vector<std::string> secret_forms(const std::string& key) {
    REQUIRE(base64("sim-api-key:X") == "c2ltLWFwaS1rZXk6WA==");  // the known Basic-auth form
    const std::vector<std::string> forms = {key, base64(key + ":X"), base64(key)};
    CHECK(simtest::basic_auth(key) == "Basic " + forms[1]);  // the encoder agrees
    return forms;
}

void check_clean(const std::string& what, const std::string& text,
                 const std::vector<std::string>& secrets) {
    for (const std::string& secret : secrets) {
        INFO(what << " must not contain " << secret);
        CHECK_FALSE(e2e::contains(text, secret));
    }
}

}  // namespace

TEST_CASE("apply, apply --rules and undo-soft keep the API key out of every output and file",
          "[e2e][apply][secrets]") {
    const std::string key = "gp-apply-secret-k9x";
    const std::string wrong = "gp-wrong-key-q7v";
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2), {"--api-key", key}));
    const std::string base = sim.base_url();
    const std::vector<std::string> env = {e2e::key_env(key)};
    const simtest::TempDir dir;
    const std::string plan = dir.file("plan.json");
    const std::string journal = plan + ".journal.jsonl";
    std::vector<std::pair<std::string, e2e::Run>> runs;

    runs.emplace_back("plan", e2e::run_cli({"plan", "--rules", e2e::soft_rules_file(), "--base-url",
                                            base, "--as-of", e2e::kAsOf, "--out", plan,
                                            "--metrics-file", dir.file("plan.prom"), "-v"},
                                           env));
    REQUIRE(runs.back().second.status == 0);
    runs.emplace_back("apply",
                      e2e::run_apply(base, plan,
                                     {"--report", dir.file("apply-report.json"), "--metrics-file",
                                      dir.file("apply.prom"), "-v", "--log-format", "json"},
                                     env));
    CHECK(runs.back().second.status == 0);
    runs.emplace_back("undo-soft", e2e::run_undo(base, journal,
                                                 {"--report", dir.file("undo-report.json"),
                                                  "--metrics-file", dir.file("undo.prom"), "-v"},
                                                 env));
    CHECK(runs.back().second.status == 0);
    std::filesystem::create_directory(dir.file("cron"));
    runs.emplace_back(
        "apply --rules",
        e2e::run_cli_in(dir.file("cron"),
                        {"apply", "--rules", e2e::rules_file(2), "--base-url", base, "--as-of",
                         e2e::kAsOf, "--yes", "--lock-file", dir.file("cron.lock"), "--report",
                         dir.file("cron-report.json"), "-v"},
                        env, e2e::kApplyTimeout));
    CHECK(runs.back().second.status == 0);
    // A key the account refuses: exit 5 (a fresh journal, so that apply has to ask the account).
    runs.emplace_back("apply, wrong key",
                      e2e::run_apply(base, plan,
                                     {"--journal", dir.file("wrong.jsonl"), "--report",
                                      dir.file("wrong-report.json"), "-v"},
                                     {e2e::key_env(wrong)}));
    CHECK(runs.back().second.status == 5);
    // A key typed as an option is a usage error that names the option only.
    runs.emplace_back("apply --api-key=KEY", e2e::run_apply(base, plan, {"--api-key=" + key}, env));
    CHECK(runs.back().second.status == 2);
    CHECK(e2e::contains(runs.back().second.err, "--api-key"));

    std::vector<std::string> secrets = secret_forms(key);
    for (const std::string& s : secret_forms(wrong)) {
        secrets.push_back(s);
    }
    for (const auto& [name, run] : runs) {
        INFO(name << " stderr: " << run.err);
        check_clean(name + " stdout", run.out, secrets);
        check_clean(name + " stderr", run.err, secrets);
    }
    std::size_t files = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir.path())) {
        if (f.is_regular_file()) {
            ++files;
            check_clean(f.path().string(), e2e::read_file(f.path().string()), secrets);
        }
    }
    // plan, its journal and undo journal, two reports and metrics of plan, apply and undo, the cron
    // run's plan, journal and report, the wrong key's report: all were there to look at.
    for (const std::string& f :
         {journal, journal + ".undo.jsonl", dir.file("plan.prom"), dir.file("apply-report.json"),
          dir.file("apply.prom"), dir.file("undo-report.json"), dir.file("undo.prom"),
          dir.file("cron-report.json")}) {
        INFO("file " << f);
        CHECK(e2e::file_exists(f));
    }
    CHECK(e2e::files_ending(dir.file("cron"), ".journal.jsonl").size() == 1);
    // The metrics files are Prometheus text: comments, or "name{labels} value".
    const std::regex sample(R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9][0-9.eE+-]*)re");
    for (const std::string& f :
         {dir.file("plan.prom"), dir.file("apply.prom"), dir.file("undo.prom")}) {
        const std::vector<std::string> lines = e2e::lines(e2e::read_file(f));
        CHECK_FALSE(lines.empty());
        for (const std::string& l : lines) {
            INFO(f << ": " << l);
            CHECK((l.rfind("# ", 0) == 0 || std::regex_match(l, sample)));
        }
    }
    CHECK(files >= 10);
}
