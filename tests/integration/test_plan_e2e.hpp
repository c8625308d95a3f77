#pragma once
// Shared by the end-to-end tests of `gdpr-purge plan` and `validate-rules --online`
// (test_plan_e2e*.cpp): the built gdpr-purge binary runs against a freshdesk-sim child process on
// 127.0.0.1, port 0. Expectations come from docs/rules-semantics.md, docs/plan.md and docs/cli.md,
// never from the command's code. The hand-made accounts are
// tests/data/accounts/usecase{1,2,3}_*.json; their dates are relative to kAsOf, which is also the
// simulator's --now.
#include "harness.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace e2e {

inline constexpr const char* kAsOf = "2026-11-29T00:00:00Z";
inline constexpr const char* kSimKey = "sim-api-key";

// tests/data/<relative>.
std::string data_file(const std::string& relative);
// The account and the rules file of use case 1, 2 or 3 (docs/rules-semantics.md, "The three use
// cases").
std::string account_file(int use_case);
std::string rules_file(int use_case);

// freshdesk-sim arguments: the account file (or a --generate spec), the clock at kAsOf, and rate
// limits high enough never to slow a test down; `extra` comes last.
std::vector<std::string> sim_account(const std::string& account,
                                     std::vector<std::string> extra = {});
std::vector<std::string> sim_generated(const std::string& spec,
                                       std::vector<std::string> extra = {});

// A finished run of gdpr-purge.
struct Run {
    int status = -1;  // exit status; -1: killed at the deadline
    std::string out;
    std::string err;
    double seconds = 0;
};

// "FRESHDESK_API_KEY=<key>", for run_cli's environment.
std::string key_env(const std::string& key = kSimKey);

// Runs gdpr-purge `args` through /usr/bin/env in a clean environment: FRESHDESK_DOMAIN,
// FRESHDESK_API_KEY and the proxy variables unset, then `env` assignments ("NAME=value") set.
Run run_cli(const std::vector<std::string>& args, const std::vector<std::string>& env = {key_env()},
            std::chrono::seconds timeout = std::chrono::seconds(180));

// The argv that run_cli runs (/usr/bin/env, clean environment, `env` set), in the directory `cwd`
// when it is not empty (env -C): for simtest::RawProcess, which starts a run without waiting.
std::vector<std::string> cli_argv(const std::vector<std::string>& args,
                                  const std::vector<std::string>& env = {key_env()},
                                  const std::string& cwd = "");

// run_cli with `cwd` as the working directory (apply --rules writes its files there).
Run run_cli_in(const std::string& cwd, const std::vector<std::string>& args,
               const std::vector<std::string>& env = {key_env()},
               std::chrono::seconds timeout = std::chrono::seconds(180));

// `gdpr-purge plan --rules RULES --base-url BASE --as-of kAsOf EXTRA...` with the simulator's key.
Run run_plan(const std::string& base_url, const std::string& rules,
             const std::vector<std::string>& extra,
             const std::vector<std::string>& env = {key_env()},
             std::chrono::seconds timeout = std::chrono::seconds(180));

// POST to a /_sim/ control; fails the test (REQUIRE) unless it answers 200 or 201.
boost::json::object sim_post(int port, const std::string& target, const std::string& body);
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
bool file_exists(const std::string& path);
std::string lower(std::string text);
bool contains(const std::string& haystack, const std::string& needle);
// Lines of `text` that are not empty.
std::vector<std::string> lines(const std::string& text);

// The text parsed as a JSON object; throws std::runtime_error (with the text) otherwise.
boost::json::object parse_object(const std::string& text);
// An integer member (int64 or uint64); throws when absent or not an integer.
std::int64_t integer(const boost::json::value& value);
// obj[key] as an object/array/string; throws with the key when absent or of another kind.
const boost::json::object& member_object(const boost::json::object& obj, const char* key);
const boost::json::array& member_array(const boost::json::object& obj, const char* key);
std::string member_string(const boost::json::object& obj, const char* key);

// One line per plan entry, in file order, with everything the tests compare:
// "ID MASKED rules=[a,b] live=[1,2] updated=TIME steps=[delete_tickets(ticket_ids=1,2) ...]".
std::vector<std::string> entry_lines(const boost::json::object& plan);

// What a test expects of one entry; line() gives the form of entry_lines.
struct ExpectedEntry {
    std::int64_t contact_id = 0;
    std::string email_masked;  // "" for null
    std::vector<std::string> rules;
    std::vector<std::int64_t> live_tickets;  // expect.ticket_ids
    std::string contact_updated_at;
    std::vector<std::string> steps;  // delete_tickets({..}), delete_contact("hard"), ...
};
std::string line(const ExpectedEntry& entry);
std::vector<std::string> lines(const std::vector<ExpectedEntry>& entries);
std::string delete_tickets(const std::vector<std::int64_t>& ids);
std::string delete_contact(const std::string& mode);
std::string mark_pending(const std::string& since);
inline const std::string clear_pending = "clear_pending";

// "ID REASON" per item of the plan's protected list, in file order; items whose contact is in
// `optional_agents` with reason agent are left out (rules-semantics.md, settled 17, allows either).
std::vector<std::string> protected_lines(const boost::json::object& plan,
                                         const std::set<std::int64_t>& optional_agents = {});

// The plan without the keys that legitimately differ between two runs on identical accounts
// (generated_at, read_started_at, and account when the simulators listen on different ports).
boost::json::object comparable(boost::json::object plan, bool drop_account);
// The plan text with the values of "generated_at" and "read_started_at" blanked out.
std::string without_generated_at(const std::string& plan_text);

// GET a /_sim/ endpoint of a plain-HTTP simulator and parse it.
boost::json::object sim_get(int port, const std::string& target);

// Asserts (with Catch2) that `text` is a JSON line log: every line an object with ts, level,
// command and event.
void check_json_log(const std::string& text);
// The JSON log's events of one kind (the lines of `err` whose "event" is `event`).
std::vector<boost::json::object> events(const std::string& err, const std::string& event);

}  // namespace e2e
