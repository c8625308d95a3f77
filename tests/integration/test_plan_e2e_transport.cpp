// `gdpr-purge plan` and `validate-rules --online` end to end: TLS verification, authentication,
// the API key kept out of every output, plain http to another host, usage errors and names the
// account lacks (docs/cli.md: connection, conventions, exit codes).
#include "test_plan_e2e.hpp"

#include <catch2/catch.hpp>

namespace json = boost::json;

namespace {

// A self-signed certificate made by the openssl CLI in a temporary directory.
struct Certificate {
    Certificate(const std::string& common_name, const std::string& alt_names) {
        const auto r =
            simtest::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                  "-days", "1", "-subj", "/CN=" + common_name, "-addext",
                                  "subjectAltName=" + alt_names, "-keyout", key(), "-out", cert()});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    std::string cert() const { return dir.file("cert.pem"); }
    std::string key() const { return dir.file("key.pem"); }
    simtest::TempDir dir;
};

std::int64_t requests_seen(int port) {
    const json::object stats = e2e::sim_get(port, "/_sim/stats");
    return e2e::integer(e2e::member_object(stats, "totals").at("requests"));
}

}  // namespace

TEST_CASE("plan over HTTPS - the certificate and the host name are verified", "[e2e][tls]") {
    const Certificate cert("localhost", "DNS:localhost,IP:127.0.0.1");
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1),
                                             {"--tls-cert", cert.cert(), "--tls-key", cert.key()}));
    const std::string base = "https://localhost:" + std::to_string(sim.port());
    const simtest::TempDir dir;

    SECTION("trusted through --ca-file: the plan is written, named after the https origin") {
        const e2e::Run run = e2e::run_plan(base, e2e::rules_file(1),
                                           {"--ca-file", cert.cert(), "--out", dir.file("p.json")});
        INFO("stderr: " << run.err);
        REQUIRE(run.status == 0);
        const json::object plan = e2e::parse_object(e2e::read_file(dir.file("p.json")));
        CHECK(e2e::member_string(plan, "account") == base);
        CHECK(e2e::member_array(plan, "entries").size() == 4);
    }
    SECTION("not trusted: exit 5, a message about the certificate, no plan") {
        const e2e::Run run = e2e::run_plan(base, e2e::rules_file(1), {"--out", dir.file("p.json")});
        INFO("stderr: " << run.err);
        CHECK(run.status == 5);
        CHECK(e2e::contains(e2e::lower(run.err), "certificate"));
        // A certificate that fails verification fails again: no point in retrying it.
        CHECK(run.seconds < 15);
        CHECK_FALSE(e2e::file_exists(dir.file("p.json")));
    }
}

TEST_CASE("plan over HTTPS - a trusted certificate for another host name is refused",
          "[e2e][tls]") {
    const Certificate other("other.example.com", "DNS:other.example.com");
    simtest::SimProcess sim(e2e::sim_account(
        e2e::account_file(1), {"--tls-cert", other.cert(), "--tls-key", other.key()}));
    const std::string base = "https://localhost:" + std::to_string(sim.port());
    const simtest::TempDir dir;
    const e2e::Run run = e2e::run_plan(base, e2e::rules_file(1),
                                       {"--ca-file", other.cert(), "--out", dir.file("p.json")});
    INFO("stderr: " << run.err);
    CHECK(run.status == 5);
    CHECK(run.seconds < 15);
    CHECK_FALSE(e2e::file_exists(dir.file("p.json")));
}

TEST_CASE("plan with a key the account refuses - exit 5, the key never printed", "[e2e][auth]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const simtest::TempDir dir;
    const std::string wrong = "wrong-key-zz9";
    const e2e::Run run = e2e::run_plan(sim.base_url(), e2e::rules_file(1),
                                       {"--out", dir.file("p.json"), "-v"}, {e2e::key_env(wrong)});
    INFO("stderr: " << run.err);
    CHECK(run.status == 5);
    const std::string err = e2e::lower(run.err);
    CHECK(e2e::contains(err, "key"));
    CHECK((e2e::contains(err, "refused") || e2e::contains(err, "rejected") ||
           e2e::contains(err, "not accepted") || e2e::contains(err, "invalid")));
    for (const std::string& secret : {wrong, simtest::basic_auth(wrong).substr(6)}) {
        CHECK_FALSE(e2e::contains(run.err, secret));
        CHECK_FALSE(e2e::contains(run.out, secret));
    }
    CHECK_FALSE(e2e::file_exists(dir.file("p.json")));
}

