// lib/freshdesk's typed reads (read.cpp, read_tickets.cpp) against the simulated account: in
// process (simtest::InProcessSim) for the logic (windows, restarts, dedupe, the stats switch, every
// field), and over HTTP to a freshdesk-sim process for the transport variants and the rate limits.
#include "clock.hpp"
#include "freshdesk/client.hpp"
#include "freshdesk/read.hpp"
#include "harness.hpp"
#include "http/http.hpp"
#include "sim_http.hpp"
#include "time/time.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace fd = gp::freshdesk;
namespace json = boost::json;
using gp::Id;
using gp::UnixTime;

namespace {

constexpr const char* small_now = "2026-01-15T12:00:00Z";
constexpr const char* generated_now = "2026-11-29T00:00:00Z";
// People of tests/sim/core/testdata/small_account.json.
constexpr Id keeper = 43000000001;  // agent
constexpr Id ari = 43000000002;     // agent, responder of ticket 2
constexpr Id alice = 43000000101;   // VIP, company 201, tickets 1, 2, 12
constexpr Id bob = 43000000102;     // bob+alt@, companies 203 + 202, tickets 3, 4, 16
constexpr Id carol = 43000000103;   // soft-deleted
constexpr Id dan = 43000000104;     // blocked
constexpr Id eve = 43000000105;     // unverified
constexpr Id finn = 43000000106;    // no email
constexpr Id gus = 43000000107;     // trashed 8, spam 9
constexpr Id hana = 43000000108;    // Hana.Hill@Example.COM

UnixTime ts(const std::string& text) {
    const auto t = gp::parse_timestamp(text);
    REQUIRE(t);
    return *t;
}

// Time for the client's pacer and retries that never really sleeps: a wait moves it forward (and
// calls on_sleep, which can move a simulator's clock as far).
class FakeClock : public fd::Clock {
  public:
    std::function<void(std::chrono::milliseconds)> on_sleep;

    std::chrono::steady_clock::time_point now() override {
        std::lock_guard lock(mutex_);
        return std::chrono::steady_clock::now() + offset_;
    }
    void sleep_for(std::chrono::milliseconds duration) override {
        if (duration.count() <= 0) {
            return;
        }
        {
            std::lock_guard lock(mutex_);
            offset_ += duration;
            slept_ += duration;
        }
        if (on_sleep) {
            on_sleep(duration);
        }
    }
    std::chrono::milliseconds slept() {
        std::lock_guard lock(mutex_);
        return slept_;
    }

  private:
    std::mutex mutex_;
    std::chrono::steady_clock::duration offset_{};
    std::chrono::milliseconds slept_{0};
};

fd::Policy unpaced() {
    fd::Policy policy;
    policy.rate_limit = 1000000;
    return policy;
}

simtest::InProcessOptions generated(const std::string& spec) {
    simtest::InProcessOptions options;
    options.generate = spec;
    options.now = generated_now;
    options.rate_limit_total = 1000000;
    return options;
}

simtest::InProcessOptions small() {
    return simtest::small_account(small_now);
}

// A client on a simulated account in this process.
struct InProc {
    simtest::InProcessSim sim;
    FakeClock clock;
    fd::Client client;
    explicit InProc(const simtest::InProcessOptions& options,
                    const std::string& key = "sim-api-key")
        : sim(options), client(sim, fd::ApiKey(key), unpaced(), clock) {}

    json::value control(const std::string& method, const std::string& target,
                        const std::string& body = "") {
        const gp::http::Response r = sim.control(method, target, body);
        INFO(target << " answered " << r.status << ": " << r.body);
        REQUIRE((r.status == 200 || r.status == 201));
        return json::parse(r.body);
    }
    json::value state(const std::string& query = "") {
        return control("GET", "/_sim/state" + query);
    }
    std::int64_t credits(const std::string& endpoint) {
        return sim.credits_by_endpoint()[endpoint];
    }
    std::int64_t requests(const std::string& endpoint) {
        return sim.requests_by_endpoint()[endpoint];
    }
};

// ---- the account's truth, read through /_sim/state one object at a time

struct TruthTicket {
    Id id = 0;
    std::string seen;
    Id requester_id = 0;
    UnixTime updated_at = gp::no_time;
    UnixTime closed_at = gp::no_time;
    std::vector<std::string> tags;
};

UnixTime optional_time(const json::value& v) {
    return v.is_null() ? gp::no_time : ts(std::string(v.as_string()));
}

// Every ticket of a generated account (ids 1..N without gaps).
std::vector<TruthTicket> truth_tickets(InProc& f) {
    std::vector<TruthTicket> out;
    for (Id id = 1;; ++id) {
        const json::value state = f.state("?ticket=" + std::to_string(id));
        const json::value& t = state.at("ticket");
        if (t.is_null()) {
            return out;
        }
        TruthTicket truth;
        truth.id = id;
        truth.seen = std::string(t.at("seen").as_string());
        truth.requester_id = t.at("requester_id").as_int64();
        truth.updated_at = ts(std::string(t.at("updated_at").as_string()));
        truth.closed_at = optional_time(t.at("stats").at("closed_at"));
        for (const auto& tag : t.at("tags").as_array()) {
            truth.tags.emplace_back(tag.as_string());
        }
        out.push_back(std::move(truth));
    }
}

// The tickets of one kind (live, trash, spam) in list order: (updated_at, id).
std::vector<TruthTicket> seen_as(const std::vector<TruthTicket>& all, const std::string& seen) {
    std::vector<TruthTicket> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const TruthTicket& t) { return t.seen == seen; });
    std::sort(out.begin(), out.end(), [](const TruthTicket& a, const TruthTicket& b) {
        return std::pair(a.updated_at, a.id) < std::pair(b.updated_at, b.id);
    });
    return out;
}

struct Listing {
    std::vector<fd::ListedTicket> tickets;
    fd::ListStats stats;
};

