// lib/reader against the simulated account, in process: the plan evaluated on what read_account()
// reads equals the plan of a full read (every contact's full record, every ticket with its stats,
// taken from the simulator's own state, not from the API), at a cost close to the strategy's own
// lower bound and within performance.md's target.
#include "account/account.hpp"
#include "archive/index.hpp"
#include "clock.hpp"
#include "engine/engine.hpp"
#include "freshdesk/client.hpp"
#include "freshdesk/read.hpp"
#include "instant_clock.hpp"
#include "reader/reader.hpp"
#include "reader/reader_detail.hpp"
#include "rules/rules.hpp"
#include "sim_http.hpp"
#include "util/text.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace {

namespace json = boost::json;
using gp::Id;
using gp::UnixTime;

constexpr Id first_person_id = 43'000'001'001;  // the generator's first contact or agent id
constexpr UnixTime day = gp::seconds_per_day;
const std::string sim_now = "2026-11-29T00:00:00Z";

using simtest::InstantClock;

gp::freshdesk::Policy fast_policy() {
    gp::freshdesk::Policy policy;
    policy.rate_limit = 1'000'000;
    return policy;
}

simtest::InProcessOptions generated(const std::string& spec, bool list_tags = true,
                                    int page_cap = 300) {
    simtest::InProcessOptions options;
    options.generate = spec;
    options.now = sim_now;
    options.ticket_list_tags = list_tags;
    options.tickets_page_cap = page_cap;
    options.rate_limit_total = 1'000'000;
    return options;
}

// A simulated account and a client on it.
struct SimAccount {
    explicit SimAccount(const simtest::InProcessOptions& options)
        : sim(options), client(sim, gp::freshdesk::ApiKey("sim-api-key"), fast_policy(), clock) {}
    simtest::InProcessSim sim;
    InstantClock clock;
    gp::freshdesk::Client client;
};

UnixTime at(const std::string& text) {
    const auto t = gp::parse_time_arg(text);
    REQUIRE(t);
    return *t;
}

// ---- the oracle: a full read from the simulator's state (no API involved)

json::object sim_state(simtest::InProcessSim& sim, const std::string& query) {
    const auto response = sim.control("GET", "/_sim/state" + (query.empty() ? "" : "?" + query));
    REQUIRE(response.status == 200);
    return json::parse(response.body).as_object();
}

UnixTime time_of(const json::value& v) {
    return v.is_null() ? gp::no_time : *gp::parse_timestamp(v.as_string());
}
Id id_of(const json::value& v) {
    return v.is_null() ? gp::no_id : v.as_int64();
}
std::string text_of(const json::value& v) {
    return v.is_null() ? "" : std::string(v.as_string());
}
std::vector<std::string> texts_of(const json::value& v) {
    std::vector<std::string> out;
    for (const auto& item : v.as_array()) {
        out.push_back(text_of(item));
    }
    return out;
}

void add_person(gp::Snapshot& full, const json::object& c) {
    if (c.contains("agent")) {
        full.agents.push_back({c.at("id").as_int64(), text_of(c.at("email"))});
        return;
    }
    const auto state = c.at("state").as_string();
    if (state != "active" && state != "soft_deleted") {
        return;  // blocked contacts are left alone (docs/reading.md); hard-deleted ones are gone
    }
    gp::Contact x;
    x.id = c.at("id").as_int64();
    x.email = text_of(c.at("email"));
    x.other_emails = texts_of(c.at("other_emails"));
    x.company_id = id_of(c.at("company_id"));
    for (const auto& company : c.at("other_companies").as_array()) {
        x.other_company_ids.push_back(company.as_int64());
    }
    x.tags = texts_of(c.at("tags"));
    x.created_at = time_of(c.at("created_at"));
    x.updated_at = time_of(c.at("updated_at"));
    x.state = state == "soft_deleted" ? gp::ContactState::soft_deleted : gp::ContactState::active;
    full.contacts.push_back(std::move(x));
}

void add_ticket(gp::Snapshot& full, const json::object& t) {
    const auto seen = t.at("seen").as_string();
    if (seen != "live" && seen != "spam" && seen != "trash" && seen != "archived") {
        return;
    }
    gp::TicketRecord r;
    r.id = t.at("id").as_int64();
    r.requester_id = id_of(t.at("requester_id"));
    r.responder_id = id_of(t.at("responder_id"));
    r.group_id = id_of(t.at("group_id"));
    if (!t.at("type").is_null()) {
        r.type = text_of(t.at("type"));
    }
    r.tags = texts_of(t.at("tags"));
    r.status = static_cast<int>(t.at("status").as_int64());
    r.spam = t.at("spam").as_bool();
    r.deleted = seen == "trash";
    r.created_at = time_of(t.at("created_at"));
    r.updated_at = time_of(t.at("updated_at"));
    r.closed_at = time_of(t.at("stats").at("closed_at"));
    if (seen == "archived") {
        // docs/rules.md: an archived ticket's close time is its updated_at (no statistics).
        r.archived = true;
        r.closed_at = gp::no_time;
    }
    full.add_ticket(r);
}

std::int64_t sum_of(const json::object& counts) {
    std::int64_t n = 0;
    for (const auto& kv : counts) {
        n += kv.value().as_int64();
    }
    return n;
}

// Every contact (full record), agent and ticket (with stats) the account shows, scanned id by id
// from the simulator's state; the names from the API's lists.
gp::Snapshot full_read(SimAccount& account) {
    gp::Snapshot full;
    full.groups = gp::freshdesk::list_groups(account.client);
    full.companies = gp::freshdesk::list_companies(account.client);
    full.ticket_types = gp::freshdesk::list_ticket_types(account.client);
    const auto counts = sim_state(account.sim, "").at("counts").as_object();
    const std::int64_t people =
        sum_of(counts.at("contacts").as_object()) + counts.at("agents").as_int64();
    const std::int64_t tickets = sum_of(counts.at("tickets").as_object());
    std::int64_t found = 0;
    Id person = first_person_id;
    for (Id ticket = 1; found < people || ticket <= tickets; ++ticket, ++person) {
        REQUIRE(person < first_person_id + 10 * people + 1000);  // the scan must end
        std::string query = found < people ? "contact=" + std::to_string(person) : "";
        if (ticket <= tickets) {
            query += (query.empty() ? "ticket=" : "&ticket=") + std::to_string(ticket);
        }
        const auto state = sim_state(account.sim, query);
        if (const auto* c = state.if_contains("contact"); c != nullptr && !c->is_null()) {
            ++found;
            add_person(full, c->as_object());
        }
        if (const auto* t = state.if_contains("ticket"); t != nullptr && !t->is_null()) {
            add_ticket(full, t->as_object());
        }
    }
    return full;
}

