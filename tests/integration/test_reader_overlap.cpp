// lib/reader's overlap (docs/reading.md, "The reads, in order"): while the calling thread reads the
// tickets lists, the reads that need no ticket and the contact views run on other threads, and the
// views of the contacts the rules may take start before the tickets pass ends (speculation). The
// plan is the one of the reading without speculation, and the credits are its own plus the
// speculative views dropped. Observed from the order in which the account received the requests.
#include "account/account.hpp"
#include "clock.hpp"
#include "engine/engine.hpp"
#include "freshdesk/client.hpp"
#include "instant_clock.hpp"
#include "reader/reader.hpp"
#include "rules/rules.hpp"
#include "sim_http.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using gp::Id;
using gp::UnixTime;

const std::string sim_now = "2026-11-29T00:00:00Z";

// The targets of the requests, in the order the account received them.
struct RequestLog {
    std::mutex mutex;
    std::vector<std::string> targets;
    // A tickets list page takes this long to answer (a few ms: the pass then lasts longer than
    // the views it lets start, as it does against a real account's list sub-limit).
    std::chrono::milliseconds ticket_page_delay{3};
    std::string refuse;  // the requests whose target holds this are answered 403
};

struct Account {
    explicit Account(const std::string& spec) : log(std::make_shared<RequestLog>()) {
        simtest::InProcessOptions options;
        options.generate = spec;
        options.now = sim_now;
        options.rate_limit_total = 1'000'000;
        options.tamper = [log = log](const gp::http::Request& request,
                                     gp::http::Response& response) {
            std::chrono::milliseconds delay{0};
            {
                std::lock_guard lock(log->mutex);
                log->targets.push_back(request.target);
                if (request.target.rfind("/api/v2/tickets?", 0) == 0) {
                    delay = log->ticket_page_delay;
                }
                if (!log->refuse.empty() && request.target.find(log->refuse) != std::string::npos) {
                    response.status = 403;
                    response.body = R"({"code":"access_denied","message":"refused by the test"})";
                }
            }
            std::this_thread::sleep_for(delay);
        };
        sim = std::make_unique<simtest::InProcessSim>(options);
        gp::freshdesk::Policy policy;
        policy.rate_limit = 1'000'000;
        client = std::make_unique<gp::freshdesk::Client>(*sim, gp::freshdesk::ApiKey("sim-api-key"),
                                                         policy, clock);
    }

    std::vector<std::string> take_log() {
        std::lock_guard lock(log->mutex);
        return std::exchange(log->targets, {});
    }

    std::shared_ptr<RequestLog> log;
    std::unique_ptr<simtest::InProcessSim> sim;
    simtest::InstantClock clock;
    std::unique_ptr<gp::freshdesk::Client> client;
};

UnixTime at(const std::string& text) {
    const auto t = gp::parse_time_arg(text);
    REQUIRE(t);
    return *t;
}

gp::Rules example_rules() {
    const auto parsed = gp::load_rules_file(GP_SOURCE_DIR "/rules.example.json");
    REQUIRE(parsed.rules);
    return *parsed.rules;
}

gp::reader::ReadOptions options_for(Account& account, bool speculate) {
    gp::reader::ReadOptions options;
    options.as_of = at(sim_now);
    options.now = account.sim->clock().now();
    options.concurrency = 4;
    options.speculate = speculate;
    return options;
}

bool live_tickets_page(const std::string& target) {
    return target.rfind("/api/v2/tickets?", 0) == 0 && target.find("filter=") == std::string::npos;
}

// The contact of GET /api/v2/contacts/{id}; no_id for another request.
Id viewed_contact(const std::string& target) {
    const std::string prefix = "/api/v2/contacts/";
    if (target.rfind(prefix, 0) != 0 || target.find('?') != std::string::npos) {
        return gp::no_id;
    }
    return std::stoll(target.substr(prefix.size()));
}

std::size_t last_live_page(const std::vector<std::string>& log) {
    std::size_t last = 0;
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (live_tickets_page(log[i])) {
            last = i;
        }
    }
    return last;
}

std::size_t first_with_prefix(const std::vector<std::string>& log, const std::string& prefix) {
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (log[i].rfind(prefix, 0) == 0) {
            return i;
        }
    }
    return log.size();
}

// The contacts a ticket rule takes (not the orphan rule, a pending tag or the purge, whose
// candidates need no ticket, or no speculation).
std::set<Id> rule_entries(const gp::Plan& plan) {
    std::set<Id> out;
    for (const gp::Entry& entry : plan.entries) {
        const bool other = std::any_of(entry.rules.begin(), entry.rules.end(), [](const auto& r) {
            return r == "orphan_contacts" || r == "pending" || r == "purge_soft_deleted";
        });
        if (!other) {
            out.insert(entry.contact_id);
        }
    }
    return out;
}