Listing list_tickets(fd::Client& client, const fd::TicketQuery& query) {
    Listing out;
    fd::for_each_ticket(
        client, query, [&](fd::ListedTicket&& t) { out.tickets.push_back(std::move(t)); },
        &out.stats);
    return out;
}

std::vector<Id> ids_of(const Listing& listing) {
    std::vector<Id> ids;
    for (const auto& t : listing.tickets) {
        ids.push_back(t.record.id);
    }
    return ids;
}

// The listing is the truth, in the same order: each ticket exactly once.
void require_same(const Listing& listing, const std::vector<TruthTicket>& truth) {
    REQUIRE(listing.tickets.size() == truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) {
        INFO("row " << i);
        REQUIRE(listing.tickets[i].record.id == truth[i].id);
        REQUIRE(listing.tickets[i].record.updated_at == truth[i].updated_at);
        REQUIRE(listing.tickets[i].record.requester_id == truth[i].requester_id);
    }
    REQUIRE(listing.stats.rows - listing.stats.repeats ==
            static_cast<std::int64_t>(listing.tickets.size()));
}

std::int64_t pages_for(std::size_t rows) {
    return std::max<std::int64_t>(1, (static_cast<std::int64_t>(rows) + 99) / 100);
}

std::string message_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(nothing thrown)";
}

// An account file of tickets only (their requester need not exist), one per updated_at given.
std::string tickets_account(const simtest::TempDir& dir, const std::vector<UnixTime>& updated) {
    json::array tickets;
    for (const UnixTime t : updated) {
        tickets.push_back(json::object{{"requester_id", 2147483700},
                                       {"status", 2},
                                       {"created_at", "2026-01-01T00:00:00Z"},
                                       {"updated_at", gp::format_timestamp(t)}});
    }
    const std::string path = dir.file("account.json");
    std::ofstream(path) << json::serialize(json::object{{"tickets", std::move(tickets)}});
    return path;
}

}  // namespace

// ---- tickets list: windows, restarts, dedupe

TEST_CASE("every live ticket is handed out exactly once, also past a page cap", "[tickets]") {
    struct Case {
        int account_cap;
        int query_cap;
    };
    const Case c = GENERATE(Case{300, 300}, Case{3, 3}, Case{5, 5}, Case{3, 300});
    INFO("account cap " << c.account_cap << ", query cap " << c.query_cap);
    auto options = generated("contacts=300,tickets=3000,seed=5");
    options.tickets_page_cap = c.account_cap;
    InProc f(options);
    const auto live = seen_as(truth_tickets(f), "live");
    REQUIRE(static_cast<std::int64_t>(live.size()) ==
            f.state().at("counts").at("tickets").at("live").as_int64());

    fd::TicketQuery query;
    query.page_cap = c.query_cap;
    const Listing listing = list_tickets(f.client, query);
    require_same(listing, live);
    const auto& st = listing.stats;
    CHECK(st.page_cap == c.account_cap);
    CHECK(st.credits == f.credits("GET /tickets"));  // the refused page 4 included
    CHECK(st.pages <= pages_for(live.size()) + st.restarts);
    CHECK(st.pages >= pages_for(live.size()));
    CHECK(st.pages_with_stats == 0);
    if (c.account_cap == 300) {
        CHECK(st.restarts == 0);
        CHECK(st.repeats == 0);
        CHECK(st.pages == pages_for(live.size()));
    } else {
        // Each window covers at most cap*100 rows, so at least this many windows were needed.
        CHECK(st.restarts >= static_cast<std::int64_t>(live.size()) / (c.account_cap * 100));
    }
    if (c.query_cap != c.account_cap) {  // learned from the 400: one refused page, then restarts
        CHECK(f.requests("GET /tickets") == st.pages + 1);
    }
}

TEST_CASE("the tickets list costs one credit a page, three with stats", "[tickets][credits]") {
    InProc f(generated("contacts=300,tickets=3000,seed=5"));
    const auto live = seen_as(truth_tickets(f), "live");
    const auto n = live.size();

    SECTION("without stats: ceil(n/100) pages of one credit") {
        const Listing listing = list_tickets(f.client, fd::TicketQuery{});
        require_same(listing, live);
        CHECK(listing.stats.pages == pages_for(n));
        CHECK(listing.stats.credits == pages_for(n));
        for (const auto& t : listing.tickets) {
            REQUIRE_FALSE(t.has_stats);
            REQUIRE(t.record.closed_at == gp::no_time);
        }
    }
    SECTION("stats from updated_since: every page with stats") {
        fd::TicketQuery query;
        query.stats_from = query.updated_since;
        const Listing listing = list_tickets(f.client, query);
        require_same(listing, live);
        CHECK(listing.stats.pages == pages_for(n));
        CHECK(listing.stats.pages_with_stats == pages_for(n));
        CHECK(listing.stats.credits == 3 * pages_for(n));
        CHECK(f.credits("GET /tickets") == 3 * pages_for(n));
    }
}

TEST_CASE("stats are read only from stats_from on", "[tickets][stats]") {
    const int cap = GENERATE(300, 5);
    INFO("page cap " << cap);
    auto options = generated("contacts=300,tickets=3000,seed=5");
    options.tickets_page_cap = cap;
    InProc f(options);
    const auto live = seen_as(truth_tickets(f), "live");
    // A stats_from inside a second shared by several tickets would do too; the middle one.
    const UnixTime stats_from = live[live.size() / 2].updated_at;
    const auto with =
        static_cast<std::size_t>(std::count_if(live.begin(), live.end(), [&](const TruthTicket& t) {
            return t.updated_at >= stats_from;
        }));
    const std::size_t without = live.size() - with;

    fd::TicketQuery query;
    query.page_cap = cap;
    query.stats_from = stats_from;
    const Listing listing = list_tickets(f.client, query);
    require_same(listing, live);
    for (std::size_t i = 0; i < live.size(); ++i) {
        const auto& t = listing.tickets[i];
        INFO("ticket " << t.record.id);
        if (t.record.updated_at < stats_from) {
            REQUIRE_FALSE(t.has_stats);
            REQUIRE(t.record.closed_at == gp::no_time);
        } else {
            REQUIRE(t.has_stats);
            REQUIRE(t.record.closed_at == live[i].closed_at);
        }
    }
    const auto& st = listing.stats;
    if (cap == 300) {
        CHECK(st.restarts == 1);  // the switch
        CHECK(st.pages_with_stats >= pages_for(with) - 1);
        CHECK(st.pages_with_stats <= pages_for(with) + 1);
        CHECK(st.pages - st.pages_with_stats <= pages_for(without) + 1);
    }
    CHECK(st.credits == (st.pages - st.pages_with_stats) + 3 * st.pages_with_stats);
    CHECK(st.credits == f.credits("GET /tickets"));
}