// ---- comparing plans

// "last closed 2025-01-02T03:04:05Z" in full, "last closed at or before 2025-02-01T00:00:00Z" in
// read: the reader read that contact's tickets without stats (docs/reading.md), so the reason may
// name an upper bound of the close time instead of the close time. Anything else must be equal.
bool reasons_agree(const std::string& full, const std::string& read) {
    static const std::regex closed(
        R"(last closed (at or before )?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ))");
    const auto normalized = [](const std::string& text) {
        return std::regex_replace(text, closed, "last closed <time>");
    };
    if (normalized(full) != normalized(read)) {
        return false;
    }
    std::sregex_iterator f(full.begin(), full.end(), closed);
    std::sregex_iterator r(read.begin(), read.end(), closed);
    for (; f != std::sregex_iterator() && r != std::sregex_iterator(); ++f, ++r) {
        const bool same = (*f)[0].str() == (*r)[0].str();
        const bool bound = (*r)[1].matched && (*r)[2].str() >= (*f)[2].str();
        if (!same && !bound) {
            return false;
        }
    }
    return true;
}

std::string describe(const gp::Entry& e) {
    std::ostringstream out;
    out << e.contact_id << " [";
    for (const auto& rule : e.rules) {
        out << rule << " ";
    }
    out << "] " << e.reason << " steps=" << e.steps.size()
        << " tickets=" << e.expect.ticket_ids.size();
    return out.str();
}

std::string id_difference(const std::vector<Id>& a, const std::vector<Id>& b) {
    std::vector<Id> only_a;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
    std::string text;
    for (std::size_t i = 0; i < only_a.size() && i < 10; ++i) {
        text += std::to_string(only_a[i]) + " ";
    }
    return text + (only_a.size() > 10 ? "..." : "");
}

std::vector<Id> entry_ids(const gp::Plan& plan) {
    std::vector<Id> ids;
    for (const auto& e : plan.entries) {
        ids.push_back(e.contact_id);
    }
    return ids;
}

using Reasons = std::map<Id, std::set<gp::ProtectionReason>>;

Reasons reasons_of(const gp::Plan& plan) {
    Reasons out;
    for (const auto& p : plan.protected_contacts) {
        out[p.contact_id].insert(p.reason);
    }
    return out;
}

bool is_active_contact(const gp::Snapshot& full, Id id) {
    return std::any_of(full.contacts.begin(), full.contacts.end(), [&](const gp::Contact& c) {
        return c.id == id && c.state == gp::ContactState::active;
    });
}

// The default reading lists a contact that its tickets show protected (a responder) without
// viewing it: the full read's protected contacts, each with the reasons its tickets show at
// least, plus maybe requesters that are no active contact (not viewed, so not known).
void require_ticket_protection(const gp::Plan& full, const gp::Plan& read,
                               const gp::Snapshot& full_snapshot) {
    const Reasons f = reasons_of(full);
    const Reasons r = reasons_of(read);
    const std::set<gp::ProtectionReason> responder{gp::ProtectionReason::responder};
    for (const auto& [id, reasons] : f) {
        INFO("protected contact " << id);
        REQUIRE(r.count(id) == 1);
        const auto& got = r.at(id);
        CHECK(std::includes(reasons.begin(), reasons.end(), got.begin(), got.end()));
        CHECK((got == reasons || got == responder));
    }
    for (const auto& [id, reasons] : r) {
        if (f.count(id) == 0) {
            INFO("listed, not protected in the full read: " << id);
            CHECK(reasons == responder);
            CHECK_FALSE(is_active_contact(full_snapshot, id));
        }
    }
}

// Entries equal (reasons up to the close-time bound); the protected list equal too when every
// candidate was viewed, else as require_ticket_protection() says.
void require_same_plan(const gp::Plan& full, const gp::Plan& read,
                       const gp::Snapshot* unviewed_protection = nullptr) {
    const auto full_ids = entry_ids(full);
    const auto read_ids = entry_ids(read);
    INFO("only in the full read's plan: " << id_difference(full_ids, read_ids));
    INFO("only in the reader's plan: " << id_difference(read_ids, full_ids));
    REQUIRE(full_ids == read_ids);
    for (std::size_t i = 0; i < full.entries.size(); ++i) {
        gp::Entry a = full.entries[i];
        gp::Entry b = read.entries[i];
        INFO("full:   " << describe(a));
        INFO("reader: " << describe(b));
        REQUIRE(reasons_agree(a.reason, b.reason));
        a.reason.clear();
        b.reason.clear();
        REQUIRE(a == b);
    }
    gp::Summary s = full.header.summary;
    gp::Summary t = read.header.summary;
    s.contacts_read = t.contacts_read = 0;
    s.tickets_read = t.tickets_read = 0;
    if (unviewed_protection != nullptr) {
        require_ticket_protection(full, read, *unviewed_protection);
        s.protected_counts = t.protected_counts = {};
    } else {
        REQUIRE(full.protected_contacts.size() == read.protected_contacts.size());
        REQUIRE(full.protected_contacts == read.protected_contacts);
    }
    REQUIRE(s == t);
}

// ---- rules

gp::Rules rules_from_file(const std::string& path) {
    const auto parsed = gp::load_rules_file(path);
    INFO(path);
    REQUIRE(parsed.rules);
    return *parsed.rules;
}

gp::Rules rules_from_text(const std::string& text) {
    const auto parsed = gp::parse_rules(text);
    REQUIRE(parsed.rules);
    return *parsed.rules;
}

