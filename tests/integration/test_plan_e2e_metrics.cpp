// `gdpr-purge plan --metrics-file` end to end (docs/logs.md, "--metrics-file FILE"): a cron job
// that only plans is monitored like one that applies. The figures equal the plan's summary and the
// report's API counts; a plan that fails (invalid rules, a refused key) still writes the file, with
// last_run_success 0 and the last success carried over.
#include "test_plan_e2e.hpp"

#include <catch2/catch.hpp>

#include <optional>

namespace json = boost::json;

namespace {

// The value of the sample "NAME{...} VALUE" in a Prometheus text file; nothing when absent.
std::optional<double> metric(const std::string& text, const std::string& name) {
    for (const std::string& line : e2e::lines(text)) {
        if (line.starts_with(name + "{")) {
            return std::stod(line.substr(line.rfind(' ') + 1));
        }
    }
    return std::nullopt;
}

double value(const std::string& text, const std::string& name) {
    const std::optional<double> found = metric(text, name);
    INFO("metric " << name << " in:\n" << text);
    REQUIRE(found.has_value());
    return *found;
}

double count(const json::object& obj, const char* key) {
    return static_cast<double>(e2e::integer(obj.at(key)));
}

}  // namespace

TEST_CASE("plan --metrics-file - the plan's figures, and failed plans say so", "[e2e][metrics]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2)));
    const std::string base = sim.base_url();
    const simtest::TempDir dir;
    const std::string prom = dir.file("plan.prom");

    const e2e::Run good = e2e::run_cli(
        {"plan", "--rules", e2e::rules_file(2), "--base-url", base, "--as-of", e2e::kAsOf, "--out",
         dir.file("plan.json"), "--report", dir.file("report.json"), "--metrics-file", prom});
    INFO("plan stderr: " << good.err);
    REQUIRE(good.status == 0);
    const std::string text = e2e::read_file(prom);
    const json::object report = e2e::parse_object(e2e::read_file(dir.file("report.json")));
    const json::object& summary = e2e::member_object(report, "summary");
    const json::object& api = e2e::member_object(report, "api");
    for (const char* key : {"contacts_to_delete", "tickets_to_delete", "archived_tickets_to_delete",
                            "contacts_to_mark", "marks_to_clear", "soft_deleted_to_purge"}) {
        INFO(key);
        CHECK(value(text, std::string("gdpr_purge_") + key) == count(summary, key));
    }
    CHECK(value(text, "gdpr_purge_contacts_to_delete") +
              value(text, "gdpr_purge_contacts_to_mark") >
          0);  // the use case's plan does something: the figures are not all zero
    double protected_contacts = 0;
    for (const auto& reason : e2e::member_object(summary, "protected")) {
        protected_contacts += static_cast<double>(e2e::integer(reason.value()));
    }
    CHECK(value(text, "gdpr_purge_contacts_protected") == protected_contacts);
    CHECK(value(text, "gdpr_purge_api_calls") == count(api, "calls"));
    CHECK(value(text, "gdpr_purge_api_credits") == count(api, "credits"));
    CHECK(value(text, "gdpr_purge_api_calls") > 0);
    CHECK(value(text, "gdpr_purge_last_run_success") == 1);
    const double success_at = value(text, "gdpr_purge_last_success_timestamp_seconds");
    CHECK(success_at == value(text, "gdpr_purge_last_run_timestamp_seconds"));
    CHECK(e2e::contains(text, "{account=\"" + base + "\",command=\"plan\"}"));

    SECTION("an invalid rules file - exit 3, success 0, the last success kept") {
        const std::string rules = dir.file("bad-rules.json");
        e2e::write_file(rules, "{\"ticket_rules\": \"not a list\"}\n");
        const e2e::Run bad =
            e2e::run_cli({"plan", "--rules", rules, "--base-url", base, "--metrics-file", prom});
        INFO("plan stderr: " << bad.err);
        CHECK(bad.status == 3);
        const std::string after = e2e::read_file(prom);
        CHECK(value(after, "gdpr_purge_last_run_success") == 0);
        CHECK(value(after, "gdpr_purge_last_success_timestamp_seconds") == success_at);
        CHECK_FALSE(metric(after, "gdpr_purge_contacts_to_delete").value_or(0) > 0);
    }
    SECTION("a refused API key - exit 5, success 0, the calls made counted") {
        const e2e::Run refused = e2e::run_cli(
            {"plan", "--rules", e2e::rules_file(2), "--base-url", base, "--metrics-file", prom},
            {e2e::key_env("gp-not-the-key")});
        INFO("plan stderr: " << refused.err);
        CHECK(refused.status == 5);
        const std::string after = e2e::read_file(prom);
        CHECK(value(after, "gdpr_purge_last_run_success") == 0);
        CHECK(value(after, "gdpr_purge_api_calls") >= 1);
        CHECK(value(after, "gdpr_purge_last_success_timestamp_seconds") == success_at);
        CHECK_FALSE(e2e::contains(after, "gp-not-the-key"));
    }
}