TEST_CASE("rows of one second across windows come once", "[tickets][dedupe]") {
    simtest::TempDir dir;
    const UnixTime base = ts("2026-02-01T00:00:00Z");
    std::vector<UnixTime> updated;
    for (int i = 0; i < 700; ++i) {
        updated.push_back(base + i / 70);  // clusters of 70 rows per second, across pages
    }
    auto options = generated("");
    options.account_file = tickets_account(dir, updated);
    options.tickets_page_cap = 2;
    InProc f(options);
    fd::TicketQuery query;
    query.page_cap = 2;
    const Listing listing = list_tickets(f.client, query);
    REQUIRE(listing.tickets.size() == 700);
    for (std::size_t i = 0; i < 700; ++i) {
        REQUIRE(listing.tickets[i].record.id == static_cast<Id>(i) + 1);
    }
    CHECK(listing.stats.restarts >= 3);
    CHECK(listing.stats.repeats > 0);
}

namespace {

// 150 tickets in one second (more than a page of 100), then 10 more, one a second.
std::vector<UnixTime> crowded_second() {
    const UnixTime second = ts("2026-02-01T00:00:00Z");
    std::vector<UnixTime> updated(150, second);
    for (int i = 1; i <= 10; ++i) {
        updated.push_back(second + i);
    }
    return updated;
}

}  // namespace

TEST_CASE("a window of one single second is no progress", "[tickets][dedupe]") {
    const int query_cap = GENERATE(1, 300);  // the account's cap given, or learned from the 400
    INFO("query cap " << query_cap);
    simtest::TempDir dir;
    auto options = generated("");
    options.account_file = tickets_account(dir, crowded_second());
    options.tickets_page_cap = 1;  // 100 rows a window cannot pass 150 in one second
    int calls = 0;  // a listing that restarts forever fails instead of hanging the test
    options.tamper = [&](const gp::http::Request&, gp::http::Response& response) {
        if (++calls > 50) {
            response.status = 418;
            response.body = R"({"code":"runaway","message":"the listing never ends"})";
        }
    };
    InProc f(options);
    fd::TicketQuery query;
    query.page_cap = query_cap;
    std::int64_t handed = 0;
    try {
        fd::for_each_ticket(f.client, query, [&](fd::ListedTicket&&) { ++handed; });
        FAIL("no exception");
    } catch (const fd::ApiError& e) {
        INFO(e.what());
        CHECK(std::string(e.what()).find("no progress") != std::string::npos);
        CHECK(std::string(e.what()).find("2026-02-01T00:00:00Z") != std::string::npos);
        CHECK(e.code() == "no_progress");
    }
    CHECK(handed == 100);
}

TEST_CASE("a crowded second that fits a window is passed", "[tickets][dedupe]") {
    simtest::TempDir dir;
    auto options = generated("");
    options.account_file = tickets_account(dir, crowded_second());
    options.tickets_page_cap = 2;
    InProc f(options);
    fd::TicketQuery query;
    query.page_cap = 2;
    const Listing listing = list_tickets(f.client, query);
    REQUIRE(listing.tickets.size() == 160);
    CHECK(listing.stats.restarts == 0);  // 160 rows fit the first window
}

TEST_CASE("Link spacing and header case do not matter", "[tickets][variants]") {
    const int variant = GENERATE(0, 1);
    auto options = generated("contacts=300,tickets=1000,seed=6");
    options.tickets_page_cap = 2;
    options.link_space_variant = variant == 0;
    options.lower_case_headers = variant == 1;
    InProc f(options);
    const auto live = seen_as(truth_tickets(f), "live");
    const Listing listing = list_tickets(f.client, fd::TicketQuery{});
    require_same(listing, live);
    CHECK(listing.stats.page_cap == 2);
    CHECK(listing.stats.restarts >= 4);
    CHECK(f.client.counters().rate_limit_total == 1000000);
}

TEST_CASE("tickets list without tags", "[tickets][variants]") {
    const bool tags = GENERATE(true, false);
    auto options = generated("contacts=100,tickets=400,seed=2");
    options.ticket_list_tags = tags;
    InProc f(options);
    const auto live = seen_as(truth_tickets(f), "live");
    const Listing listing = list_tickets(f.client, fd::TicketQuery{});
    require_same(listing, live);
    bool some_tagged = false;
    for (std::size_t i = 0; i < live.size(); ++i) {
        const auto& t = listing.tickets[i];
        REQUIRE(t.has_tags == tags);
        REQUIRE(t.record.tags == (tags ? live[i].tags : std::vector<std::string>{}));
        some_tagged = some_tagged || !live[i].tags.empty();
    }
    CHECK(some_tagged);
}