std::string usecase(const std::string& file) {
    return GP_TEST_DATA_DIR "/rules/" + file;
}
const std::string example_rules = GP_SOURCE_DIR "/rules.example.json";

// Tag conditions, every `since`, resolved counted as closed, orphans by creation, soft deletion.
const std::string tag_rules = R"({"version":1,"ticket_rules":[
 {"name":"urgent-old","tags":["urgent","Refund"],"older_than":"30d","since":"closed","scope":"ticket"},
 {"name":"billing-contacts","groups":["Billing"],"tags":["billing"],"older_than":"1y",
  "since":"updated","scope":"contact"},
 {"name":"questions","types":["Question"],"older_than":"200d","since":"created","scope":"ticket"}],
 "contact_policy":{"keep_contact":false,"delete_mode":"soft","delete_after":"60d",
  "purge_soft_deleted_after":"30d"},
 "orphan_contacts":{"older_than":"1y","since":"created"},
 "exceptions":{"tags":["VIP"],"emails":["ceo@example.com"],"companies":["Acme Corp"],
  "responders":["keeper@example.com"]},
 "closed_statuses":["closed","resolved"]})";

struct RulesCase {
    std::string name;
    gp::Rules rules;
};

std::vector<RulesCase> rules_cases() {
    std::vector<RulesCase> cases{
        {"usecase1", rules_from_file(usecase("usecase1_inactive_vip.json"))},
        {"usecase2", rules_from_file(usecase("usecase2_camping_responder.json"))},
        {"usecase3", rules_from_file(usecase("usecase3_old_incidents.json"))},
        {"example", rules_from_file(example_rules)},
        {"tags", rules_from_text(tag_rules)}};
    RulesCase orphans{"usecase1+orphans", cases[0].rules};
    orphans.rules.orphan_contacts = gp::OrphanRule{{730 * day, "2y"}, gp::Since::updated};
    RulesCase keep{"example+keep_contact", cases[3].rules};
    keep.rules.contact_policy.keep_contact = true;
    cases.push_back(std::move(orphans));
    cases.push_back(std::move(keep));
    return cases;
}

// ---- making the generated account richer where the generator is thin

void control_ok(SimAccount& account, const std::string& target, const std::string& body) {
    const auto response = account.sim.control("POST", target, body);
    INFO(target << " " << body << " -> " << response.body);
    REQUIRE(response.status / 100 == 2);
}

// Pending tags (valid, mixed case, invalid) and contacts soft-deleted by gdpr-purge, dated within
// the search window of every as_of used below; then the search index catches up.
void add_waiting_and_deleted(SimAccount& account, const gp::Snapshot& full) {
    const UnixTime now = at(sim_now);
    for (std::size_t i = 5; i < full.contacts.size(); i += 19) {
        const auto& c = full.contacts[i];
        const std::string target = "/_sim/contacts/" + std::to_string(c.id);
        const auto k = static_cast<std::int64_t>(i / 19);
        if (c.state != gp::ContactState::active) {
            continue;
        }
        if (k % 4 == 3) {
            const auto when = gp::format_timestamp(now - (k * 7 % 200) * day);
            control_ok(
                account, target,
                R"({"state":"soft_deleted","add_tags":["gdpr-purge-deleted"],"updated_at":")" +
                    when + "\"}");
            continue;
        }
        std::string tag = gp::pending_tag(now - (k % 20) * 10 * day);
        if (k % 5 == 1) {
            tag = "GDPR-Purge-Pending-" + tag.substr(gp::pending_tag_prefix.size());
        } else if (k % 7 == 2) {
            tag = "gdpr-purge-pending-someday";  // not a pending tag
        }
        control_ok(account, target + "/tags", R"({"add":[")" + tag + "\"]}");
    }
    account.sim.clock().advance(600);  // past the search lag
}

std::int64_t pending_contacts(const gp::Snapshot& full) {
    return std::count_if(full.contacts.begin(), full.contacts.end(), [](const gp::Contact& c) {
        return c.state == gp::ContactState::active && gp::pending_since(c.tags);
    });
}

// `now`: the simulated account's clock (no_time: this machine's, as in a real run).
gp::reader::ReadOptions read_options(UnixTime as_of, bool view_protected = false,
                                     UnixTime now = gp::no_time,
                                     gp::archive::Index* archive = nullptr) {
    gp::reader::ReadOptions options;
    options.as_of = as_of;
    options.now = now;
    options.concurrency = 4;
    options.view_protected = view_protected;
    options.archive = archive;
    options.archive_budget = -1;
    return options;
}

// The tickets the lists show: live ones only, or the trash and spam too (never archived ones).
std::int64_t tickets_shown(const gp::Snapshot& full, bool live_only) {
    return std::count_if(full.tickets().begin(), full.tickets().end(),
                         [&](const gp::Ticket& t) { return live_only ? t.live() : !t.archived; });
}

// Reads with each rules case at each as_of, with and without views of the contacts protected by
// their tickets, and compares with the full read; checks the credits against the reading's own
// lower bound.
// Returns, per rules case, how many contacts the full read's plans take or list as protected.
// With `archive`, every reading uses that index (the first fills it, the next ones find it warm).
std::map<std::string, std::size_t> check_exact(SimAccount& account, const gp::Snapshot& full,
                                               const std::vector<RulesCase>& cases,
                                               const std::vector<UnixTime>& as_ofs,
                                               gp::archive::Index* archive = nullptr) {
    std::map<std::string, std::size_t> taken_by_case;
    for (const auto& c : cases) {
        std::size_t taken = 0;
        for (const UnixTime as_of : as_ofs) {
            for (const bool view_protected : {false, true}) {
                INFO("rules " << c.name << ", as_of " << gp::format_timestamp(as_of)
                              << (view_protected ? ", protected viewed" : ""));
                const auto credits_before = account.sim.credits();
                gp::reader::ReadReport report;
                const gp::Snapshot read = gp::reader::read_account(
                    account.client, c.rules,
                    read_options(as_of, view_protected, account.sim.clock().now(), archive),
                    &report);
                const auto credits = account.sim.credits() - credits_before;
                const gp::Plan expected = gp::evaluate(full, c.rules, as_of);
                require_same_plan(expected, gp::evaluate(read, c.rules, as_of),
                                  view_protected ? nullptr : &full);
                INFO("credits " << credits << ", lower bound " << report.lower_bound_credits);
                CHECK(credits * 100 <= report.lower_bound_credits * 105);
                CHECK(report.warnings.empty());
                const bool orphans =
                    c.rules.orphan_contacts && !c.rules.contact_policy.keep_contact;
                CHECK(report.tickets_read == tickets_shown(full, !orphans && archive == nullptr));
                if (archive != nullptr) {
                    REQUIRE(report.archive);
                    CHECK(report.archive->complete);
                    CHECK(read.archive_complete);
                }
                taken += expected.entries.size() + expected.protected_contacts.size();
            }
        }
        taken_by_case[c.name] = taken;
    }
    return taken_by_case;
}

