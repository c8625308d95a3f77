// Helpers of the end-to-end tests (test_plan_e2e.hpp): running the binary, reading its files,
// turning plans into comparable lines.
#include "test_plan_e2e.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#ifndef GP_CLI_PATH
#error "GP_CLI_PATH must name the gdpr-purge binary (tests/integration/CMakeLists.txt)"
#endif

namespace json = boost::json;

namespace e2e {

std::string data_file(const std::string& relative) {
    return std::string(GP_TEST_DATA_DIR) + "/" + relative;
}

std::string account_file(int use_case) {
    switch (use_case) {
        case 1:
            return data_file("accounts/usecase1_inactive_vip.json");
        case 2:
            return data_file("accounts/usecase2_camping_responder.json");
        default:
            return data_file("accounts/usecase3_old_incidents.json");
    }
}

std::string rules_file(int use_case) {
    switch (use_case) {
        case 1:
            return data_file("rules/usecase1_inactive_vip.json");
        case 2:
            return data_file("rules/usecase2_camping_responder.json");
        default:
            return data_file("rules/usecase3_old_incidents.json");
    }
}

namespace {

std::vector<std::string> sim_args(const std::string& source_option, const std::string& source,
                                  std::vector<std::string> extra) {
    std::vector<std::string> a = {
        source_option,       source,   "--now", kAsOf, "--rate-limit", "1000000",
        "--list-rate-limit", "1000000"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

}  // namespace

std::vector<std::string> sim_account(const std::string& account, std::vector<std::string> extra) {
    return sim_args("--account", account, std::move(extra));
}

std::vector<std::string> sim_generated(const std::string& spec, std::vector<std::string> extra) {
    return sim_args("--generate", spec, std::move(extra));
}

std::string key_env(const std::string& key) {
    return "FRESHDESK_API_KEY=" + key;
}

Run run_cli(const std::vector<std::string>& args, const std::vector<std::string>& env,
            std::chrono::seconds timeout) {
    return run_cli_in("", args, env, timeout);
}

// The archive index's state directory of this test process (docs/reading.md): never the user's
// home, and never shared with another test process, whose simulators may have had the same port
// (the account's name).
const std::string& state_home() {
    static const simtest::TempDir dir;
    return dir.path();
}

std::vector<std::string> cli_argv(const std::vector<std::string>& args,
                                  const std::vector<std::string>& env, const std::string& cwd) {
    std::vector<std::string> argv = {"/usr/bin/env"};
    for (const char* name : {"FRESHDESK_DOMAIN", "FRESHDESK_API_KEY", "http_proxy", "https_proxy",
                             "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
        argv.push_back("-u");
        argv.push_back(name);
    }
    if (!cwd.empty()) {
        argv.push_back("-C");
        argv.push_back(cwd);
    }
    argv.push_back("XDG_STATE_HOME=" + state_home());  // `env` may set another
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(GP_CLI_PATH);
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

Run run_cli_in(const std::string& cwd, const std::vector<std::string>& args,
               const std::vector<std::string>& env, std::chrono::seconds timeout) {
    const auto start = std::chrono::steady_clock::now();
    const simtest::CommandResult r = simtest::run_command(cli_argv(args, env, cwd), timeout);
    Run run;
    run.status = r.status;
    run.out = r.out;
    run.err = r.err;
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return run;
}

Run run_plan(const std::string& base_url, const std::string& rules,
             const std::vector<std::string>& extra, const std::vector<std::string>& env,
             std::chrono::seconds timeout) {
    std::vector<std::string> args = {"plan",   "--rules", rules, "--base-url",
                                     base_url, "--as-of", kAsOf};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, env, timeout);
}

json::object sim_post(int port, const std::string& target, const std::string& body) {
    simtest::Client client(port);
    const simtest::Reply r = client.send("POST", target, body);
    INFO("POST " << target << " " << body << ": " << r.status << " " << r.body);
    REQUIRE((r.status == 200 || r.status == 201));
    return r.json().as_object();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l)) {
        if (!l.empty()) {
            result.push_back(l);
        }
    }
    return result;
}

json::object parse_object(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        throw std::runtime_error("not a JSON object (" + ec.message() +
                                 "): " + text.substr(0, 2000));
    }
    return std::move(v.as_object());
}

std::int64_t integer(const json::value& value) {
    if (value.is_int64()) {
        return value.get_int64();
    }
    if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(value.get_uint64());
    }
    throw std::runtime_error("not an integer: " + json::serialize(value));
}

namespace {

const json::value& member(const json::object& obj, const char* key) {
    const json::value* v = obj.if_contains(key);
    if (v == nullptr) {
        throw std::runtime_error(std::string("no key \"") + key + "\" in " + json::serialize(obj));
    }
    return *v;
}

std::string join_ids(const std::vector<std::int64_t>& ids) {
    std::string s;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        s += (i == 0 ? "" : ",") + std::to_string(ids[i]);
    }
    return s;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) {
        s += (i == 0 ? "" : separator) + items[i];
    }
    return s;
}

// A step as "action(key=value,...)": every key but action, in file order, so that an unexpected
// key shows in the comparison.
std::string step_text(const json::object& step) {
    std::string text = member_string(step, "action");
    std::vector<std::string> fields;
    for (const auto& kv : step) {
        if (kv.key() == "action") {
            continue;
        }
        std::string value;
        if (kv.value().is_array()) {
            std::vector<std::int64_t> ids;
            for (const json::value& id : kv.value().as_array()) {
                ids.push_back(integer(id));
            }
            value = join_ids(ids);
        } else if (kv.value().is_string()) {
            value = std::string(kv.value().as_string());
        } else {
            value = json::serialize(kv.value());
        }
        fields.push_back(std::string(kv.key()) + "=" + value);
    }
    if (!fields.empty()) {
        text += "(" + join(fields, ",") + ")";
    }
    return text;
}

}  // namespace