TEST_CASE("tickets list filters", "[tickets][filters]") {
    InProc f(small());
    auto ids = [&](fd::TicketFilter filter, Id requester) {
        fd::TicketQuery query;
        query.filter = filter;
        query.requester_id = requester;
        return ids_of(list_tickets(f.client, query));
    };
    // In (updated_at, id) order; 13 was trashed more than 30 days ago (purged), 14 and 15 are gaps.
    CHECK(ids(fd::TicketFilter::live, gp::no_id) ==
          std::vector<Id>{1, 11, 5, 10, 3, 16, 6, 7, 4, 2, 12});
    CHECK(ids(fd::TicketFilter::deleted, gp::no_id) == std::vector<Id>{8});
    CHECK(ids(fd::TicketFilter::spam, gp::no_id) == std::vector<Id>{9});
    CHECK(ids(fd::TicketFilter::live, alice) == std::vector<Id>{1, 2, 12});
    CHECK(ids(fd::TicketFilter::live, gus).empty());
    CHECK(ids(fd::TicketFilter::deleted, gus) == std::vector<Id>{8});
    // Ticket 11's requester is nobody's id (above 2^31): Freshdesk answers 400 on requester_id,
    // the client's RequesterGone, with the id as sent (test_freshdesk_read_gone.cpp).
    try {
        ids(fd::TicketFilter::live, 2147483700);
        FAIL("no RequesterGone");
    } catch (const fd::RequesterGone& gone) {
        CHECK(gone.requester_id() == 2147483700);
        CHECK(std::string(gone.what()).find("requester_id=2147483700") != std::string::npos);
    }

    fd::TicketQuery trash;
    trash.filter = fd::TicketFilter::deleted;
    const auto trashed = list_tickets(f.client, trash).tickets;
    REQUIRE(trashed.size() == 1);
    CHECK(trashed[0].record.deleted);
    fd::TicketQuery spam;
    spam.filter = fd::TicketFilter::spam;
    const auto spammed = list_tickets(f.client, spam).tickets;
    REQUIRE(spammed.size() == 1);
    CHECK(spammed[0].record.spam);
}

TEST_CASE("tickets list fields", "[tickets]") {
    InProc f(small());
    fd::TicketQuery query;
    query.stats_from = 0;
    std::map<Id, fd::ListedTicket> by_id;
    for (auto& t : list_tickets(f.client, query).tickets) {
        by_id.emplace(t.record.id, std::move(t));
    }
    const auto& t2 = by_id.at(2).record;
    CHECK(t2.requester_id == alice);
    CHECK(t2.responder_id == ari);
    CHECK(t2.group_id == 104);
    CHECK(t2.type == std::optional<std::string>("Incident"));
    CHECK(t2.tags == std::vector<std::string>{"urgent"});
    CHECK(t2.status == 2);
    CHECK(t2.created_at == ts("2026-01-10T08:00:00Z"));
    CHECK(t2.updated_at == ts("2026-01-10T09:00:00Z"));
    CHECK(t2.closed_at == gp::no_time);
    CHECK_FALSE(t2.spam);
    CHECK_FALSE(t2.deleted);
    const auto& t1 = by_id.at(1).record;
    CHECK(t1.responder_id == gp::no_id);
    CHECK(t1.closed_at == ts("2024-01-12T09:00:00Z"));
    CHECK(t1.status == 5);
    CHECK(by_id.at(4).record.type == std::nullopt);
    CHECK(by_id.at(16).record.closed_at == gp::no_time);  // closed, closed_at null
    CHECK(by_id.at(16).has_stats);
    CHECK(by_id.at(6).record.status == 6);
    CHECK(by_id.at(11).record.requester_id == 2147483700);
}

TEST_CASE("updated_since bounds the tickets list", "[tickets]") {
    InProc f(small());
    fd::TicketQuery query;
    query.updated_since = ts("2026-01-10T09:00:00Z");  // inclusive
    CHECK(ids_of(list_tickets(f.client, query)) == std::vector<Id>{2, 12});
    CHECK(f.requests("GET /tickets") == 1);
}

// ---- malformed answers and errors

TEST_CASE("malformed tickets pages are FormatErrors naming the call and the field",
          "[tickets][errors]") {
    auto options = small();
    std::string body;
    options.tamper = [&](const gp::http::Request& request, gp::http::Response& response) {
        if (request.target.starts_with("/api/v2/tickets?")) {
            response.body = body;
        }
    };
    InProc f(options);
    auto error = [&](const std::string& page) {
        body = page;
        return message_of([&] { list_tickets(f.client, fd::TicketQuery{}); });
    };
    const std::string row =
        R"({"id":7,"requester_id":43000000101,"responder_id":null,"group_id":null,"type":null,)"
        R"("status":2,"spam":false,"created_at":"2026-01-01T00:00:00Z",)";
    CHECK_THAT(error("<html>busy</html>"), Catch::Contains("GET /api/v2/tickets?updated_since=") &&
                                               Catch::Contains("not JSON"));
    CHECK_THAT(error(R"({"tickets":[]})"), Catch::Contains("body: not an array"));
    CHECK_THAT(error("[" + row + R"("updated_at":"yesterday"}])"),
               Catch::Contains("[0].updated_at: not a timestamp"));
    CHECK_THAT(error("[" + row + R"("updated_at":"2026-01-02T00:00:00Z","tags":[1]}])"),
               Catch::Contains("[0].tags[0]: not a string"));
    CHECK_THAT(error(R"([{"id":"7"}])"), Catch::Contains("[0].id: not a positive integer id"));
    CHECK_THAT(error("[" + row + R"("updated_at":"2026-01-03T00:00:00Z"},)" + row +
                     R"("updated_at":"2026-01-02T00:00:00Z"}])"),
               Catch::Contains("[1].updated_at") && Catch::Contains("not in updated_at order"));
    CHECK(error("[]") == "(nothing thrown)");  // an empty list is fine
}

TEST_CASE("a missing stats object with include=stats is a FormatError", "[tickets][errors]") {
    auto options = small();
    options.tamper = [](const gp::http::Request&, gp::http::Response& response) {
        auto value = json::parse(response.body);
        if (value.is_array()) {
            for (auto& row : value.as_array()) {
                row.as_object().erase("stats");
            }
            response.body = json::serialize(value);
        }
    };
    InProc f(options);
    fd::TicketQuery query;
    query.stats_from = 0;
    CHECK_THROWS_AS(list_tickets(f.client, query), fd::FormatError);
    CHECK_THAT(message_of([&] { list_tickets(f.client, query); }),
               Catch::Contains("[0].stats: missing"));
}

