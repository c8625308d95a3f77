// Checks of the apply / undo-soft end-to-end tests (test_apply_e2e.hpp): what is wrong with a
// journal, whether entries were re-read before their steps, and a clean plan-and-apply run.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace json = boost::json;

namespace e2e {

// ---- the journal --------------------------------------------------------------------------------

namespace {

const json::object* plan_step(const json::object& plan, std::int64_t contact, std::int64_t index) {
    for (const json::value& e : member_array(plan, "entries")) {
        if (integer(e.at("contact_id")) != contact) {
            continue;
        }
        const json::array& steps = member_array(e.as_object(), "steps");
        if (index >= 0 && static_cast<std::size_t>(index) < steps.size()) {
            return &steps[static_cast<std::size_t>(index)].as_object();
        }
    }
    return nullptr;
}

// The fields of a journal line that must repeat the plan's step.
std::string step_mismatch(const json::object& line, const json::object& step) {
    std::string problems;
    for (const char* key : {"action", "mode", "since"}) {
        if (step.contains(key) && (!line.contains(key) || line.at(key) != step.at(key))) {
            problems += std::string(" ") + key + " differs from the plan's";
        }
    }
    if (step.contains("ticket_ids") &&
        (!line.contains("ticket_ids") || !line.at("ticket_ids").is_array() ||
         ids_of(line, "ticket_ids") != ids_of(step, "ticket_ids"))) {
        problems += " ticket_ids differ from the plan's";
    }
    return problems;
}

// Whether the reason contains one of the '|'-separated needles (case-insensitive).
bool names_one_of(const std::string& reason, const std::string& needles) {
    std::size_t from = 0;
    for (;;) {
        const std::size_t bar = needles.find('|', from);
        if (contains(reason, lower(needles.substr(from, bar - from)))) {
            return true;
        }
        if (bar == std::string::npos) {
            return false;
        }
        from = bar + 1;
    }
}

}  // namespace

std::vector<std::string> journal_problems(
    const std::vector<json::object>& lines, const json::object& plan, const std::string& plan_path,
    const std::map<std::int64_t, std::vector<std::string>>& skipped) {
    std::vector<std::string> problems;
    const std::string sha = sha256_file(plan_path);
    const std::string account = member_string(plan, "account");
    std::map<std::pair<std::int64_t, std::int64_t>, int> done;
    std::map<std::int64_t, std::vector<std::string>> skip_reasons;
    for (const json::object& l : lines) {
        const std::string text = json::serialize(l);
        for (const char* key : {"ts", "run", "account", "plan_sha256", "contact_id", "outcome"}) {
            if (!l.contains(key)) {
                problems.push_back(std::string("no ") + key + ": " + text);
            }
        }
        if (!l.contains("contact_id") || !l.contains("outcome")) {
            continue;
        }
        if (l.contains("account") && l.at("account") != json::value(account)) {
            problems.push_back("another account than the plan's: " + text);
        }
        if (l.contains("plan_sha256") && l.at("plan_sha256") != json::value(sha)) {
            problems.push_back("plan_sha256 is not the plan file's " + sha + ": " + text);
        }
        const std::int64_t contact = integer(l.at("contact_id"));
        const std::string outcome = member_string(l, "outcome");
        if (outcome == "done") {
            const json::value* step = l.if_contains("step");
            const json::object* planned = step != nullptr && (step->is_int64() || step->is_uint64())
                                              ? plan_step(plan, contact, integer(*step))
                                              : nullptr;
            if (planned == nullptr) {
                problems.push_back("done, but no such step in the plan: " + text);
                continue;
            }
            const std::string mismatch = step_mismatch(l, *planned);
            if (!mismatch.empty()) {
                problems.push_back(mismatch + ": " + text);
            }
            ++done[{contact, integer(*step)}];
        } else if (outcome == "skipped") {
            if (!l.contains("step") || !l.at("step").is_null()) {
                problems.push_back("skipped with a step that is not null: " + text);
            }
            skip_reasons[contact].push_back(lower(optional_string(l, "reason")));
        } else if (outcome != "started") {
            problems.push_back("outcome " + outcome + ": " + text);
        }
    }
    for (const json::value& e : member_array(plan, "entries")) {
        const std::int64_t id = integer(e.at("contact_id"));
        const std::size_t steps = member_array(e.as_object(), "steps").size();
        const auto skip = skipped.find(id);
        if (skip != skipped.end()) {
            const auto& reasons = skip_reasons[id];
            const bool named =
                std::any_of(reasons.begin(), reasons.end(), [&](const std::string& r) {
                    return std::all_of(skip->second.begin(), skip->second.end(),
                                       [&](const std::string& n) { return names_one_of(r, n); });
                });
            if (!named) {
                problems.push_back("contact " + std::to_string(id) +
                                   ": no skipped line whose reason names the change");
            }
            for (std::size_t s = 0; s < steps; ++s) {
                if (done.count({id, static_cast<std::int64_t>(s)}) != 0) {
                    problems.push_back("contact " + std::to_string(id) + " skipped, yet step " +
                                       std::to_string(s) + " done");
                }
            }
            continue;
        }
        if (!skip_reasons[id].empty()) {
            problems.push_back("contact " + std::to_string(id) +
                               " skipped: " + skip_reasons[id][0]);
        }
        for (std::size_t s = 0; s < steps; ++s) {
            const int n = done[{id, static_cast<std::int64_t>(s)}];
            if (n != 1) {
                problems.push_back("contact " + std::to_string(id) + " step " + std::to_string(s) +
                                   ": " + std::to_string(n) + " done lines");
            }
        }
    }
    return problems;
}

std::map<std::string, std::set<std::pair<std::int64_t, std::int64_t>>> done_steps_by_run(
    const std::vector<json::object>& lines) {
    std::map<std::string, std::set<std::pair<std::int64_t, std::int64_t>>> result;
    for (const json::object& l : lines) {
        if (optional_string(l, "outcome") != "done" || !l.contains("step") ||
            l.at("step").is_null()) {
            continue;
        }
        result[optional_string(l, "run")].insert(
            {integer(l.at("contact_id")), integer(l.at("step"))});
    }
    return result;
}

// ---- a clean run --------------------------------------------------------------------------------

// Every entry that has steps was looked at before the first request that changes it or its
// tickets (docs/apply.md, "The look for changes"): re-read (GET /contacts/ID and GET
// /tickets?...requester_id=ID), or covered by a whole look made before that request: the tickets
// lists updated since (GET /tickets without requester_id), then the contacts, the blocked
// contacts and the agents (GET /agents ends a look). How long before is the report's
// recheck.longest_look_window_seconds, checked by the caller.
std::vector<std::string> reread_problems(const std::vector<LogEntry>& log,
                                         const json::object& plan) {
    std::vector<std::string> problems;
    for (const json::value& e : member_array(plan, "entries")) {
        const std::int64_t id = integer(e.at("contact_id"));
        const std::string contact = "/api/v2/contacts/" + std::to_string(id);
        std::set<std::string> own = {"DELETE " + contact, "PUT " + contact,
                                     "DELETE " + contact + "/hard_delete"};
        for (const json::value& s : member_array(e.as_object(), "steps")) {
            if (const json::value* t = s.as_object().if_contains("ticket_ids")) {
                for (const json::value& ticket : t->as_array()) {
                    own.insert("DELETE /api/v2/tickets/" + std::to_string(integer(ticket)));
                }
            }
        }
        bool contact_read = false;
        bool tickets_read = false;
        bool look_begun = false;
        bool looked = false;
        for (const LogEntry& l : log) {
            if (l.method == "GET" && l.path == contact) {
                contact_read = true;
            }
            if (l.method == "GET" && l.path == "/api/v2/tickets" &&
                contains(l.target, "requester_id=" + std::to_string(id))) {
                tickets_read = true;
            }
            if (l.method == "GET" && l.path == "/api/v2/tickets" &&
                !contains(l.target, "requester_id=")) {
                look_begun = true;
            }
            if (l.method == "GET" && l.path == "/api/v2/agents" && look_begun) {
                looked = true;
            }
            if (own.count(l.text()) != 0) {
                if (!(contact_read && tickets_read) && !looked) {
                    problems.push_back(l.text() + " before the re-read of contact " +
                                       std::to_string(id) + " and before any look");
                }
                break;
            }
        }
    }
    return problems;
}

// plan -> apply -> the state after it (read once the hard deletions' tickets are gone), with the
// checks every clean run must pass: exit 0, nothing on stdout, one done line per step, exactly
// the plan's mutating requests, each entry re-read first, the report's API calls.
Applied plan_and_apply(simtest::SimProcess& sim, const simtest::TempDir& dir, const Ids& ids,
                       const std::string& rules) {
    Applied a;
    a.plan_path = dir.file("plan.json");
    a.plan = make_plan(sim.base_url(), rules, a.plan_path);
    REQUIRE(step_count(a.plan) > 0);
    a.before = sim_state(sim.port(), ids);
    const std::int64_t start = log_next(sim.port());
    const std::int64_t requests = api_requests(sim.port());

    const Run run = run_apply(sim.base_url(), a.plan_path, {"--report", dir.file("report.json")});
    INFO("apply stderr: " << run.err);
    CHECK(run.status == 0);
    CHECK(run.out.empty());
    const std::string journal_path = a.plan_path + ".journal.jsonl";  // cli.md: the default
    REQUIRE(file_exists(journal_path));
    CHECK(journal_problems(journal(journal_path), a.plan, a.plan_path) ==
          std::vector<std::string>{});

    a.log = sim_log(sim.port(), start);
    CHECK(mutations(a.log) == expected_mutations(a.plan));
    CHECK(reread_problems(a.log, a.plan) == std::vector<std::string>{});

    const json::object report = parse_object(read_file(dir.file("report.json")));
    INFO("report: " << json::serialize(report));
    CHECK(member_string(report, "command") == "apply");
    CHECK(integer(report.at("exit_code")) == 0);
    const json::object& recheck = member_object(report, "recheck");
    CHECK(recheck.at("longest_look_window_seconds").to_number<double>() <= 20.0);
    CHECK(integer(member_object(report, "api").at("calls")) == api_requests(sim.port()) - requests);

    sim_advance_clock(sim.port(), 10);  // past job_seconds: hard-deleted tickets are gone
    a.after = sim_state(sim.port(), ids);
    return a;
}

}  // namespace e2e