// A comparison of empty plans would prove nothing.
void require_something_taken(const std::map<std::string, std::size_t>& taken_by_case) {
    for (const auto& [name, taken] : taken_by_case) {
        INFO("rules " << name);
        CHECK(taken > 0);
    }
}

std::vector<UnixTime> as_ofs() {
    const UnixTime now = at(sim_now);
    return {now, now + 45 * day, now + 200 * day + 3600};
}

}  // namespace

TEST_CASE("read_account plans as a full read does, with pending and soft-deleted contacts",
          "[reader]") {
    SimAccount account(generated("contacts=500,tickets=4000,seed=11"));
    add_waiting_and_deleted(account, full_read(account));
    const gp::Snapshot full = full_read(account);
    CHECK(pending_contacts(full) >= 10);
    require_something_taken(check_exact(account, full, rules_cases(), as_ofs()));
}

TEST_CASE("read_account plans as a full read does on another account", "[reader]") {
    SimAccount account(generated("contacts=400,tickets=4000,seed=12"));
    const gp::Snapshot full = full_read(account);
    const auto taken = check_exact(account, full, rules_cases(),
                                   {at(sim_now) + 30 * day, at(sim_now) + 270 * day});
    CHECK(taken.at("example") > 0);  // usecase1 takes nobody on this small account
}

TEST_CASE("read_account reads the tags one by one when list items have none", "[reader]") {
    SimAccount account(generated("contacts=500,tickets=4000,seed=13", false));
    const gp::Snapshot full = full_read(account);
    auto cases = rules_cases();
    cases.erase(cases.begin(), cases.begin() + 3);  // the use cases have no tag condition
    require_something_taken(check_exact(account, full, cases, as_ofs()));
    gp::reader::ReadReport report;
    (void)gp::reader::read_account(account.client, rules_from_text(tag_rules),
                                   read_options(at(sim_now)), &report);
    CHECK(report.ticket_views > 0);
}

TEST_CASE("read_account is exact past a lowered tickets page cap", "[reader]") {
    SimAccount account(generated("contacts=150,tickets=1500,seed=14", true, 3));
    const gp::Snapshot full = full_read(account);
    auto cases = rules_cases();
    cases.erase(cases.begin(), cases.begin() + 3);
    require_something_taken(check_exact(account, full, cases, {at(sim_now)}));
}

namespace {

// The per-contact script of performance.md: list the contacts, then read each contact and list
// its tickets with stats (3 credits a page).
std::int64_t naive_credits(SimAccount& account) {
    const auto counts = sim_state(account.sim, "").at("counts").as_object();
    const std::int64_t contacts = counts.at("contacts").as_object().at("active").as_int64();
    return (contacts + 99) / 100 + contacts * (1 + 3);
}

std::string by_endpoint(const std::map<std::string, std::int64_t>& before,
                        const std::map<std::string, std::int64_t>& after) {
    std::string text;
    for (const auto& [endpoint, credits] : after) {
        const auto it = before.find(endpoint);
        const auto spent = credits - (it == before.end() ? 0 : it->second);
        if (spent > 0) {
            text += "\n  " + endpoint + ": " + std::to_string(spent);
        }
    }
    return text;
}

}  // namespace

namespace {

std::size_t protected_count(const gp::Plan& plan) {
    std::set<Id> ids;
    for (const auto& p : plan.protected_contacts) {
        ids.insert(p.contact_id);
    }
    return ids.size();
}

}  // namespace

namespace {

// Reads with `rules` and prints what it cost, by endpoint, against the naive script; returns the
// credits.
std::int64_t measure(SimAccount& account, const RulesCase& c, bool view_protected,
                     std::int64_t naive) {
    const auto before = account.sim.credits_by_endpoint();
    const auto credits_before = account.sim.credits();
    gp::reader::ReadReport report;
    const gp::Snapshot read = gp::reader::read_account(
        account.client, c.rules,
        read_options(at(sim_now), view_protected, account.sim.clock().now()), &report);
    const auto credits = account.sim.credits() - credits_before;
    const gp::Plan plan = gp::evaluate(read, c.rules, at(sim_now));
    WARN("rules " << c.name << (view_protected ? " (view_protected)" : "") << ": " << credits
                  << " credits, lower bound " << report.lower_bound_credits << ", naive " << naive
                  << " (" << (naive / std::max<std::int64_t>(credits, 1)) << "x fewer); views "
                  << report.views << ", searches " << report.searches << ", ticket pages "
                  << report.ticket_pages << " (" << report.ticket_pages_with_stats
                  << " with stats), contact pages " << report.contact_pages
                  << "; plan: " << plan.entries.size() << " entries, " << protected_count(plan)
                  << " protected contacts"
                  << by_endpoint(before, account.sim.credits_by_endpoint()));
    CHECK(credits * 100 <= report.lower_bound_credits * 105);
    return credits;
}

}  // namespace

TEST_CASE("read_account stays within performance.md's target on 20k tickets / 5k contacts",
          "[reader][credits]") {
    SimAccount account(generated("contacts=5000,tickets=20000,seed=7"));
    const std::int64_t naive = naive_credits(account);
    for (const auto& c : rules_cases()) {
        const std::int64_t credits = measure(account, c, false, naive);
        if (c.name != "tags") {  // the rules files of a real run (the tag rules are a stress)
            CHECK(credits <= 2000);
            CHECK(credits * 10 <= naive);
        }
    }
    (void)measure(account, rules_cases()[3], true, naive);
}

