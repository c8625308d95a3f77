// Helpers of the apply / undo-soft end-to-end tests (test_apply_e2e.hpp): the simulator's
// controls, runs of the binary, journals, and the account's state before and after.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <thread>

namespace json = boost::json;

namespace e2e {

std::string soft_rules_file() {
    return data_file("rules/apply_soft_immediate.json");
}

std::string bulk_account_file() {
    return data_file("accounts/apply_bulk_purge.json");
}

// ---- the simulator's controls -------------------------------------------------------------------

void sim_advance_clock(int port, int seconds) {
    sim_post(port, "/_sim/clock", "{\"advance_seconds\":" + std::to_string(seconds) + "}");
}

void sim_set_clock(int port, const std::string& now) {
    sim_post(port, "/_sim/clock", "{\"now\":\"" + now + "\"}");
}

void sim_set_faults(int port, const std::string& body) {
    sim_post(port, "/_sim/faults", body);
}

std::int64_t api_requests(int port) {
    const json::object stats = sim_get(port, "/_sim/stats");
    return integer(member_object(stats, "totals").at("requests"));
}

std::vector<LogEntry> sim_log(int port, std::int64_t since) {
    std::vector<LogEntry> result;
    simtest::Client client(port);
    for (;;) {
        const simtest::Reply r = client.get("/_sim/log?since=" + std::to_string(since));
        REQUIRE(r.status == 200);
        const json::object log = parse_object(r.body);
        const json::array& entries = member_array(log, "entries");
        if (entries.empty()) {
            break;
        }
        for (const json::value& v : entries) {
            const json::object& e = v.as_object();
            LogEntry entry;
            entry.index = integer(e.at("index"));
            entry.method = member_string(e, "method");
            entry.target = member_string(e, "target");
            entry.path = entry.target.substr(0, entry.target.find('?'));
            entry.status = static_cast<int>(integer(e.at("status")));
            result.push_back(entry);
        }
        const std::int64_t next = integer(log.at("next"));
        if (next <= since) {
            break;
        }
        since = next;
    }
    return result;
}

std::int64_t log_next(int port) {
    // The log's "next" is the index after the entries it returns: read to the end.
    const std::vector<LogEntry> all = sim_log(port, 0);
    return all.empty() ? 0 : all.back().index + 1;
}

std::vector<std::string> mutations(const std::vector<LogEntry>& log, bool only_success) {
    std::vector<std::string> result;
    for (const LogEntry& e : log) {
        if (e.method == "GET" || e.path.rfind("/api/v2/", 0) != 0) {
            continue;
        }
        if (only_success && (e.status < 200 || e.status > 299)) {
            continue;
        }
        result.push_back(e.text());
    }
    std::sort(result.begin(), result.end());
    return result;
}

// ---- running the binary -------------------------------------------------------------------------

json::object make_plan(const std::string& base_url, const std::string& rules,
                       const std::string& path, const std::string& as_of) {
    const Run run = run_cli({"plan", "--rules", rules, "--base-url", base_url, "--as-of", as_of,
                             "--out", path, "--quiet"});
    INFO("plan stderr: " << run.err);
    REQUIRE(run.status == 0);
    return parse_object(read_file(path));
}

std::vector<std::string> apply_args(const std::string& base_url, const std::string& plan,
                                    const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"apply",       plan,           "--base-url", base_url,
                                     "--lock-file", plan + ".lock", "--yes"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

Run run_apply(const std::string& base_url, const std::string& plan,
              const std::vector<std::string>& extra, const std::vector<std::string>& env) {
    return run_cli(apply_args(base_url, plan, extra), env, kApplyTimeout);
}

Run run_undo(const std::string& base_url, const std::string& journal_path,
             const std::vector<std::string>& extra, const std::vector<std::string>& env) {
    std::vector<std::string> args = {"undo-soft", journal_path,  "--base-url",
                                     base_url,    "--lock-file", journal_path + ".lock"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, env, kApplyTimeout);
}

std::unique_ptr<simtest::RawProcess> start_apply(const std::string& base_url,
                                                 const std::string& plan,
                                                 const std::vector<std::string>& extra) {
    return std::make_unique<simtest::RawProcess>(cli_argv(apply_args(base_url, plan, extra)));
}

// ---- files --------------------------------------------------------------------------------------

std::string sha256_file(const std::string& path) {
    const simtest::CommandResult r = simtest::run_command({"sha256sum", path});
    REQUIRE(r.status == 0);
    return r.out.substr(0, 64);
}

std::size_t complete_lines(const std::string& path) {
    if (!file_exists(path)) {
        return 0;
    }
    const std::string text = read_file(path);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

bool wait_for_lines(const std::string& path, std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (complete_lines(path) < count) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::vector<json::object> journal(const std::string& path) {
    std::vector<json::object> result;
    for (const std::string& l : lines(read_file(path))) {
        INFO("journal " << path << " line: " << l);
        REQUIRE_NOTHROW(result.push_back(parse_object(l)));
    }
    return result;
}

std::vector<std::string> files_ending(const std::string& dir, const std::string& suffix) {
    std::vector<std::string> result;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        const std::string name = f.path().filename().string();
        if (name.size() >= suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            result.push_back(f.path().string());
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

std::string utc_now(std::chrono::seconds offset) {
    const std::time_t t =
        std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string replace_string_value(const std::string& text, const std::string& key,
                                 const std::string& value) {
    const std::size_t k = text.find("\"" + key + "\"");
    REQUIRE(k != std::string::npos);
    const std::size_t colon = text.find(':', k + key.size() + 2);
    const std::size_t open = text.find('"', colon);
    const std::size_t close = text.find('"', open + 1);
    REQUIRE(close != std::string::npos);
    return text.substr(0, open + 1) + value + text.substr(close);
}

// ---- the plan -----------------------------------------------------------------------------------

std::vector<std::int64_t> ids_of(const json::object& obj, const char* key) {
    std::vector<std::int64_t> ids;
    for (const json::value& v : member_array(obj, key)) {
        ids.push_back(integer(v));
    }
    return ids;
}

std::string optional_string(const json::object& obj, const char* key) {
    const json::value* v = obj.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

bool is_pending_tag(const std::string& tag) {
    const std::string prefix = kPendingPrefix;
    return lower(tag).rfind(prefix, 0) == 0 && tag.size() == prefix.size() + 10;
}

std::size_t step_count(const json::object& plan) {
    std::size_t n = 0;
    for (const json::value& e : member_array(plan, "entries")) {
        n += member_array(e.as_object(), "steps").size();
    }
    return n;
}

std::set<std::int64_t> entry_contacts(const json::object& plan) {
    std::set<std::int64_t> ids;
    for (const json::value& e : member_array(plan, "entries")) {
        ids.insert(integer(e.at("contact_id")));
    }
    return ids;
}

std::set<std::int64_t> contacts_with(const json::object& plan, const std::string& action,
                                     const std::string& mode) {
    std::set<std::int64_t> ids;
    for (const json::value& e : member_array(plan, "entries")) {
        for (const json::value& s : member_array(e.as_object(), "steps")) {
            const json::object& step = s.as_object();
            if (member_string(step, "action") == action &&
                (mode.empty() || optional_string(step, "mode") == mode)) {
                ids.insert(integer(e.at("contact_id")));
            }
        }
    }
    return ids;
}

std::vector<std::string> expected_mutations(const json::object& plan,
                                            const std::set<std::int64_t>& skipped) {
    std::vector<std::string> result;
    for (const json::value& e : member_array(plan, "entries")) {
        const std::int64_t id = integer(e.at("contact_id"));
        if (skipped.count(id) != 0) {
            continue;
        }
        const std::string contact = "/api/v2/contacts/" + std::to_string(id);
        for (const json::value& s : member_array(e.as_object(), "steps")) {
            const json::object& step = s.as_object();
            const std::string action = member_string(step, "action");
            if (action == "delete_tickets") {
                const std::vector<std::int64_t> tickets = ids_of(step, "ticket_ids");
                if (tickets.size() >= 4) {
                    for (std::size_t i = 0; i < tickets.size(); i += 100) {
                        result.push_back("POST /api/v2/tickets/bulk_delete");
                    }
                } else {
                    for (std::int64_t t : tickets) {
                        result.push_back("DELETE /api/v2/tickets/" + std::to_string(t));
                    }
                }
            } else if (action == "delete_contact" && optional_string(step, "mode") == "hard") {
                result.push_back("DELETE " + contact);
                result.push_back("DELETE " + contact + "/hard_delete");
            } else if (action == "delete_contact") {
                result.push_back("PUT " + contact);
                result.push_back("DELETE " + contact);
            } else if (action == "mark_pending" || action == "clear_pending") {
                result.push_back("PUT " + contact);
            } else if (action == "purge_soft_deleted") {
                result.push_back("DELETE " + contact + "/hard_delete");
            } else {
                FAIL("unknown action in the plan: " << action);
            }
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

}  // namespace e2e
