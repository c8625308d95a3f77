// Runs the built gdpr-purge binary as a user (or a cron job) would, and checks what it prints
// and the exit codes of docs/cli.md.
#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace clitest;

namespace {

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

// ---- plan and validate-rules --online: what is decided before any request (no server needed;
// the end-to-end tests against freshdesk-sim are tests/integration/test_plan_e2e.cpp).

namespace {

// Nothing listens there; none of the cases below gets as far as sending a request.
const std::string unused_origin = "http://127.0.0.1:9";
const Env with_key{{"FRESHDESK_API_KEY", "test-key-never-shown"}};

std::vector<std::string> plan_args(std::vector<std::string> more) {
    std::vector<std::string> args{"plan", "--rules", example, "--base-url", unused_origin};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

}  // namespace

TEST_CASE("plan is listed in the overview and has its own help", "[cli][plan]") {
    CHECK_THAT(run({"--help"}).out, Catch::Contains("\n  plan  "));
    const Result r = run({"plan", "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Catch::StartsWith("usage: gdpr-purge plan --rules RULES.json"));
    for (const char* option : {"--rules FILE",
                               "--out FILE",
                               "--as-of TIME",
                               "--subject EMAIL",
                               "--report FILE",
                               "--quiet",
                               "-v [ --verbose ]",
                               "--log-format FORMAT",
                               "(default: text)",
                               "--domain NAME",
                               "--base-url URL",
                               "--api-key-file FILE",
                               "--ca-file FILE",
                               "--rate-limit N",
                               "--concurrency N",
                               "(default: 4)",
                               "--timeout SEC",
                               "(default: 30)",
                               "example:\n  gdpr-purge plan",
                               "EXIT STATUS\n  0  the plan was written"}) {
        CHECK_THAT(r.out, Catch::Contains(option));
    }
    CHECK(run({"help", "plan"}).out == r.out);
}

TEST_CASE("plan: a missing --rules or account is a usage error", "[cli][plan]") {
    const Result no_rules = run({"plan", "--base-url", unused_origin}, with_key);
    CHECK(no_rules.exit_code == 2);
    CHECK(no_rules.err ==
          "gdpr-purge plan: missing --rules RULES.json: run 'gdpr-purge plan --help' for its "
          "usage\n");
    const Result no_account = run({"plan", "--rules", example}, with_key);
    CHECK(no_account.exit_code == 2);
    CHECK_THAT(no_account.err, Catch::Contains("no account: use --domain NAME or --base-url URL, "
                                               "or set FRESHDESK_DOMAIN"));
    const Result both = run(plan_args({"--domain", "acme"}), with_key);
    CHECK(both.exit_code == 2);
    CHECK_THAT(both.err, Catch::Contains("give --domain or --base-url, not both"));
    for (const char* domain : {"https://acme.freshdesk.com", "acme.example.com", "-acme", "a b"}) {
        INFO(domain);
        const Result bad = run({"plan", "--rules", example, "--domain", domain}, with_key);
        CHECK(bad.exit_code == 2);
        CHECK_THAT(bad.err, Catch::Contains("--domain must be NAME or NAME.freshdesk.com"));
    }
    Env bad_env = with_key;
    bad_env.emplace_back("FRESHDESK_DOMAIN", "not a domain");
    CHECK_THAT(run({"plan", "--rules", example}, bad_env).err,
               Catch::Contains("FRESHDESK_DOMAIN must be NAME or NAME.freshdesk.com"));
}

TEST_CASE("plan: plain http to a host that is not loopback is refused", "[cli][plan]") {
    for (const char* url : {"http://example.com", "http://10.0.0.1:8080/"}) {
        INFO(url);
        const Result r = run({"plan", "--rules", example, "--base-url", url}, with_key);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("plain http is allowed only to a loopback host"));
        CHECK(r.out.empty());
    }
    const Result path =
        run({"plan", "--rules", example, "--base-url", "https://x.test/api/v2"}, with_key);
    CHECK(path.exit_code == 2);
}

TEST_CASE("plan: no API key is a usage error", "[cli][plan]") {
    const Result r = run(plan_args({}));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "gdpr-purge plan: no API key: set FRESHDESK_API_KEY or use --api-key-file\n");
    const Result file = run(plan_args({"--api-key-file", data("no-such-key-file")}));
    CHECK(file.exit_code == 2);
    CHECK(file.out.empty());
}

TEST_CASE("plan: option values are range-checked", "[cli][plan]") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    for (const Case& c : {
             Case{{"--concurrency", "0"}, "option --concurrency must be between 1 and 16"},
             Case{{"--concurrency", "17"}, "option --concurrency must be between 1 and 16"},
             Case{{"--timeout", "601"}, "option --timeout must be between 1 and 600"},
             Case{{"--rate-limit", "0"}, "option --rate-limit must be between 1 and 100000"},
             Case{{"--rate-limit", "-1"}, "option --rate-limit must be between 1 and 100000"},
             Case{{"--rate-limit", "many"}, "option --rate-limit has an invalid value"},
             Case{{"--as-of", "2026-02-30"}, "option --as-of must be YYYY-MM-DDTHH:MM:SSZ"},
             Case{{"--as-of", "2026-01-01T00:00:00"}, "option --as-of must be"},
             Case{{"--subject", "not-an-email"}, "option --subject needs an email address"},
             Case{{"--log-format", "xml"}, "option --log-format must be text or json"},
             Case{{"--conc", "2"}, "unknown option --conc"},
             Case{{"extra"}, "too many arguments"},
         }) {
        INFO(c.message);
        const Result r = run(plan_args(c.args), with_key);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge plan: " + c.message));
        CHECK(r.out.empty());
    }
}

TEST_CASE("plan: an unknown option never shows its value, in text or JSON", "[cli][plan]") {
    const std::string secret = "s3cr3t-KEY-value";
    const Result text = run(plan_args({"--api-key=" + secret}), with_key);
    CHECK(text.exit_code == 2);
    CHECK(
        text.err ==
        "gdpr-purge plan: unknown option --api-key: run 'gdpr-purge plan --help' for its usage\n");
    const Result json = run(plan_args({"--log-format", "json", "--api-key", secret}), with_key);
    CHECK(json.exit_code == 2);
    CHECK(json.err.find(secret) == std::string::npos);
    CHECK_THAT(json.err, Catch::StartsWith("{\"ts\":\""));
    CHECK_THAT(json.err, Catch::Contains("\"level\":\"error\",\"command\":\"plan\",\"event\":"
                                         "\"error\",\"message\":\"unknown option --api-key"));
    CHECK_THAT(json.err, Catch::EndsWith(",\"exit_code\":2}\n"));
}

TEST_CASE("plan: an invalid rules file is exit 3, before any request", "[cli][plan]") {
    const std::string file = data("invalid/many_problems.json");
    const Result r = run({"plan", "--rules", file, "--base-url", unused_origin}, with_key);
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("\n" + file +
                                      ": ticket_rules[2].older_than: \"5y\" is longer than 4y "
                                      "(1460d)\n"));
    const Result json =
        run({"plan", "--rules", file, "--base-url", unused_origin, "--log-format=json"}, with_key);
    CHECK(json.exit_code == 3);
    CHECK_THAT(json.err, Catch::Contains("\"path\":\"ticket_rules[2].older_than\""));
    CHECK(std::count(json.err.begin(), json.err.end(), '\n') == 8);
}