TEST_CASE("API errors of the reads", "[errors]") {
    SECTION("a wrong key") {
        InProc f(small(), "wrong-key");
        try {
            list_tickets(f.client, fd::TicketQuery{});
            FAIL("no exception");
        } catch (const fd::ApiError& e) {
            CHECK(e.status() == 401);
            CHECK(e.code() == "invalid_credentials");
            CHECK_THAT(std::string(e.what()), Catch::Contains("GET /api/v2/tickets"));
        }
        CHECK_THROWS_AS(fd::view_contact(f.client, alice), fd::ApiError);
    }
    SECTION("no admin key: agents and groups 403") {
        auto options = small();
        options.admin_key = false;
        InProc f(options);
        try {
            fd::list_agents(f.client);
            FAIL("no exception");
        } catch (const fd::ApiError& e) {
            CHECK(e.status() == 403);
            CHECK(e.authentication());
        }
        CHECK_THROWS_AS(fd::list_groups(f.client), fd::ApiError);
        CHECK(fd::list_companies(f.client).size() == 3);
    }
}

// ---- contacts

TEST_CASE("contacts list: live, soft-deleted, by email", "[contacts]") {
    InProc f(small());
    auto list = [&](const fd::ContactQuery& query) {
        std::vector<fd::ContactItem> out;
        fd::for_each_contact(f.client, query,
                             [&](fd::ContactItem&& c) { out.push_back(std::move(c)); });
        return out;
    };
    auto ids = [&](const fd::ContactQuery& query) {
        std::vector<Id> out;
        for (const auto& c : list(query)) {
            out.push_back(c.id);
        }
        return out;
    };
    const auto live = list({});
    REQUIRE(live.size() == 6);  // by name; Carol (deleted) and Dan (blocked) are not listed
    CHECK(ids({}) == std::vector<Id>{alice, bob, eve, finn, gus, hana});
    CHECK(live[0].email == "alice@example.com");
    CHECK(live[0].company_id == 201);
    CHECK(live[0].active);
    CHECK(live[0].created_at == ts("2022-01-01T00:00:00Z"));
    CHECK_FALSE(live[2].active);   // Eve is unverified
    CHECK(live[3].email.empty());  // Finn has no email
    CHECK(live[3].company_id == gp::no_id);
    CHECK(live[5].email == "Hana.Hill@Example.COM");

    const auto deleted = list({true, ""});
    REQUIRE(deleted.size() == 1);
    CHECK(deleted[0].id == carol);
    CHECK(deleted[0].deleted);
    CHECK(ids({false, "BOB+ALT@example.COM"}) == std::vector<Id>{bob});  // other email, any case
    CHECK(ids({false, "hana.hill@example.com"}) == std::vector<Id>{hana});
    CHECK(ids({false, "carol@example.com"}).empty());  // soft-deleted: needs state=deleted
    CHECK(ids({true, "carol@example.com"}) == std::vector<Id>{carol});
    CHECK(ids({false, "keeper@example.com"}).empty());  // agents are not contacts
    CHECK(ids({false, "nobody@example.com"}).empty());
}

TEST_CASE("contacts list of a generated account is complete", "[contacts]") {
    InProc f(generated("contacts=1000,tickets=100,seed=4"));
    const json::value counts = f.state().at("counts").at("contacts");
    auto check = [&](bool deleted, const char* state) {
        std::set<Id> ids;
        fd::ListStats stats;
        fd::for_each_contact(
            f.client, {deleted, ""},
            [&](fd::ContactItem&& c) {
                REQUIRE(ids.insert(c.id).second);
                REQUIRE(c.deleted == deleted);
            },
            &stats);
        REQUIRE(static_cast<std::int64_t>(ids.size()) == counts.at(state).as_int64());
        for (const Id id : ids) {
            const json::value contact = f.state("?contact=" + std::to_string(id)).at("contact");
            REQUIRE(contact.at("state").as_string() == state);
        }
        CHECK(stats.pages == pages_for(ids.size()));
        CHECK(stats.rows == static_cast<std::int64_t>(ids.size()));
        return stats;
    };
    const auto live = check(false, "active");
    CHECK(live.pages >= 9);
    CHECK(live.credits == live.pages);
    check(true, "soft_deleted");
    CHECK(f.credits("GET /contacts") == f.requests("GET /contacts"));
}

namespace {

// The contacts of a listing, by id, with what it cost.
struct ContactListing {
    std::vector<Id> ids;
    fd::ListStats stats;
};

ContactListing list_contacts(InProc& f, const fd::ContactQuery& query) {
    ContactListing out;
    fd::for_each_contact(
        f.client, query, [&](fd::ContactItem&& c) { out.ids.push_back(c.id); }, &out.stats);
    return out;
}

fd::ContactQuery updated_since(UnixTime since, bool deleted = false) {
    fd::ContactQuery query;
    query.deleted = deleted;
    query.updated_since = since;
    return query;
}

simtest::InProcessOptions small_plain(bool plain) {
    auto options = small();
    options.contacts_updated_since_plain = plain;
    return options;
}

// A 400 invalid_field on the updated-since parameter, whichever name was sent, as an account
// without that filter would answer.
void refuse_updated_since(const gp::http::Request& request, gp::http::Response& response) {
    if (request.target.find("updated_since=") == std::string::npos) {
        return;
    }
    const bool underscore = request.target.find("_updated_since=") != std::string::npos;
    response.status = 400;
    response.body = json::serialize(json::object{
        {"description", "Validation failed"},
        {"errors",
         json::array{json::object{{"field", underscore ? "_updated_since" : "updated_since"},
                                  {"message", "Unexpected/invalid field in request"},
                                  {"code", "invalid_field"}}}}});
}

}  // namespace