const json::object& member_object(const json::object& obj, const char* key) {
    const json::value& v = member(obj, key);
    if (!v.is_object()) {
        throw std::runtime_error(std::string("\"") + key + "\" is not an object");
    }
    return v.as_object();
}

const json::array& member_array(const json::object& obj, const char* key) {
    const json::value& v = member(obj, key);
    if (!v.is_array()) {
        throw std::runtime_error(std::string("\"") + key + "\" is not an array");
    }
    return v.as_array();
}

std::string member_string(const json::object& obj, const char* key) {
    const json::value& v = member(obj, key);
    if (!v.is_string()) {
        throw std::runtime_error(std::string("\"") + key + "\" is not a string");
    }
    return std::string(v.as_string());
}

std::vector<std::string> entry_lines(const json::object& plan) {
    std::vector<std::string> result;
    for (const json::value& item : member_array(plan, "entries")) {
        const json::object& e = item.as_object();
        ExpectedEntry seen;
        seen.contact_id = integer(member(e, "contact_id"));
        const json::value& masked = member(e, "email_masked");
        seen.email_masked = masked.is_null() ? "" : std::string(masked.as_string());
        for (const json::value& r : member_array(e, "rules")) {
            seen.rules.emplace_back(r.as_string());
        }
        const json::object& expect = member_object(e, "expect");
        for (const json::value& id : member_array(expect, "ticket_ids")) {
            seen.live_tickets.push_back(integer(id));
        }
        const json::value& updated = member(expect, "contact_updated_at");
        seen.contact_updated_at =
            updated.is_string() ? std::string(updated.as_string()) : json::serialize(updated);
        for (const json::value& s : member_array(e, "steps")) {
            seen.steps.push_back(step_text(s.as_object()));
        }
        result.push_back(line(seen));
    }
    return result;
}

std::string line(const ExpectedEntry& entry) {
    return std::to_string(entry.contact_id) + " " +
           (entry.email_masked.empty() ? "null" : entry.email_masked) + " rules=[" +
           join(entry.rules, ",") + "] live=[" + join_ids(entry.live_tickets) +
           "] updated=" + entry.contact_updated_at + " steps=[" + join(entry.steps, " ") + "]";
}

std::vector<std::string> lines(const std::vector<ExpectedEntry>& entries) {
    std::vector<std::string> result;
    for (const ExpectedEntry& e : entries) {
        result.push_back(line(e));
    }
    return result;
}

std::string delete_tickets(const std::vector<std::int64_t>& ids) {
    return "delete_tickets(ticket_ids=" + join_ids(ids) + ")";
}

std::string delete_contact(const std::string& mode) {
    return "delete_contact(mode=" + mode + ")";
}

std::string mark_pending(const std::string& since) {
    return "mark_pending(since=" + since + ")";
}

std::vector<std::string> protected_lines(const json::object& plan,
                                         const std::set<std::int64_t>& optional_agents) {
    std::vector<std::string> result;
    for (const json::value& item : member_array(plan, "protected")) {
        const json::object& p = item.as_object();
        const std::int64_t id = integer(member(p, "contact_id"));
        const std::string reason = member_string(p, "reason");
        if (reason == "agent" && optional_agents.count(id) != 0) {
            continue;
        }
        result.push_back(std::to_string(id) + " " + reason);
    }
    return result;
}

json::object comparable(json::object plan, bool drop_account) {
    plan.erase("generated_at");
    plan.erase("read_started_at");  // when the reading began: no decision input (docs/plan.md)
    if (drop_account) {
        plan.erase("account");
    }
    return plan;
}

std::string without_generated_at(const std::string& plan_text) {
    static const std::regex generated(R"re("generated_at"\s*:\s*"[^"]*")re");
    // When the reading began is a fact of the run like generated_at, no decision input.
    static const std::regex started(R"re("read_started_at"\s*:\s*"[^"]*")re");
    const std::string text = std::regex_replace(plan_text, generated, "\"generated_at\":\"-\"",
                                                std::regex_constants::format_first_only);
    return std::regex_replace(text, started, "\"read_started_at\":\"-\"",
                              std::regex_constants::format_first_only);
}

json::object sim_get(int port, const std::string& target) {
    simtest::Client client(port);
    const simtest::Reply r = client.get(target);
    if (r.status != 200) {
        throw std::runtime_error(target + ": status " + std::to_string(r.status) + " " + r.body);
    }
    return parse_object(r.body);
}

void check_json_log(const std::string& text) {
    const std::vector<std::string> all = lines(text);
    CHECK_FALSE(all.empty());
    for (const std::string& l : all) {
        INFO("stderr line: " << l);
        boost::system::error_code ec;
        const json::value v = json::parse(l, ec);
        REQUIRE_FALSE(ec);
        REQUIRE(v.is_object());
        for (const char* key : {"ts", "level", "command", "event"}) {
            INFO("key " << key);
            CHECK(v.as_object().contains(key));
        }
    }
}

std::vector<json::object> events(const std::string& err, const std::string& event) {
    std::vector<json::object> found;
    for (const std::string& line : lines(err)) {
        const json::object o = parse_object(line);
        if (member_string(o, "event") == event) {
            found.push_back(o);
        }
    }
    return found;
}

}  // namespace e2e