TEST_CASE("plan keeps the API key out of stdout, stderr, the plan and the report",
          "[e2e][auth][secrets]") {
    const std::string key = "gp-secret-key-abc123";
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2), {"--api-key", key}));
    const simtest::TempDir dir;
    const std::vector<std::string> secrets = {key, simtest::basic_auth(key).substr(6)};
    const auto check_clean = [&](const e2e::Run& run, const std::string& plan,
                                 const std::string& report) {
        for (const std::string& secret : secrets) {
            INFO("secret " << secret);
            CHECK_FALSE(e2e::contains(run.out, secret));
            CHECK_FALSE(e2e::contains(run.err, secret));
            CHECK_FALSE(e2e::contains(e2e::read_file(plan), secret));
            CHECK_FALSE(e2e::contains(e2e::read_file(report), secret));
        }
    };

    SECTION("key from the environment, JSON logs, verbose") {
        const e2e::Run run = e2e::run_plan(sim.base_url(), e2e::rules_file(2),
                                           {"--out", dir.file("p.json"), "--report",
                                            dir.file("r.json"), "--log-format", "json", "-v"},
                                           {e2e::key_env(key)});
        INFO("stderr: " << run.err);
        REQUIRE(run.status == 0);
        check_clean(run, dir.file("p.json"), dir.file("r.json"));
        e2e::check_json_log(run.err);
    }
    SECTION("key from --api-key-file, text logs, verbose") {
        e2e::write_file(dir.file("key.txt"), key + "\n");
        const e2e::Run run =
            e2e::run_plan(sim.base_url(), e2e::rules_file(2),
                          {"--api-key-file", dir.file("key.txt"), "--out", dir.file("p.json"),
                           "--report", dir.file("r.json"), "-v"},
                          {});
        INFO("stderr: " << run.err);
        REQUIRE(run.status == 0);
        check_clean(run, dir.file("p.json"), dir.file("r.json"));
    }
}

TEST_CASE("plan refuses plain http to a host that is not loopback, before any request",
          "[e2e][usage]") {
    const simtest::TempDir dir;
    // Documentation hosts only; the command must refuse them without connecting anywhere.
    for (const std::string base : {"http://example.com", "http://192.0.2.10:8080"}) {
        INFO("base url " << base);
        const e2e::Run run = e2e::run_plan(base, e2e::rules_file(1), {"--out", dir.file("p.json")},
                                           {e2e::key_env()}, std::chrono::seconds(30));
        INFO("stderr: " << run.err);
        CHECK(run.status == 2);
        CHECK(run.seconds < 10);
        CHECK(e2e::contains(e2e::lower(run.err), "https"));
        CHECK_FALSE(e2e::file_exists(dir.file("p.json")));
    }
}