TEST_CASE("contacts list: updated since, under either name of the filter", "[contacts][variants]") {
    const UnixTime since = ts("2025-06-01T00:00:00Z");  // Bob's updated_at: inclusive
    for (const bool plain : {false, true}) {
        INFO((plain ? "updated_since" : "_updated_since"));
        InProc f(small_plain(plain));
        const auto live = list_contacts(f, updated_since(since));
        CHECK(live.ids == std::vector<Id>{bob, eve, hana});  // by name; Carol is soft-deleted
        CHECK(live.stats.pages == 1);
        CHECK(live.stats.rows == 3);
        CHECK(list_contacts(f, updated_since(since, true)).ids == std::vector<Id>{carol});
        CHECK(list_contacts(f, updated_since(ts("2026-01-01T00:00:00Z"))).ids.empty());
        fd::ContactQuery by_email = updated_since(since);
        by_email.email = "EVE@example.com";
        CHECK(list_contacts(f, by_email).ids == std::vector<Id>{eve});
        by_email.email = "alice@example.com";  // updated before `since`
        CHECK(list_contacts(f, by_email).ids.empty());
    }
}

TEST_CASE("contacts list: the filter name the account refuses costs one 400, once",
          "[contacts][variants]") {
    const UnixTime since = ts("2025-06-01T00:00:00Z");
    // The name in use is kept for the process: the first listing below may or may not meet a
    // refusal (other tests ran before); from then on each switch of variant costs one 400.
    {
        InProc f(small_plain(true));
        (void)list_contacts(f, updated_since(since));
        const auto before = f.requests("GET /contacts");
        const auto again = list_contacts(f, updated_since(since));
        CHECK(again.ids == std::vector<Id>{bob, eve, hana});
        CHECK(f.requests("GET /contacts") - before == 1);
        CHECK(again.stats.credits == 1);
    }
    for (const bool plain : {false, true, false}) {
        INFO((plain ? "updated_since" : "_updated_since"));
        InProc f(small_plain(plain));
        const auto first = list_contacts(f, updated_since(since));
        CHECK(first.ids == std::vector<Id>{bob, eve, hana});
        CHECK(f.requests("GET /contacts") == 2);  // the other name, refused, then this one
        CHECK(first.stats.credits == 2);          // the refusal is charged too
        CHECK(first.stats.pages == 1);
        CHECK(list_contacts(f, updated_since(since, true)).ids == std::vector<Id>{carol});
        CHECK(f.requests("GET /contacts") == 3);
        // Listings without the filter never mind the name.
        CHECK(list_contacts(f, {}).ids.size() == 6);
        CHECK(f.requests("GET /contacts") == 4);
    }
}

TEST_CASE("contacts list: an account refusing both names, or another field, is an ApiError",
          "[contacts][errors]") {
    auto options = small();
    options.tamper = refuse_updated_since;
    InProc f(options);
    try {
        (void)list_contacts(f, updated_since(ts("2025-06-01T00:00:00Z")));
        FAIL("no exception");
    } catch (const fd::ApiError& e) {
        CHECK(e.status() == 400);
        CHECK(e.code() == "invalid_field");
        CHECK_THAT(std::string(e.what()), Catch::Contains("GET /api/v2/contacts"));
    }
    CHECK(f.requests("GET /contacts") == 2);  // each name once
    CHECK(list_contacts(f, {}).ids.size() == 6);

    auto other = small();
    other.tamper = [](const gp::http::Request& request, gp::http::Response& response) {
        if (request.target.find("email=") == std::string::npos) {
            return;
        }
        response.status = 400;
        response.body =
            R"({"description":"Validation failed","errors":[{"field":"email",)"
            R"("message":"Unexpected/invalid field in request","code":"invalid_field"}]})";
    };
    InProc g(other);
    fd::ContactQuery query = updated_since(ts("2025-06-01T00:00:00Z"));
    query.email = "eve@example.com";
    CHECK_THROWS_AS(list_contacts(g, query), fd::ApiError);
    CHECK(g.requests("GET /contacts") == 1);  // a refusal of another field is not retried
}

TEST_CASE("view_contact reads the full contact", "[contacts]") {
    InProc f(small());
    const auto b = fd::view_contact(f.client, bob);
    REQUIRE(b);
    CHECK(b->contact.id == bob);
    CHECK(b->contact.email == "bob@example.com");
    CHECK(b->contact.other_emails == std::vector<std::string>{"bob+alt@example.com"});
    CHECK(b->contact.company_id == 203);
    CHECK(b->contact.other_company_ids == std::vector<Id>{202});
    CHECK(b->contact.tags.empty());
    CHECK(b->contact.created_at == ts("2023-03-01T00:00:00Z"));
    CHECK(b->contact.updated_at == ts("2025-06-01T00:00:00Z"));
    CHECK(b->contact.state == gp::ContactState::active);
    CHECK_FALSE(b->blocked);

    CHECK(fd::view_contact(f.client, alice)->contact.tags == std::vector<std::string>{"VIP"});
    const auto c = fd::view_contact(f.client, carol);
    REQUIRE(c);
    CHECK(c->contact.state == gp::ContactState::soft_deleted);
    CHECK(c->contact.tags == std::vector<std::string>{"gdpr-purge-deleted"});
    // The documented view has no `blocked` field (docs/reading.md: blocked contacts come from
    // GET /contacts?state=blocked); an account that sends one is believed.
    CHECK_FALSE(fd::view_contact(f.client, dan)->blocked);
    REQUIRE(f.sim.control("POST", "/_sim/options", R"({"contact_blocked_field":true})").status ==
            200);
    CHECK(fd::view_contact(f.client, dan)->blocked);
    CHECK(fd::view_contact(f.client, finn)->contact.email.empty());
    CHECK(fd::view_contact(f.client, eve)->contact.tags ==
          std::vector<std::string>{"gdpr-purge-pending-2025-12-20"});

    CHECK_FALSE(fd::view_contact(f.client, keeper));       // an agent's id
    CHECK_FALSE(fd::view_contact(f.client, 43999999999));  // unknown
    CHECK(f.requests("GET /contacts/{id}") == 9);
}