TEST_CASE("plan: an --out or --report file that cannot be created is exit 2", "[cli][plan]") {
    const std::string nowhere = (scratch_dir() / "no-such-dir" / "plan.json").string();
    for (const char* option : {"--out", "--report"}) {
        INFO(option);
        const Result r = run(plan_args({option, nowhere}), with_key);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge plan: cannot write " + nowhere));
    }
    const Result dir = run(plan_args({"--out", scratch_dir().string()}), with_key);
    CHECK(dir.exit_code == 2);
    CHECK_THAT(dir.err, Catch::Contains("it is a directory"));
}

TEST_CASE("validate-rules: connection options need --online", "[cli][validate-rules]") {
    const Result r = run({"validate-rules", example, "--base-url", unused_origin}, with_key);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("gdpr-purge validate-rules: option --base-url needs "
                                        "--online"));
    const Result help = run({"validate-rules", "--help"});
    CHECK_THAT(help.out, Catch::Contains("--online"));
    CHECK_THAT(help.out, Catch::Contains("--domain NAME"));
    CHECK_THAT(help.out, Catch::Contains("  5  with --online: cannot work with the account"));
}

TEST_CASE("validate-rules --online: account, key and file are checked first",
          "[cli][validate-rules]") {
    const Result no_account = run({"validate-rules", example, "--online"}, with_key);
    CHECK(no_account.exit_code == 2);
    CHECK_THAT(no_account.err, Catch::Contains("no account"));
    const Result no_key = run({"validate-rules", example, "--online", "--domain", "acme"});
    CHECK(no_key.exit_code == 2);
    CHECK(no_key.err ==
          "gdpr-purge validate-rules: no API key: set FRESHDESK_API_KEY or use --api-key-file\n");
    const Result http =
        run({"validate-rules", example, "--online", "--base-url", "http://x.test"}, with_key);
    CHECK(http.exit_code == 2);
    const std::string invalid = data("invalid/many_problems.json");
    const Result bad =
        run({"validate-rules", invalid, "--online", "--base-url", unused_origin}, with_key);
    CHECK(bad.exit_code == 3);
    CHECK_THAT(bad.err, Catch::StartsWith(invalid + ": version: 2 is not supported"));
}

TEST_CASE("validate-rules --log-format json: one JSON object per problem",
          "[cli][validate-rules]") {
    const std::string file = data("invalid/many_problems.json");
    const Result r = run({"validate-rules", file, "--log-format", "json"});
    CHECK(r.exit_code == 3);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 8);
    CHECK_THAT(r.err, Catch::StartsWith("{\"ts\":\""));
    CHECK_THAT(r.err, Catch::Contains("\"command\":\"validate-rules\",\"event\":\"error\""));
    CHECK_THAT(r.err, Catch::Contains("\"path\":\"version\""));
    const Result ok = run({"validate-rules", example, "--log-format", "json"});
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == example + ": ok (4 rules)\n");
    CHECK(ok.err.empty());
}