TEST_CASE("read_account on 20k tickets / 5k contacts plans as a full read does",
          "[reader][.slow]") {
    SimAccount account(generated("contacts=5000,tickets=20000,seed=7"));
    const gp::Snapshot full = full_read(account);
    require_something_taken(check_exact(account, full, rules_cases(), {at(sim_now)}));
}

namespace {

// Contacts with no ticket, waiting since `tag_day`, created on `created` (one day each, or all
// the same day).
void add_waiting_contacts(SimAccount& account, int count, UnixTime tag_day, UnixTime created,
                          bool same_creation_day, const std::string& name) {
    for (int i = 0; i < count; ++i) {
        const UnixTime when = same_creation_day ? created + i : created + i * day;
        const std::string n = name + std::to_string(i);
        control_ok(account, "/_sim/contacts",
                   R"({"name":")" + n + R"(","email":")" + n + R"(@bulk.example.com","tags":[")" +
                       gp::pending_tag(tag_day) + R"("],"created_at":")" +
                       gp::format_timestamp(when) + "\"}");
    }
    account.sim.clock().advance(600);  // past the search lag
}

const std::string waiting_rules = R"({"version":1,"ticket_rules":[
 {"name":"old","older_than":"4y","since":"updated","scope":"contact"}],
 "contact_policy":{"keep_contact":false,"delete_mode":"hard","delete_after":"30d"}})";

}  // namespace

TEST_CASE("pending tags are found past the 300 results of a search", "[reader][search]") {
    SimAccount account(generated("contacts=100,tickets=300,seed=5"));
    const UnixTime now = at(sim_now);
    add_waiting_contacts(account, 340, now - 40 * day, now - 700 * day, false, "wait");
    const gp::Snapshot full = full_read(account);
    const gp::Rules rules = rules_from_text(waiting_rules);
    gp::reader::ReadReport report;
    const gp::Snapshot read =
        gp::reader::read_account(account.client, rules, read_options(now), &report);
    const gp::Plan expected = gp::evaluate(full, rules, now);
    CHECK(expected.entries.size() >= 340);
    require_same_plan(expected, gp::evaluate(read, rules, now));
    CHECK(report.warnings.empty());
    const auto windows =
        (400 + 1 + gp::reader::detail::days_per_query()) / gp::reader::detail::days_per_query();
    CHECK(report.searches > windows + 10);  // the crowded window was split
}

TEST_CASE("a pending day a search cannot show whole is a warning, never an early deletion",
          "[reader][search]") {
    SimAccount account(generated("contacts=100,tickets=300,seed=6"));
    const UnixTime now = at(sim_now);
    add_waiting_contacts(account, 310, now - 40 * day, now - 500 * day, true, "crowd");
    const gp::Snapshot full = full_read(account);
    const gp::Rules rules = rules_from_text(waiting_rules);
    gp::reader::ReadReport report;
    const gp::Snapshot read =
        gp::reader::read_account(account.client, rules, read_options(now), &report);
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0].find(gp::pending_tag(now - 40 * day)) != std::string::npos);
    const auto expected = entry_ids(gp::evaluate(full, rules, now));
    const auto got = entry_ids(gp::evaluate(read, rules, now));
    CHECK(std::includes(expected.begin(), expected.end(), got.begin(), got.end()));
    CHECK(expected.size() - got.size() == 10);  // 310 carry the tag, a search shows 300
}

