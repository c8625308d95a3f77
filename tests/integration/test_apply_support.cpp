// Helpers of the apply tests (test_apply_support.hpp).
#include "test_apply_support.hpp"

#include "engine/engine.hpp"
#include "reader/reader.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace applytest {

namespace ex = gp::executor;

UnixTime now_time() {
    return *gp::parse_timestamp(kNow);
}

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "gp-test-apply-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

std::string data_file(const std::string& relative) {
    return std::string(GP_TEST_DATA_DIR) + "/" + relative;
}

std::string usecase_account(int n) {
    static const char* files[] = {"usecase1_inactive_vip.json", "usecase2_camping_responder.json",
                                  "usecase3_old_incidents.json"};
    return data_file(std::string("accounts/") + files[n - 1]);
}

std::string usecase_rules(int n) {
    static const char* files[] = {"usecase1_inactive_vip.json", "usecase2_camping_responder.json",
                                  "usecase3_old_incidents.json"};
    return data_file(std::string("rules/") + files[n - 1]);
}

gp::Rules load_rules(const std::string& path) {
    const auto parsed = gp::load_rules_file(path);
    INFO(path);
    REQUIRE(parsed.rules);
    return *parsed.rules;
}

gp::Rules rules_text(const std::string& text) {
    const auto parsed = gp::parse_rules(text);
    INFO(text);
    REQUIRE(parsed.rules);
    return *parsed.rules;
}

simtest::InProcessOptions account_options(const std::string& account_file) {
    simtest::InProcessOptions options;
    options.account_file = account_file;
    options.now = kNow;
    options.rate_limit_total = 1'000'000;
    options.job_seconds = 1;
    return options;
}

namespace {

gp::freshdesk::Policy unpaced() {
    gp::freshdesk::Policy policy;
    policy.rate_limit = 1'000'000;
    return policy;
}

}  // namespace

simtest::InProcessOptions Account::tampered(simtest::InProcessOptions options) {
    options.tamper = [slot = slot_](const gp::http::Request& request,
                                    gp::http::Response& response) {
        TamperFn fn;
        {
            std::lock_guard lock(slot->mutex);
            fn = slot->fn;
        }
        if (fn) {
            fn(request, response);
        }
    };
    return options;
}

Account::Account(simtest::InProcessOptions options)
    : sim(tampered(std::move(options))),
      client(gate, gp::freshdesk::ApiKey("sim-api-key"), unpaced(), clock) {}

gp::http::Result Gate::send(const gp::http::Request& request) {
    BlockFn fn;
    {
        std::lock_guard lock(mutex_);
        fn = fn_;
    }
    if (fn) {
        if (auto answer = fn(request)) {
            return *answer;
        }
    }
    return next_.send(request);
}

void Gate::set(BlockFn fn) {
    std::lock_guard lock(mutex_);
    fn_ = std::move(fn);
}

void Account::set_tamper(TamperFn fn) {
    std::lock_guard lock(slot_->mutex);
    slot_->fn = std::move(fn);
}

json::object Account::state(const std::string& query) {
    const auto response = sim.control("GET", "/_sim/state" + (query.empty() ? "" : "?" + query));
    REQUIRE(response.status == 200);
    return json::parse(response.body).as_object();
}

std::string Account::contact_state(Id id) {
    const json::value c = state("contact=" + std::to_string(id)).at("contact");
    if (c.is_null()) {
        return "unknown";
    }
    if (c.as_object().contains("agent")) {
        return "agent";
    }
    return std::string(c.at("state").as_string());
}

std::vector<std::string> Account::tags(Id id) {
    const json::value c = state("contact=" + std::to_string(id)).at("contact");
    REQUIRE(c.is_object());
    std::vector<std::string> out;
    for (const auto& t : c.at("tags").as_array()) {
        out.emplace_back(t.as_string());
    }
    return out;
}

std::string Account::seen(Id ticket) {
    const json::value t = state("ticket=" + std::to_string(ticket)).at("ticket");
    return t.is_null() ? "none" : std::string(t.at("seen").as_string());
}

json::value Account::control(const std::string& method, const std::string& target,
                             const std::string& body) {
    const auto response = sim.control(method, target, body);
    INFO(method << " " << target << " " << body << " -> " << response.status << " "
                << response.body);
    REQUIRE(response.status / 100 == 2);
    return response.body.empty() ? json::value() : json::parse(response.body);
}