// Views of `contacts` asked for before the live tickets pass's last page.
std::int64_t viewed_during_pass(const std::vector<std::string>& log, const std::set<Id>& contacts) {
    const std::size_t end = last_live_page(log);
    std::int64_t n = 0;
    for (std::size_t i = 0; i < end; ++i) {
        n += contacts.count(viewed_contact(log[i])) != 0 ? 1 : 0;
    }
    return n;
}

struct Reading {
    gp::Snapshot snapshot;
    gp::reader::ReadReport report;
    std::vector<std::string> log;
    std::int64_t credits = 0;
};

Reading read(Account& account, const gp::Rules& rules, bool speculate) {
    Reading out;
    account.take_log();
    const auto before = account.sim->credits();
    out.snapshot = gp::reader::read_account(*account.client, rules, options_for(account, speculate),
                                            &out.report);
    out.credits = account.sim->credits() - before;
    out.log = account.take_log();
    return out;
}

std::vector<Id> contact_ids(const gp::Snapshot& snapshot) {
    std::vector<Id> ids;
    for (const auto& c : snapshot.contacts) {
        ids.push_back(c.id);
    }
    return ids;
}

}  // namespace

TEST_CASE("the rules' candidates are viewed during the tickets pass, with the same plan",
          "[reader][overlap]") {
    Account account("contacts=1600,tickets=8000,seed=7");
    const gp::Rules rules = example_rules();
    const Reading after = read(account, rules, true);
    const Reading before = read(account, rules, false);

    // The same snapshot's contacts, the same plan: the speculative views of contacts that are no
    // candidate were dropped.
    CHECK(contact_ids(after.snapshot) == contact_ids(before.snapshot));
    const gp::Plan plan = gp::evaluate(after.snapshot, rules, at(sim_now));
    const gp::Plan expected = gp::evaluate(before.snapshot, rules, at(sim_now));
    REQUIRE(plan.entries.size() == expected.entries.size());
    CHECK(plan.entries == expected.entries);
    CHECK(plan.protected_contacts == expected.protected_contacts);
    CHECK(plan.header.summary == expected.header.summary);
    CHECK(after.report.contacts_read == before.report.contacts_read);

    // Most views of the contacts a ticket rule takes were asked for before the pass's last page;
    // without speculation none but those a list also found (a pending tag, a recent update).
    const std::set<Id> taken = rule_entries(expected);
    REQUIRE(taken.size() > 100);
    const auto during = viewed_during_pass(after.log, taken);
    const auto during_before = viewed_during_pass(before.log, taken);
    INFO("rule entries " << taken.size() << ", viewed during the pass: " << during
                         << " (without speculation " << during_before << ")");
    CHECK(during * 4 >= static_cast<std::int64_t>(taken.size()) * 3);
    CHECK(during_before * 20 <= static_cast<std::int64_t>(taken.size()));

    // The reads that need no ticket overlap the pass in both readings.
    for (const Reading* r : {&after, &before}) {
        const std::size_t end = last_live_page(r->log);
        CHECK(first_with_prefix(r->log, "/api/v2/contacts?") < end);
        CHECK(first_with_prefix(r->log, "/api/v2/search/contacts?") < end);
    }

    // The credits: the reading's own, plus the dropped views (a few).
    INFO("credits " << after.credits << " (without speculation " << before.credits
                    << "), lower bound " << after.report.lower_bound_credits << ", dropped "
                    << after.report.views_dropped);
    CHECK(after.report.lower_bound_credits == before.report.lower_bound_credits);
    CHECK(before.report.views_dropped == 0);
    CHECK(after.credits == before.credits + after.report.views_dropped);
    CHECK(after.report.views == before.report.views + after.report.views_dropped);
    CHECK(after.credits * 100 <= after.report.lower_bound_credits * 102);
}

TEST_CASE("a failure of a read on another thread stops the tickets pass", "[reader][overlap]") {
    Account account("contacts=1000,tickets=8000,seed=7");
    account.log->refuse = "/api/v2/search/contacts";
    account.log->ticket_page_delay = std::chrono::milliseconds(5);
    CHECK_THROWS_AS(
        gp::reader::read_account(*account.client, example_rules(), options_for(account, true)),
        gp::freshdesk::ApiError);
    const auto log = account.take_log();
    CHECK(std::find_if(log.begin(), log.end(), [](const std::string& target) {
              return target.rfind("/api/v2/search/contacts", 0) == 0;
          }) != log.end());
    // The whole pass is about 130 pages: it stopped at the failure (or before it began).
    CHECK(std::count_if(log.begin(), log.end(), live_tickets_page) < 40);
}

TEST_CASE("a failure of the tickets pass stops the reads on the other threads",
          "[reader][overlap]") {
    Account account("contacts=1000,tickets=8000,seed=7");
    account.log->refuse = "&page=20&";  // of the live pass: the other lists are shorter
    CHECK_THROWS_AS(
        gp::reader::read_account(*account.client, example_rules(), options_for(account, true)),
        gp::freshdesk::ApiError);
    // Every thread has stopped: nothing more reaches the account.
    const auto sent = account.take_log().size();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(account.take_log().empty());
    CHECK(sent > 0);
}