namespace {

// An active contact that no exception of the rules below reaches (no tag, no company, not ceo@ or
// dpo@, no ticket answered by keeper@) with an email to search by; with an open live ticket (no
// rule can take it), or with no ticket at all.
const gp::Contact& plain_contact(const gp::Snapshot& full, bool open_ticket) {
    Id keeper = gp::no_id;
    for (const auto& agent : full.agents) {
        if (agent.email == "keeper@example.com") {
            keeper = agent.id;
        }
    }
    struct Seen {
        bool any = false;
        bool open = false;
        bool keeper = false;
    };
    std::map<Id, Seen> seen;
    for (const auto& t : full.tickets()) {
        Seen& s = seen[t.requester_id];
        s.any = true;
        s.open = s.open || (t.live() && t.status == gp::status_open);
        s.keeper = s.keeper || t.responder_id == keeper;
    }
    for (const auto& c : full.contacts) {
        const std::string email = gp::normalize_name(c.email);
        if (c.state != gp::ContactState::active || !c.tags.empty() || c.company_id != gp::no_id ||
            !c.other_company_ids.empty() || email.empty() || email == "ceo@example.com" ||
            email == "dpo@example.com" || email.find('\'') != std::string::npos) {
            continue;
        }
        const Seen s = seen.count(c.id) != 0 ? seen.at(c.id) : Seen{};
        if (open_ticket ? (s.open && !s.keeper) : !s.any) {
            return c;
        }
    }
    FAIL("no such contact in the generated account");
    throw std::logic_error("unreachable");
}

const gp::Entry* entry_of(const gp::Plan& plan, Id id) {
    for (const auto& e : plan.entries) {
        if (e.contact_id == id) {
            return &e;
        }
    }
    return nullptr;
}

bool has_step(const gp::Entry* entry, gp::StepAction action) {
    return entry != nullptr &&
           std::any_of(entry->steps.begin(), entry->steps.end(),
                       [&](const gp::Step& step) { return step.action == action; });
}

std::int64_t search_total(SimAccount& account, const gp::Contact& c, const std::string& tag) {
    return gp::freshdesk::search_contacts(account.client,
                                          "email:'" + c.email + "' AND tag:'" + tag + "'")
        .total;
}

// Pending tags added seconds before the reading, the contact search still lagging: a contact with
// an open ticket (no rule makes it a candidate) whose wait is cancelled, and one with no ticket
// whose wait is over. The contacts updated in the last day are viewed: the plan equals the full
// read's, with both entries.
void check_recent_pending_tags(bool plain_filter_name) {
    auto options = generated("contacts=400,tickets=3000,seed=15");
    options.search_lag_seconds = 3600;  // the tags stay out of the index while the test runs
    options.contacts_updated_since_plain = plain_filter_name;
    SimAccount account(options);
    const UnixTime now = at(sim_now);
    const gp::Snapshot before = full_read(account);
    const gp::Contact cancelled = plain_contact(before, true);
    const gp::Contact due = plain_contact(before, false);
    const std::string cancelled_tag = gp::pending_tag(now - 10 * day);
    const std::string due_tag = gp::pending_tag(now - 60 * day);
    control_ok(account, "/_sim/contacts/" + std::to_string(cancelled.id) + "/tags",
               R"({"add":[")" + cancelled_tag + "\"]}");
    control_ok(account, "/_sim/contacts/" + std::to_string(due.id) + "/tags",
               R"({"add":[")" + due_tag + "\"]}");
    CHECK(search_total(account, cancelled, cancelled_tag) == 0);  // the index lags
    CHECK(search_total(account, due, due_tag) == 0);
    const gp::Snapshot full = full_read(account);

    const auto all = rules_cases();
    for (const auto& c : {all[1], all[3], all[5], all[6]}) {  // with and without the orphan rule
        INFO("rules " << c.name);
        const auto credits_before = account.sim.credits();
        gp::reader::ReadReport report;
        const gp::Snapshot read = gp::reader::read_account(
            account.client, c.rules, read_options(now, false, account.sim.clock().now()), &report);
        const auto credits = account.sim.credits() - credits_before;
        const gp::Plan expected = gp::evaluate(full, c.rules, now);
        const gp::Plan got = gp::evaluate(read, c.rules, now);
        require_same_plan(expected, got, &full);
        CHECK(has_step(entry_of(got, cancelled.id), gp::StepAction::clear_pending));
        if (!c.rules.contact_policy.keep_contact) {
            CHECK(has_step(entry_of(got, due.id), gp::StepAction::delete_contact));
        }
        INFO("credits " << credits << ", lower bound " << report.lower_bound_credits);
        CHECK(credits * 100 <= report.lower_bound_credits * 105);
        CHECK(report.contact_pages >= 1);
        CHECK(report.warnings.empty());
    }

    // Without the contacts updated since the tags (a clock two days ahead of the account's), the
    // searches alone miss both.
    const gp::Rules& rules = all[1].rules;
    const UnixTime later = now + 2 * day;
    const gp::Snapshot blind =
        gp::reader::read_account(account.client, rules, read_options(later, false, later));
    const gp::Plan missed = gp::evaluate(blind, rules, later);
    CHECK(entry_of(missed, cancelled.id) == nullptr);
    CHECK(entry_of(missed, due.id) == nullptr);
    CHECK(entry_of(gp::evaluate(full, rules, later), cancelled.id) != nullptr);

    account.sim.clock().advance(3700);  // the index catches up: the search queries were right
    CHECK(search_total(account, cancelled, cancelled_tag) == 1);
    CHECK(search_total(account, due, due_tag) == 1);
}

}  // namespace

TEST_CASE("pending tags added seconds before the reading count, the search lagging",
          "[reader][recent]") {
    check_recent_pending_tags(false);
}

TEST_CASE("pending tags added seconds before the reading count, filter named updated_since",
          "[reader][recent]") {
    check_recent_pending_tags(true);
}

TEST_CASE("pending-tag queries stay within Freshdesk's 512 characters", "[reader][search]") {
    using gp::reader::detail::days_per_query;
    using gp::reader::detail::pending_query;
    const UnixTime first = at("2026-01-01");
    const std::int64_t days = days_per_query();
    CHECK(days == 13);
    CHECK(pending_query(first, first + (days - 1) * day, gp::no_time, gp::no_time).size() <= 512);
    CHECK(pending_query(first, first + days * day, gp::no_time, gp::no_time).size() > 512);
    CHECK(pending_query(first, first, at("2020-01-01"), at("2020-02-01")) ==
          "tag:'gdpr-purge-pending-2026-01-01' AND created_at:>'2020-01-01' AND "
          "created_at:<'2020-02-01'");
    CHECK(pending_query(first, first + day, gp::no_time, at("2020-02-01")) ==
          "(tag:'gdpr-purge-pending-2026-01-01' OR tag:'gdpr-purge-pending-2026-01-02') AND "
          "created_at:<'2020-02-01'");
}

TEST_CASE("read_account reports progress from the calling thread", "[reader]") {
    SimAccount account(generated("contacts=200,tickets=1000,seed=3"));
    const auto caller = std::this_thread::get_id();
    std::set<std::string> phases;
    bool other_thread = false;
    gp::reader::Progress last;
    auto options = read_options(at(sim_now));
    options.on_progress = [&](const gp::reader::Progress& p) {
        other_thread = other_thread || std::this_thread::get_id() != caller;
        phases.insert(p.phase);
        last = p;
    };
    gp::reader::ReadReport report;
    const auto snapshot =
        gp::reader::read_account(account.client, rules_from_file(example_rules), options, &report);
    CHECK_FALSE(other_thread);
    CHECK(phases == std::set<std::string>{"names", "tickets", "contacts", "search", "views"});
    CHECK(last.views_done == last.views_total);
    CHECK(last.views_done == report.views);
    CHECK(last.tickets == report.tickets_read);
    CHECK(report.tickets_read == static_cast<std::int64_t>(snapshot.tickets().size()));
    CHECK(report.contacts_read >= static_cast<std::int64_t>(snapshot.contacts.size()));
    CHECK(report.contacts_read > report.views);  // the contacts list shows every live contact
}

TEST_CASE("read_account refuses rules naming what the account lacks before the costly reads",
          "[reader]") {
    SimAccount account(generated("contacts=200,tickets=1000,seed=3"));
    auto rules = rules_from_file(usecase("usecase1_inactive_vip.json"));
    rules.ticket_rules[0].groups = {"No Such Group"};
    CHECK_THROWS_AS(gp::reader::read_account(account.client, rules, read_options(at(sim_now))),
                    gp::RulesResolutionError);
    CHECK(account.sim.requests_by_endpoint().count("GET /tickets") == 0);
}