gp::Plan make_plan(Account& account, const gp::Rules& rules, UnixTime as_of) {
    gp::reader::ReadOptions options;
    options.as_of = as_of;
    options.now = account.sim.clock().now();
    const gp::Snapshot snapshot = gp::reader::read_account(account.client, rules, options);
    gp::Plan plan = gp::evaluate(snapshot, rules, as_of);
    plan.header.account = "sim.freshdesk.example";
    plan.header.generated_at = gp::format_timestamp(as_of);
    plan.header.archive = gp::ArchiveCoverage{};  // these accounts archive nothing: complete
    return plan;
}

ex::ApplyOptions fast_options() {
    ex::ApplyOptions options;
    options.first_job_poll = std::chrono::milliseconds(200);
    options.max_job_poll = std::chrono::milliseconds(400);
    options.job_timeout = std::chrono::seconds(30);
    return options;
}

ApplyRun run_apply(Account& account, const gp::Plan& plan, const std::string& journal_path,
                   const ex::ApplyOptions& options) {
    const std::size_t before_records =
        ex::read_journal(journal_path, ex::MissingJournal::empty).size();
    const Counts before = account.requests();
    ApplyRun run;
    {
        ex::Journal journal(journal_path);
        run.totals = ex::apply_plan(account.client, plan, kPlanSha, journal, options);
    }
    run.requests = diff(before, account.requests());
    const auto all = ex::read_journal(journal_path, ex::MissingJournal::empty);
    run.records.assign(all.begin() + static_cast<std::ptrdiff_t>(before_records), all.end());
    return run;
}

Counts diff(const Counts& before, const Counts& after) {
    Counts out;
    for (const auto& [endpoint, n] : after) {
        const auto it = before.find(endpoint);
        const std::int64_t d = n - (it == before.end() ? 0 : it->second);
        if (d != 0) {
            out[endpoint] = d;
        }
    }
    return out;
}

std::int64_t count(const Counts& counts, const std::string& endpoint) {
    const auto it = counts.find(endpoint);
    return it == counts.end() ? 0 : it->second;
}

std::int64_t writes(const Counts& counts) {
    std::int64_t n = 0;
    for (const auto& [endpoint, k] : counts) {
        n += endpoint.rfind("GET ", 0) == 0 ? 0 : k;
    }
    return n;
}

std::string show(const Counts& counts) {
    std::string text = "requests:";
    for (const auto& [endpoint, n] : counts) {
        text += "\n  " + endpoint + ": " + std::to_string(n);
    }
    return text;
}

std::string show(const std::vector<ex::JournalRecord>& records) {
    std::string text = "journal:";
    for (const auto& r : records) {
        text += "\n  " + ex::to_json_line(r);
    }
    return text;
}

World world(Account& account, const std::vector<Id>& contact_ids) {
    World w;
    for (Id id : contact_ids) {
        const json::value c = account.state("contact=" + std::to_string(id)).at("contact");
        REQUIRE(c.is_object());
        w.contacts[id] = c.as_object();
    }
    for (Id id = 1;; ++id) {
        const json::value t = account.state("ticket=" + std::to_string(id)).at("ticket");
        if (t.is_null()) {
            break;
        }
        w.tickets[id] = t.as_object();
    }
    return w;
}

std::vector<Id> contact_ids_of(const std::string& account_file) {
    std::ifstream in(account_file);
    std::stringstream text;
    text << in.rdbuf();
    const json::value account = json::parse(text.str());
    std::vector<Id> ids;
    for (const auto& c : account.at("contacts").as_array()) {
        ids.push_back(c.at("id").as_int64());
    }
    return ids;
}

namespace {

std::string lower(std::string text) {
    for (char& ch : text) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return text;
}

bool is_pending(const std::string& tag) {
    return gp::pending_since({tag}).has_value();
}

bool has_tag(const std::vector<std::string>& tags, const std::string& tag) {
    return std::any_of(tags.begin(), tags.end(),
                       [&](const std::string& t) { return lower(t) == lower(tag); });
}

std::vector<std::string> tags_of(const json::object& contact) {
    std::vector<std::string> out;
    for (const auto& t : contact.at("tags").as_array()) {
        out.emplace_back(t.as_string());
    }
    return out;
}

const gp::Entry* find_entry(const gp::Plan& plan, Id id) {
    for (const auto& e : plan.entries) {
        if (e.contact_id == id) {
            return &e;
        }
    }
    return nullptr;
}

}  // namespace

const gp::Entry& entry_of(const gp::Plan& plan, Id contact_id) {
    const gp::Entry* e = find_entry(plan, contact_id);
    INFO("contact " << contact_id);
    REQUIRE(e != nullptr);
    return *e;
}