TEST_CASE("plan usage errors - exit 2, no request, no secret printed", "[e2e][usage]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const std::string base = sim.base_url();
    const std::string rules = e2e::rules_file(1);
    const simtest::TempDir dir;
    const std::string out = dir.file("p.json");

    SECTION("no --rules") {
        const e2e::Run run = e2e::run_cli({"plan", "--base-url", base, "--out", out});
        INFO("stderr: " << run.err);
        CHECK(run.status == 2);
    }
    SECTION("neither --base-url nor --domain, FRESHDESK_DOMAIN unset") {
        const e2e::Run run = e2e::run_cli({"plan", "--rules", rules, "--out", out});
        INFO("stderr: " << run.err);
        CHECK(run.status == 2);
    }
    SECTION("an unknown --api-key=VALUE option is named, its value never printed") {
        const std::string secret = "secret-zz-4711";
        const e2e::Run run =
            e2e::run_cli({"plan", "--rules", rules, "--base-url", base, "--api-key=" + secret});
        INFO("stderr: " << run.err);
        CHECK(run.status == 2);
        CHECK(e2e::contains(run.err, "api-key"));
        CHECK_FALSE(e2e::contains(run.err, secret));
        CHECK_FALSE(e2e::contains(run.out, secret));
    }
    SECTION("no API key: neither FRESHDESK_API_KEY nor --api-key-file") {
        const e2e::Run run = e2e::run_cli({"plan", "--rules", rules, "--base-url", base}, {});
        INFO("stderr: " << run.err);
        CHECK(run.status == 2);
        CHECK(e2e::contains(e2e::lower(run.err), "key"));
    }
    SECTION("an abbreviated option name is not guessed") {
        const e2e::Run run = e2e::run_cli({"plan", "--rule", rules, "--base-url", base});
        INFO("stderr: " << run.err);
        CHECK(run.status == 2);
    }
    CHECK_FALSE(e2e::file_exists(out));
    CHECK(requests_seen(sim.port()) == 0);
}

TEST_CASE("validate-rules --online and plan report names the account lacks", "[e2e][online]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const simtest::TempDir dir;
    const std::string typos = dir.file("typos.json");
    e2e::write_file(typos, R"({
  "version": 1,
  "ticket_rules": [
    {"name": "questions", "groups": ["Escalations"], "types": ["Question"],
     "older_than": "180d", "since": "closed", "scope": "contact"},
    {"name": "typos", "groups": ["Escalatons"], "types": ["Questoin"],
     "older_than": "180d", "since": "closed", "scope": "contact"}
  ],
  "contact_policy": {"keep_contact": false, "delete_mode": "hard", "delete_after": "immediate"},
  "exceptions": {"tags": ["VIP"], "companies": ["Acme Crop"]}
})");

    SECTION("offline the file is valid: only the account can tell") {
        const e2e::Run run = e2e::run_cli({"validate-rules", typos});
        INFO("out: " << run.out << "\nerr: " << run.err);
        CHECK(run.status == 0);
    }
    SECTION("online: exit 3, every unknown name by its JSON path") {
        const e2e::Run run =
            e2e::run_cli({"validate-rules", typos, "--online", "--base-url", sim.base_url()});
        INFO("out: " << run.out << "\nerr: " << run.err);
        CHECK(run.status == 3);
        const std::string all = run.out + run.err;
        CHECK(e2e::contains(all, "ticket_rules[1].groups"));
        CHECK(e2e::contains(all, "ticket_rules[1].types"));
        CHECK(e2e::contains(all, "exceptions.companies"));
        CHECK_FALSE(e2e::contains(all, "ticket_rules[0]"));
    }
    SECTION("online: the use cases' files are valid against their accounts") {
        const e2e::Run run = e2e::run_cli(
            {"validate-rules", e2e::rules_file(1), "--online", "--base-url", sim.base_url()});
        INFO("out: " << run.out << "\nerr: " << run.err);
        CHECK(run.status == 0);
    }
    // docs/rules-semantics.md, settled 18.
    SECTION("plan: exit 3 and no plan (settled 18)") {
        const e2e::Run run = e2e::run_plan(sim.base_url(), typos, {"--out", dir.file("p.json")});
        INFO("stderr: " << run.err);
        CHECK(run.status == 3);
        CHECK(e2e::contains(run.err, "ticket_rules[1].groups"));
        CHECK_FALSE(e2e::file_exists(dir.file("p.json")));
    }
}

TEST_CASE("validate-rules --online against the other use cases' accounts", "[e2e][online]") {
    for (const int n : {2, 3}) {
        INFO("use case " << n);
        simtest::SimProcess sim(e2e::sim_account(e2e::account_file(n)));
        const e2e::Run run = e2e::run_cli(
            {"validate-rules", e2e::rules_file(n), "--online", "--base-url", sim.base_url()});
        INFO("out: " << run.out << "\nerr: " << run.err);
        CHECK(run.status == 0);
    }
}