namespace {

std::vector<Id> contact_ids(const gp::Snapshot& snapshot) {
    std::vector<Id> ids;
    for (const auto& c : snapshot.contacts) {
        ids.push_back(c.id);
    }
    return ids;
}

std::vector<Id> ticket_ids(const gp::Snapshot& snapshot) {
    std::vector<Id> ids;
    for (const auto& t : snapshot.tickets()) {
        ids.push_back(t.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

TEST_CASE("read_subjects finds contacts by primary or other email, and agents", "[reader]") {
    SimAccount account(simtest::small_account("2026-01-15T00:00:00Z"));
    const std::vector<std::string> emails{"alice@example.com",  "BOB+ALT@example.COM",
                                          "nobody@example.com", "keeper@example.com",
                                          "carol@example.com",  "hana.hill@example.com"};
    std::vector<gp::reader::SubjectMatch> matches;
    gp::reader::ReadReport report;
    const gp::Snapshot snapshot = gp::reader::read_subjects(
        account.client, emails, read_options(at("2026-01-15")), matches, &report);
    REQUIRE(matches.size() == emails.size());
    CHECK(matches[0].contact_ids == std::vector<Id>{43000000101});
    CHECK(matches[1].contact_ids == std::vector<Id>{43000000102});  // an other email, any case
    CHECK(matches[2].contact_ids.empty());
    CHECK(matches[3].contact_ids == std::vector<Id>{43000000001});  // the agent
    CHECK(matches[4].contact_ids == std::vector<Id>{43000000103});  // soft-deleted
    CHECK(matches[5].contact_ids == std::vector<Id>{43000000108});  // stored in mixed case
    for (std::size_t i = 0; i < emails.size(); ++i) {
        CHECK(matches[i].email_masked == gp::mask_email(emails[i]));
    }
    CHECK(contact_ids(snapshot) ==
          std::vector<Id>{43000000101, 43000000102, 43000000103, 43000000108});
    CHECK(snapshot.contacts[1].other_emails == std::vector<std::string>{"bob+alt@example.com"});
    CHECK(snapshot.contacts[2].state == gp::ContactState::soft_deleted);
    CHECK(ticket_ids(snapshot) == std::vector<Id>{1, 2, 3, 4, 5, 12, 16});  // live ones only
    CHECK(std::any_of(snapshot.agents.begin(), snapshot.agents.end(),
                      [](const gp::Agent& a) { return a.id == 43000000001; }));
    CHECK(snapshot.groups.size() == 4);
    CHECK(snapshot.companies.size() == 3);
    CHECK(report.views == 4);
}

TEST_CASE("read_subjects with a blank email lists nobody", "[reader]") {
    SimAccount account(simtest::small_account("2026-01-15T00:00:00Z"));
    std::vector<gp::reader::SubjectMatch> matches;
    const auto snapshot =
        gp::reader::read_subjects(account.client, {" "}, read_options(at("2026-01-15")), matches);
    REQUIRE(matches.size() == 1);
    CHECK(matches[0].contact_ids.empty());
    CHECK(snapshot.contacts.empty());
}

namespace {

std::int64_t peak_rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stoll(line.substr(6));
        }
    }
    return 0;
}

}  // namespace

// performance.md's large account: credits against the reading's own lower bound (1.05x), figures
// printed for docs/reading.md. The RSS includes the simulated account itself (about 310 MB).
TEST_CASE("read_account on 1M tickets / 200k contacts", "[reader][.bench]") {
    const auto started = std::chrono::steady_clock::now();
    SimAccount account(generated("contacts=200000,tickets=1000000,seed=7"));
    const auto rss_account = peak_rss_kib();
    const auto rules = rules_from_file(example_rules);
    gp::reader::ReadReport report;
    const auto read_started = std::chrono::steady_clock::now();
    const gp::Snapshot read = gp::reader::read_account(
        account.client, rules, read_options(at(sim_now), false, account.sim.clock().now()),
        &report);
    const auto read_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - read_started).count();
    const gp::Plan plan = gp::evaluate(read, rules, at(sim_now));
    WARN("1M tickets / 200k contacts, rules.example: "
         << account.sim.credits() << " credits, lower bound " << report.lower_bound_credits
         << ", views " << report.views << ", searches " << report.searches << ", ticket pages "
         << report.ticket_pages << " (" << report.ticket_pages_with_stats
         << " with stats), contact pages " << report.contact_pages << "; plan "
         << plan.entries.size() << " entries; read " << read_seconds << " s in process; peak RSS "
         << peak_rss_kib() / 1024 << " MiB (account alone " << rss_account / 1024 << " MiB); total "
         << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
         << " s");
    CHECK(account.sim.credits() * 100 <= report.lower_bound_credits * 105);
}

// ---- archived tickets (docs/reading.md, "Archived tickets")

namespace {

std::int64_t archived_in(const gp::Snapshot& full) {
    return std::count_if(full.tickets().begin(), full.tickets().end(),
                         [](const gp::Ticket& t) { return t.archived; });
}

std::int64_t probes(const SimAccount& account) {
    const auto by_endpoint = account.sim.requests_by_endpoint();
    const auto it = by_endpoint.find("GET /tickets/archived/{id}");
    return it == by_endpoint.end() ? 0 : it->second;
}

simtest::InProcessOptions archiving(const std::string& spec) {
    simtest::InProcessOptions options = generated(spec);
    options.archive_days = 120;
    return options;
}

}  // namespace

TEST_CASE("read_account with an archive index plans as a full read does on an archiving account",
          "[reader][archive]") {
    SimAccount account(archiving("contacts=500,tickets=4000,seed=11"));
    add_waiting_and_deleted(account, full_read(account));
    const gp::Snapshot full = full_read(account);
    INFO("archived tickets: " << archived_in(full));
    REQUIRE(archived_in(full) > 1000);  // most old tickets: a test of something
    gp::archive::Index index;
    require_something_taken(check_exact(account, full, rules_cases(), as_ofs(), &index));
    CHECK(index.archived_count() == archived_in(full));
}