TEST_CASE("view_contact accepts other_companies as plain ids, refuses a view without tags",
          "[contacts][variants]") {
    auto options = small();
    std::function<void(json::object&)> edit;
    options.tamper = [&](const gp::http::Request& request, gp::http::Response& response) {
        if (request.target.starts_with("/api/v2/contacts/") && response.status == 200) {
            json::value value = json::parse(response.body);
            edit(value.as_object());
            response.body = json::serialize(value);
        }
    };
    InProc f(options);
    edit = [](json::object& o) { o["other_companies"] = json::array{202, 201}; };
    CHECK(fd::view_contact(f.client, bob)->contact.other_company_ids == std::vector<Id>{202, 201});
    edit = [](json::object& o) { o.erase("other_companies"); };  // no multiple-companies feature
    CHECK(fd::view_contact(f.client, bob)->contact.other_company_ids.empty());
    edit = [](json::object& o) { o.erase("tags"); };
    CHECK_THAT(message_of([&] { fd::view_contact(f.client, bob); }),
               Catch::Contains("GET /api/v2/contacts/43000000102: tags: missing"));
    edit = [](json::object& o) { o["other_companies"] = json::array{json::object{{"x", 1}}}; };
    CHECK_THAT(message_of([&] { fd::view_contact(f.client, bob); }),
               Catch::Contains("other_companies[0].company_id: missing"));
}

// ---- search

TEST_CASE("search_contacts by tag, behind the index lag", "[search]") {
    InProc f(small());
    f.control("POST", "/_sim/contacts/" + std::to_string(gus) + "/tags", R"({"add":["Gold"]})");
    auto found = fd::search_contacts(f.client, "tag:'Gold'");
    CHECK(found.total == 0);  // the index lags 180 s
    CHECK(found.complete());
    f.sim.clock().advance(181);
    found = fd::search_contacts(f.client, "tag:'Gold'");
    CHECK(found.total == 1);
    CHECK(found.ids == std::vector<Id>{gus});
    CHECK(fd::search_contacts(f.client, "tag:'VIP' OR email:'bob+alt@example.com'").ids.size() ==
          2);
    CHECK(fd::search_contacts(f.client, "tag:'gdpr-purge-deleted'").total == 0);  // Carol: deleted
}

TEST_CASE("search_contacts reads pages until all results or page 10", "[search]") {
    InProc f(generated("contacts=1000,tickets=10,seed=4"));
    std::vector<Id> live;
    fd::for_each_contact(f.client, {}, [&](fd::ContactItem&& c) { live.push_back(c.id); });
    REQUIRE(live.size() >= 320);
    std::vector<Id> tagged;
    for (const Id id : live) {
        if (tagged.size() == 320) {
            break;
        }
        f.control("POST", "/_sim/contacts/" + std::to_string(id) + "/tags", R"({"add":["bulk"]})");
        tagged.push_back(id);
        if (tagged.size() == 45) {
            f.sim.clock().advance(181);
            const auto found = fd::search_contacts(f.client, "tag:'bulk'");
            CHECK(found.total == 45);
            CHECK(found.complete());
            CHECK(std::set<Id>(found.ids.begin(), found.ids.end()) ==
                  std::set<Id>(tagged.begin(), tagged.end()));
            CHECK(f.requests("GET /search/contacts") == 2);
        }
    }
    f.sim.clock().advance(181);
    const auto found = fd::search_contacts(f.client, "tag:'bulk'");
    CHECK(found.total == 320);
    CHECK(found.ids.size() == 300);
    CHECK_FALSE(found.complete());
    CHECK(std::set<Id>(found.ids.begin(), found.ids.end()).size() == 300);
    CHECK(f.requests("GET /search/contacts") == 2 + 10);
}

// ---- names

TEST_CASE("agents, groups, companies and ticket types", "[names]") {
    const bool objects = GENERATE(false, true);
    auto options = small();
    options.ticket_type_choice_objects = objects;
    InProc f(options);
    const auto agents = fd::list_agents(f.client);
    REQUIRE(agents.size() == 2);
    CHECK(agents[0].id == keeper);
    CHECK(agents[0].email == "keeper@example.com");
    CHECK(agents[1].id == ari);
    CHECK(agents[1].email == "ari.agent@example.com");
    const auto groups = fd::list_groups(f.client);
    REQUIRE(groups.size() == 4);
    CHECK(groups[0].id == 101);
    CHECK(groups[0].name == "Escalations");
    CHECK(groups[3].name == "Support");
    const auto companies = fd::list_companies(f.client);
    REQUIRE(companies.size() == 3);
    CHECK(companies[2].id == 203);
    CHECK(companies[2].name == "Globex");
    CHECK(fd::list_ticket_types(f.client) ==
          std::vector<std::string>{"Question", "Incident", "Problem", "Feature Request", "Refund"});
}

TEST_CASE("companies and agents are read page by page", "[names]") {
    InProc f(generated("contacts=10,tickets=10,seed=1,agents=150,companies=250"));
    const auto companies = fd::list_companies(f.client);
    CHECK(companies.size() == 250);
    CHECK(f.requests("GET /companies") == 3);
    std::set<Id> ids;
    for (const auto& c : companies) {
        ids.insert(c.id);
    }
    CHECK(ids.size() == 250);
    CHECK(fd::list_agents(f.client).size() == 150);
    CHECK(f.requests("GET /agents") == 2);
}

// ---- over HTTP, with freshdesk-sim

namespace {

struct OverHttp {
    simtest::SimProcess process;
    simtest::Client control;
    std::unique_ptr<gp::http::HttpClient> http;
    FakeClock clock;
    fd::Client client;

    OverHttp(std::vector<std::string> args, fd::Policy policy)
        : process(std::move(args)),
          control(process.port()),
          http(simtest::loopback_http(process.port())),
          client(*http, fd::ApiKey("sim-api-key"), std::move(policy), clock) {}