std::vector<ex::JournalRecord> records_of(const std::vector<ex::JournalRecord>& records,
                                          Id contact_id) {
    std::vector<ex::JournalRecord> out;
    std::copy_if(records.begin(), records.end(), std::back_inserter(out),
                 [&](const ex::JournalRecord& r) { return r.contact_id == contact_id; });
    return out;
}

void check_applied(const World& before, const World& after, const gp::Plan& plan) {
    std::set<Id> planned_tickets;
    std::set<Id> planned_archived;  // deleted for good: no trash
    std::set<Id> hard_deleted;
    for (const auto& [id, contact] : before.contacts) {
        INFO("contact " << id << " before: " << json::serialize(contact));
        const json::object& now = after.contacts.at(id);
        INFO("after: " << json::serialize(now));
        const gp::Entry* entry = find_entry(plan, id);
        if (entry == nullptr) {
            CHECK(json::serialize(now) == json::serialize(contact));
            continue;
        }
        std::string state(contact.at("state").as_string());
        std::vector<std::string> tags = tags_of(contact);
        for (const gp::Step& step : entry->steps) {
            switch (step.action) {
                case gp::StepAction::delete_tickets:
                    planned_tickets.insert(step.ticket_ids.begin(), step.ticket_ids.end());
                    break;
                case gp::StepAction::delete_archived_tickets:
                    planned_archived.insert(step.ticket_ids.begin(), step.ticket_ids.end());
                    break;
                case gp::StepAction::delete_contact:
                    if (step.mode == gp::DeleteMode::soft) {
                        state = "soft_deleted";
                        std::erase_if(tags, is_pending);
                        if (!has_tag(tags, "gdpr-purge-deleted")) {
                            tags.emplace_back("gdpr-purge-deleted");
                        }
                        break;
                    }
                    [[fallthrough]];
                case gp::StepAction::purge_soft_deleted:
                    state = "hard_deleted";
                    hard_deleted.insert(id);
                    break;
                case gp::StepAction::mark_pending:
                    if (!has_tag(tags, "gdpr-purge-pending-" + step.since)) {
                        tags.push_back("gdpr-purge-pending-" + step.since);
                    }
                    break;
                case gp::StepAction::clear_pending:
                    std::erase_if(tags, is_pending);
                    break;
            }
        }
        CHECK(now.at("state").as_string() == state);
        if (state != "hard_deleted") {
            CHECK(tags_of(now) == tags);
        }
    }
    for (const auto& [id, ticket] : before.tickets) {
        INFO("ticket " << id << " before: " << json::serialize(ticket));
        REQUIRE(after.tickets.count(id) == 1);
        const json::object& now = after.tickets.at(id);
        INFO("after: " << json::serialize(now));
        const json::value& requester = ticket.at("requester_id");
        const bool taken = requester.is_int64() && hard_deleted.count(requester.as_int64()) == 1;
        const std::string seen(now.at("seen").as_string());
        if (planned_tickets.count(id) == 1) {
            CHECK(ticket.at("seen").as_string() == "live");
            CHECK((seen == "trash" || (taken && seen == "gone")));
        } else if (planned_archived.count(id) == 1) {
            CHECK(ticket.at("seen").as_string() == "archived");
            CHECK(seen == "gone");
        } else if (taken) {
            CHECK((seen == "gone" || seen == ticket.at("seen").as_string()));
        } else {
            CHECK(json::serialize(now) == json::serialize(ticket));
        }
    }
}

void check_one_done_per_step(const std::vector<ex::JournalRecord>& records, const gp::Plan& plan) {
    INFO(show(records));
    std::map<std::pair<Id, int>, int> done;
    for (const auto& r : records) {
        CHECK((r.outcome == ex::Outcome::done || r.outcome == ex::Outcome::started));
        CHECK(r.source == gp::executor::JournalSource::plan);
        CHECK(r.source_sha256 == kPlanSha);
        CHECK(r.account == plan.header.account);
        REQUIRE(r.step);
        if (r.outcome == ex::Outcome::done) {
            ++done[{r.contact_id, *r.step}];
        }
    }
    std::size_t steps = 0;
    for (const auto& e : plan.entries) {
        for (std::size_t k = 0; k < e.steps.size(); ++k, ++steps) {
            INFO("contact " << e.contact_id << " step " << k);
            CHECK(done[{e.contact_id, static_cast<int>(k)}] == 1);
            for (const auto& r : records_of(records, e.contact_id)) {
                if (r.step == static_cast<int>(k)) {
                    CHECK(r.action == gp::to_string(e.steps[k].action));
                }
            }
        }
    }
    CHECK(done.size() == steps);
}

}  // namespace applytest