TEST_CASE("each id is probed once - a list that shows an id the index knows drops the record",
          "[reader][archive]") {
    SimAccount account(archiving("contacts=200,tickets=1500,seed=3"));
    const gp::Snapshot full = full_read(account);
    const gp::Rules rules = rules_from_file(example_rules);
    const UnixTime as_of = at(sim_now);
    Id highest = 0;
    std::vector<Id> listed;
    for (const gp::Ticket& t : full.tickets()) {
        if (!t.archived) {
            listed.push_back(t.id);
            highest = std::max(highest, t.id);
        }
    }
    REQUIRE(listed.size() > 10);
    std::sort(listed.begin(), listed.end());
    gp::archive::Index index;
    // Two wrong records (a ticket the lists show, said gone; another said archived) must not
    // survive the next reading, nor change its plan.
    index.add_gone(listed[3]);
    gp::TicketRecord fake;
    fake.id = listed[7];
    fake.requester_id = full.contacts.front().id;
    fake.status = gp::status_closed;
    fake.archived = true;
    fake.created_at = fake.updated_at = as_of - 900 * day;
    index.add_archived(fake);

    const std::int64_t before = probes(account);
    gp::reader::ReadReport report;
    const gp::Snapshot read = gp::reader::read_account(
        account.client, rules, read_options(as_of, false, account.sim.clock().now(), &index),
        &report);
    CHECK_FALSE(index.knows(listed[3]));
    CHECK_FALSE(index.knows(listed[7]));
    // Every id up to the highest that no list showed, once; nothing else.
    const auto unlisted =
        static_cast<std::int64_t>(highest) - static_cast<std::int64_t>(listed.size());
    CHECK(probes(account) - before == unlisted);
    REQUIRE(report.archive);
    CHECK(report.archive->probes == unlisted);
    CHECK(report.archive->complete);
    CHECK(report.archive->feature == true);
    CHECK(report.archive->archived_known == archived_in(full));
    require_same_plan(gp::evaluate(full, rules, as_of), gp::evaluate(read, rules, as_of), &full);

    // Warm: not one probe more.
    const std::int64_t warm = probes(account);
    (void)gp::reader::read_account(account.client, rules,
                                   read_options(as_of, false, account.sim.clock().now(), &index));
    CHECK(probes(account) == warm);
}

TEST_CASE("a budget that runs out leaves the archive incomplete and the snapshot says so",
          "[reader][archive]") {
    SimAccount account(archiving("contacts=200,tickets=1500,seed=3"));
    const gp::Rules rules = rules_from_file(example_rules);
    gp::archive::Index index;
    auto options = read_options(at(sim_now), false, account.sim.clock().now(), &index);
    options.archive_budget = 5;
    gp::reader::ReadReport report;
    const gp::Snapshot read = gp::reader::read_account(account.client, rules, options, &report);
    REQUIRE(report.archive);
    CHECK(report.archive->probes == 5);
    CHECK_FALSE(report.archive->complete);
    CHECK(report.archive->unprobed > 0);
    CHECK_FALSE(read.archive_complete);
    CHECK(probes(account) == 5);
    // docs/rules-semantics.md, settled 19: no contact-level step while incomplete.
    for (const gp::Entry& entry : gp::evaluate(read, rules, at(sim_now)).entries) {
        for (const gp::Step& step : entry.steps) {
            CHECK(step.action != gp::StepAction::delete_contact);
            CHECK(step.action != gp::StepAction::mark_pending);
            CHECK(step.action != gp::StepAction::purge_soft_deleted);
        }
    }
    // Budget 0: nothing asked at all.
    options.archive_budget = 0;
    const std::int64_t before = probes(account);
    gp::reader::ReadReport none;
    (void)gp::reader::read_account(account.client, rules, options, &none);
    CHECK(probes(account) == before);
    REQUIRE(none.archive);
    CHECK(none.archive->unprobed == report.archive->unprobed);
}

TEST_CASE("a dormant account: archived tickets above the newest listed one are found",
          "[reader][archive]") {
    // Nothing new for 300 days: every closed ticket is archived, the newest ones included, so the
    // highest id a list shows is no bound (docs/decisions.md, archived tickets).
    SimAccount account(archiving("contacts=100,tickets=600,seed=5"));
    // The newest three tickets were closed long ago: archived, above every listed id.
    const Id requester = full_read(account).contacts.front().id;
    for (int i = 0; i < 3; ++i) {
        const auto old = gp::format_timestamp(account.sim.clock().now() - (400 - i) * day);
        control_ok(account, "/_sim/tickets",
                   R"({"requester_id":)" + std::to_string(requester) +
                       R"(,"status":5,"created_at":")" + old + R"(","updated_at":")" + old + "\"}");
    }
    account.sim.clock().advance(300 * day);
    const UnixTime now = account.sim.clock().now();
    const gp::Snapshot full = full_read(account);
    Id highest_listed = 0;
    Id highest_archived = 0;
    for (const gp::Ticket& t : full.tickets()) {
        (t.archived ? highest_archived : highest_listed) =
            std::max(t.archived ? highest_archived : highest_listed, t.id);
    }
    INFO("highest listed " << highest_listed << ", highest archived " << highest_archived);
    REQUIRE(highest_archived > highest_listed);  // the case this test is about

    const gp::Rules rules = rules_from_file(example_rules);
    gp::archive::Index index;
    gp::reader::ReadReport report;
    const gp::Snapshot read = gp::reader::read_account(
        account.client, rules, read_options(now, false, now, &index), &report);
    REQUIRE(report.archive);
    CHECK(report.archive->complete);
    CHECK(index.archived_count() == archived_in(full));
    CHECK(report.archive->highest_id == highest_archived);
    require_same_plan(gp::evaluate(full, rules, now), gp::evaluate(read, rules, now), &full);

    // With a budget too small to find the end, the archive stays incomplete.
    gp::archive::Index small;
    auto options = read_options(now, false, now, &small);
    // Enough for every id up to the highest listed and two above it: not for the end.
    options.archive_budget =
        static_cast<std::int64_t>(highest_listed) - (tickets_shown(full, false)) + 2;
    gp::reader::ReadReport partial;
    const gp::Snapshot held = gp::reader::read_account(account.client, rules, options, &partial);
    REQUIRE(partial.archive);
    CHECK_FALSE(partial.archive->complete);
    CHECK_FALSE(held.archive_complete);
}
