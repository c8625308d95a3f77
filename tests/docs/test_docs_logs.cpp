// docs/logs.md against what the program really writes: the metric names equal those of metrics
// files written by plan, apply and undo-soft against freshdesk-sim; the JSON log events documented
// equal those the sources emit (app/*.cpp, read at test time); the keys of real --report files and
// of real JSON log lines are documented.
#include "test_plan_e2e.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

namespace json = boost::json;

namespace {

std::string source_file(const std::string& relative) {
    return std::string(GP_SOURCE_DIR) + "/" + relative;
}

std::string logs_doc() {
    return e2e::read_file(source_file("docs/logs.md"));
}

std::set<std::string> matches(const std::string& text, const std::regex& pattern,
                              std::size_t group = 0) {
    std::set<std::string> result;
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        result.insert((*it)[group].str());
    }
    return result;
}

std::string joined(const std::set<std::string>& items) {
    std::string text;
    for (const std::string& item : items) {
        text += item + " ";
    }
    return text;
}

// The documented events: first cells of the table under "### Events", up to the next heading.
std::set<std::string> documented_events(const std::string& doc) {
    const auto start = doc.find("### Events");
    REQUIRE(start != std::string::npos);
    const auto end = doc.find("\n#", start + 1);
    const std::string section = doc.substr(start, end - start);
    static const std::regex row(R"(\n\| `([a-z_]+)` \|)");
    return matches(section, row, 1);
}

// Keys of a JSON object and of its nested objects (not of by_rule / protected's own names).
void collect_keys(const json::object& obj, std::set<std::string>& keys) {
    for (const auto& kv : obj) {
        keys.insert(std::string(kv.key()));
        if (kv.value().is_object() && kv.key() != "by_rule" && kv.key() != "protected") {
            collect_keys(kv.value().as_object(), keys);
        }
    }
}

}  // namespace

TEST_CASE("docs/logs.md: the JSON events documented are those the sources emit", "[docs]") {
    std::string sources;
    for (const auto& entry : std::filesystem::directory_iterator(source_file("app"))) {
        if (entry.path().extension() == ".cpp") {
            sources += e2e::read_file(entry.path().string());
        }
    }
    // emit(Level::info, "summary", ...), emit(attention ? Level::warning : Level::info, "step",
    // ...)
    static const std::regex emitted(R"re(\bemit\(\s*[^;"]*?,\s*"([a-z_]+)")re");
    const std::set<std::string> in_sources = matches(sources, emitted, 1);
    const std::set<std::string> in_doc = documented_events(logs_doc());
    INFO("sources: " << joined(in_sources) << "\ndocs/logs.md: " << joined(in_doc));
    CHECK(in_sources.size() >= 8);
    CHECK(in_doc == in_sources);
}

TEST_CASE(
    "docs/logs.md: metric names equal a real run's, report keys and log fields are documented",
    "[docs]") {
    const std::string doc = logs_doc();
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2)));
    const simtest::TempDir dir;
    const std::vector<std::string> env = {e2e::key_env(), "TMPDIR=" + dir.path()};
    const std::string base = sim.base_url();

    const e2e::Run plan =
        e2e::run_cli_in(dir.path(),
                        {"plan", "--rules", e2e::rules_file(2), "--base-url", base, "--out",
                         "plan.json", "--report", "plan-report.json", "--metrics-file", "plan.prom",
                         "--log-format", "json", "-v"},
                        env);
    INFO("plan stderr: " << plan.err);
    REQUIRE(plan.status == 0);
    const e2e::Run apply = e2e::run_cli_in(
        dir.path(),
        {"apply", "plan.json", "--base-url", base, "--yes", "--report", "apply-report.json",
         "--metrics-file", "apply.prom", "--log-format", "json", "-v"},
        env);
    INFO("apply stderr: " << apply.err);
    REQUIRE(apply.status == 0);
    const e2e::Run undo = e2e::run_cli_in(
        dir.path(),
        {"undo-soft", "plan.json.journal.jsonl", "--base-url", base, "--report", "undo-report.json",
         "--metrics-file", "undo.prom", "--log-format", "json", "-v"},
        env);
    INFO("undo-soft stderr: " << undo.err);
    REQUIRE(undo.status == 0);

    SECTION("metric names: the documented ones are those written, and vice versa") {
        static const std::regex type_line(R"(# TYPE (gdpr_purge_[a-z_]+) gauge)");
        std::set<std::string> written =
            matches(e2e::read_file(dir.file("apply.prom")), type_line, 1);
        for (const char* other : {"undo.prom", "plan.prom"}) {
            const std::set<std::string> other_written =
                matches(e2e::read_file(dir.file(other)), type_line, 1);
            written.insert(other_written.begin(), other_written.end());
        }
        static const std::regex name(R"(gdpr_purge_[a-z_]*[a-z])");
        const std::set<std::string> documented = matches(doc, name);
        INFO("written: " << joined(written) << "\ndocs/logs.md: " << joined(documented));
        CHECK(written.size() >= 15);
        CHECK(documented == written);
        // Every sample carries the two documented labels.
        const std::string text = e2e::read_file(dir.file("apply.prom"));
        CHECK(e2e::contains(text, "{account=\"" + base + "\",command=\"apply\"}"));
        CHECK(e2e::contains(e2e::read_file(dir.file("plan.prom")),
                            "{account=\"" + base + "\",command=\"plan\"}"));
    }

    SECTION("report keys are documented") {
        for (const char* file : {"plan-report.json", "apply-report.json", "undo-report.json"}) {
            std::set<std::string> keys;
            collect_keys(e2e::parse_object(e2e::read_file(dir.file(file))), keys);
            for (const std::string& key : keys) {
                INFO(file << ": key " << key);
                CHECK(e2e::contains(doc, "`" + key + "`"));
            }
        }
    }

    SECTION("JSON log lines: documented events, every field documented") {
        const std::set<std::string> events = documented_events(doc);
        for (const std::string* err : {&plan.err, &apply.err, &undo.err}) {
            e2e::check_json_log(*err);
            for (const std::string& l : e2e::lines(*err)) {
                const json::object line = e2e::parse_object(l);
                const std::string event = e2e::member_string(line, "event");
                INFO("line: " << l);
                CHECK(events.count(event) == 1);
                std::set<std::string> keys;
                collect_keys(line, keys);
                for (const std::string& key : keys) {
                    INFO("field " << key);
                    CHECK(e2e::contains(doc, "`" + key + "`"));
                }
            }
        }
    }
}