    json::value get(const std::string& target) {
        const simtest::Reply r = control.get(target);
        REQUIRE(r.status == 200);
        return r.json();
    }
};

std::vector<std::string> sim_args(const std::string& spec, std::vector<std::string> extra) {
    std::vector<std::string> args = {"--generate", spec, "--now", generated_now, "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// Reads every live ticket (through page-cap restarts) and every live contact; checks them against
// the simulator's counts.
void read_and_check(OverHttp& s, const fd::TicketQuery& query) {
    const json::value counts = s.get("/_sim/state").at("counts");
    std::set<Id> tickets;
    UnixTime last = 0;
    fd::ListStats stats;
    fd::for_each_ticket(
        s.client, query,
        [&](fd::ListedTicket&& t) {
            REQUIRE(tickets.insert(t.record.id).second);
            REQUIRE(t.record.updated_at >= last);
            last = t.record.updated_at;
        },
        &stats);
    CHECK(static_cast<std::int64_t>(tickets.size()) == counts.at("tickets").at("live").as_int64());
    CHECK(stats.restarts > 0);
    std::set<Id> contacts;
    fd::for_each_contact(s.client, {},
                         [&](fd::ContactItem&& c) { REQUIRE(contacts.insert(c.id).second); });
    CHECK(static_cast<std::int64_t>(contacts.size()) ==
          counts.at("contacts").at("active").as_int64());
    const auto view = fd::view_contact(s.client, *contacts.begin());
    REQUIRE(view);
    CHECK(view->contact.id == *contacts.begin());
    CHECK(fd::list_ticket_types(s.client).size() == 5);
}

}  // namespace

TEST_CASE("over HTTP: Link spacing, header case, chunked bodies", "[http]") {
    const std::vector<std::string> variant =
        GENERATE(std::vector<std::string>{"--link-style", "spaced"},
                 std::vector<std::string>{"--header-case", "lower"},
                 std::vector<std::string>{"--chunked", "yes"});
    INFO(variant[0] << " " << variant[1]);
    std::vector<std::string> extra = {"--tickets-page-cap", "3",      "--rate-limit", "1000000",
                                      "--list-rate-limit",  "1000000"};
    extra.insert(extra.end(), variant.begin(), variant.end());
    OverHttp s(sim_args("contacts=400,tickets=1500,seed=9", extra), unpaced());
    read_and_check(s, fd::TicketQuery{});
    // The X-RateLimit-* headers were read, whatever their case.
    CHECK(s.client.counters().rate_limit_total == 1000000);
}

TEST_CASE("over HTTP: a full read within 50 credits a minute meets no 429", "[http][rate]") {
    // The pacer waits on a fake clock; each wait moves the simulator's clock (and with it the
    // rate window) as far, so minutes of budget pass in milliseconds.
    OverHttp s(
        sim_args("contacts=150,tickets=1200,seed=11",
                 {"--tickets-page-cap", "3", "--rate-limit", "50", "--list-rate-limit", "20"}),
        fd::Policy{});
    s.clock.on_sleep = [&](std::chrono::milliseconds waited) {
        const auto seconds = (waited.count() + 999) / 1000;
        const simtest::Reply r = s.control.send(
            "POST", "/_sim/clock", "{\"advance_seconds\":" + std::to_string(seconds) + "}");
        REQUIRE(r.status == 200);
    };
    fd::TicketQuery query;
    query.stats_from = 0;  // 3 credits a page: several minutes of the list budget
    read_and_check(s, query);
    const json::value stats = s.get("/_sim/stats");
    INFO(json::serialize(stats));
    CHECK(stats.at("rate_limited_429").as_int64() == 0);
    CHECK(s.client.counters().rate_limited == 0);
    CHECK(s.clock.slept() > std::chrono::minutes(1));  // the pacer did wait
}

// ---- archived tickets: GET /tickets/archived/{id} (docs/reading.md, "Archived tickets")

TEST_CASE("probe_archived: the facts of an archived ticket, 404 for any other id, 403 no feature",
          "[archived]") {
    auto options = generated("contacts=50,tickets=300,seed=5");
    options.archive_days = 120;
    InProc f(options);
    Id archived = 0;
    Id live = 0;
    for (Id id = 1; id <= 300 && (archived == 0 || live == 0); ++id) {
        const auto seen = f.state("?ticket=" + std::to_string(id)).at("ticket").at("seen");
        archived = archived == 0 && seen == "archived" ? id : archived;
        live = live == 0 && seen == "live" ? id : live;
    }
    REQUIRE(archived != 0);
    REQUIRE(live != 0);
    const json::object truth =
        f.state("?ticket=" + std::to_string(archived)).at("ticket").as_object();

    const fd::ArchivedProbe a = fd::probe_archived(f.client, archived);
    REQUIRE(a.answer == fd::ArchivedAnswer::archived);
    CHECK(a.ticket.id == archived);
    CHECK(a.ticket.archived);
    CHECK_FALSE(a.ticket.deleted);
    CHECK(a.ticket.requester_id == truth.at("requester_id").as_int64());
    CHECK(a.ticket.status == truth.at("status").as_int64());
    CHECK(a.ticket.updated_at == ts(std::string(truth.at("updated_at").as_string())));
    CHECK(a.ticket.closed_at == gp::no_time);  // no statistics: the close time is updated_at
    CHECK(fd::probe_archived(f.client, live).answer == fd::ArchivedAnswer::not_found);
    CHECK(fd::probe_archived(f.client, 999999).answer == fd::ArchivedAnswer::not_found);
    CHECK(f.requests("GET /tickets/archived/{id}") == 3);

    // The single ticket view of an archived ticket: 404, or a 301 never followed; no failure.
    CHECK(fd::ticket_tags(f.client, archived).empty());
    f.control("POST", "/_sim/options", R"({"archived_ticket_view":301})");
    CHECK(fd::ticket_tags(f.client, archived).empty());

    f.control("POST", "/_sim/options", R"({"archive_feature":false})");
    CHECK(fd::probe_archived(f.client, archived).answer == fd::ArchivedAnswer::no_feature);
}
