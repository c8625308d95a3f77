// Contract tests: GET /tickets and GET /tickets/{id} (docs/freshdesk-api.md, "Pagination",
// "Objects", "Reading endpoints").
#include "test_sim_endpoints_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace simtest;
using namespace simtest::ep;
using V = std::vector<std::int64_t>;

namespace {
const std::string kAll = "/api/v2/tickets?updated_since=2020-01-01T00:00:00Z";
}

TEST_CASE("tickets list without updated_since shows tickets created in the last 30 days",
          "[tickets]") {
    Sim sim;
    const Reply r = sim.get("/api/v2/tickets");
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    // Live, not spam, created since 2025-12-16T12:00Z, newest created first (default order).
    CHECK(ids(r.json()) == V{12, 2, 4});
    CHECK_FALSE(r.has_header("Link"));
    CHECK(credits(r) == 1);
}

TEST_CASE("tickets list: updated_since, order_by, order_type, deleted, spam and purged excluded",
          "[tickets]") {
    Sim sim;
    const Reply asc = sim.get(kAll + "&order_by=updated_at&order_type=asc");
    REQUIRE(asc.status == 200);
    CHECK(ids(asc.json()) == V{1, 11, 5, 10, 3, 16, 6, 7, 4, 2, 12});
    CHECK(ids(sim.get(kAll + "&order_by=updated_at").json()) ==
          V{12, 2, 4, 7, 6, 16, 3, 10, 5, 11, 1});
    CHECK(ids(sim.get(kAll).json()) == V{12, 2, 4, 7, 6, 16, 3, 10, 5, 11, 1});  // created_at desc
    CHECK(ids(sim.get(kAll + "&order_by=created_at&order_type=asc").json()) ==
          V{1, 11, 5, 10, 3, 16, 6, 7, 4, 2, 12});
    // status then id, ascending: 2 (open), 3 (pending), 4, 5..., 6, 7.
    CHECK(ids(sim.get(kAll + "&order_by=status&order_type=asc").json()) ==
          V{2, 12, 3, 1, 4, 5, 10, 11, 16, 6, 7});
    // updated_since is inclusive and accepts a date.
    CHECK(
        ids(sim.get("/api/v2/"
                    "tickets?updated_since=2025-12-22T00:00:00Z&order_by=updated_at&order_type=asc")
                .json()) == V{4, 2, 12});
    CHECK(ids(sim.get("/api/v2/tickets?updated_since=2026-01-10&order_by=updated_at&order_type=asc")
                  .json()) == V{2, 12});
}

TEST_CASE("tickets list items: fields, tags, no stats unless included", "[tickets]") {
    Sim sim;
    const auto items = sim.get(kAll + "&order_by=updated_at&order_type=asc").json().as_array();
    const auto& t2 = items[9].as_object();
    CHECK(t2.at("id") == 2);
    CHECK(t2.at("requester_id") == kAlice);
    CHECK(t2.at("responder_id") == kAri);
    CHECK(t2.at("group_id") == 104);
    CHECK(t2.at("company_id").is_null());
    CHECK(t2.at("type") == "Incident");
    CHECK(t2.at("status") == 2);
    CHECK(t2.at("spam") == false);
    CHECK(t2.at("tags") == boost::json::array{"urgent"});
    CHECK(t2.at("created_at") == "2026-01-10T08:00:00Z");
    CHECK(t2.at("updated_at") == "2026-01-10T09:00:00Z");
    CHECK_FALSE(t2.contains("stats"));
    CHECK_FALSE(t2.contains("deleted"));
    CHECK_FALSE(t2.contains("description"));
    const auto& t4 = items[8].as_object();
    CHECK(t4.at("type").is_null());
    CHECK(t4.at("responder_id").is_null());
}

TEST_CASE("tickets list include=stats adds stats and costs 3 credits", "[tickets]") {
    Sim sim;
    const Reply r = sim.get(kAll + "&order_by=updated_at&order_type=asc&include=stats");
    REQUIRE(r.status == 200);
    CHECK(credits(r) == 3);
    const auto body = r.json();
    const auto& t1 = body.as_array()[0].as_object();
    REQUIRE(t1.at("id") == 1);
    const auto& stats = t1.at("stats").as_object();
    CHECK(stats.at("closed_at") == "2024-01-12T09:00:00Z");
    CHECK(stats.at("resolved_at") == "2024-01-12T09:00:00Z");
    CHECK(stats.at("status_updated_at") == "2024-01-12T09:00:00Z");
    CHECK(stats.at("reopened_at").is_null());
    // Each include costs 2 on the list; description and requester and company are includes too.
    const Reply two = sim.get(kAll + "&include=stats,requester");
    CHECK(credits(two) == 5);
    CHECK(two.json().as_array()[0].at("requester").at("email") == "alice@example.com");
    CHECK(credits(sim.get(kAll + "&include=description,company,stats")) == 7);
    // Invalid requests are charged too, includes included.
    const Reply bad = sim.get(kAll + "&include=stats&per_page=101");
    CHECK(bad.status == 400);
    CHECK(credits(bad) == 3);
    const Reply unknown = sim.get(kAll + "&include=nonsense");
    CHECK(unknown.status == 400);
    CHECK(only_error(unknown.json()).at("field") == "include");
}

TEST_CASE("tickets list pagination: per_page, page, Link only when a next page exists",
          "[tickets]") {
    Sim sim;
    const Reply p1 = sim.get(kAll + "&order_by=updated_at&order_type=asc&per_page=4");
    CHECK(ids(p1.json()) == V{1, 11, 5, 10});
    const std::string base = "http://127.0.0.1:" + std::to_string(sim.process.port());
    CHECK(p1.header("Link") ==
          "<" + base +
              "/api/v2/tickets?updated_since=2020-01-01T00:00:00Z"
              "&order_by=updated_at&order_type=asc&per_page=4&page=2>; rel=\"next\"");
    const Reply p3 = sim.get(kAll + "&order_by=updated_at&order_type=asc&per_page=4&page=3");
    CHECK(ids(p3.json()) == V{4, 2, 12});
    CHECK_FALSE(p3.has_header("Link"));
    // Exactly full last page: no Link either.
    const Reply exact = sim.get(kAll + "&per_page=11");
    CHECK(exact.json().as_array().size() == 11);
    CHECK_FALSE(exact.has_header("Link"));
    const Reply beyond = sim.get(kAll + "&page=9");
    CHECK(beyond.status == 200);
    CHECK(beyond.body == "[]");
    CHECK(sim.get(kAll).json().as_array().size() == 11);  // default per_page 30
}

TEST_CASE("tickets list: per_page over 100 and bad page values are validation errors",
          "[tickets]") {
    Sim sim;
    const Reply r = sim.get(kAll + "&per_page=101");
    REQUIRE(r.status == 400);
    const auto body = r.json();
    const auto& e = only_error(body);
    CHECK(e.at("field") == "per_page");
    CHECK(e.at("code") == "invalid_value");
    CHECK(sim.get(kAll + "&per_page=100").status == 200);
    CHECK(only_error(sim.get(kAll + "&per_page=0").json()).at("code") == "datatype_mismatch");
    CHECK(only_error(sim.get(kAll + "&page=abc").json()).at("field") == "page");
    CHECK(only_error(sim.get(kAll + "&page=-1").json()).at("field") == "page");
}

TEST_CASE("tickets list: page 301 answers the exact 400 body of the spec", "[tickets]") {
    Sim sim;
    const Reply r = sim.get(kAll + "&page=301");
    REQUIRE(r.status == 400);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    CHECK(
        r.body ==
        "{\"description\":\"Validation failed\",\"errors\":[{\"field\":\"page\",\"message\":\"You "
        "cannot access tickets beyond the 300th page. Please provide a smaller page number.\","
        "\"code\":\"invalid_value\"}]}");
    CHECK(sim.get(kAll + "&page=300").status == 200);
}

TEST_CASE("tickets list: the Link of page 300 names page 301, which answers the exact 400",
          "[tickets]") {
    Sim sim(generated("contacts=60,tickets=400,seed=5"));
    const std::string q = kAll + "&order_by=updated_at&order_type=asc&per_page=1";
    const Reply last = sim.get(q + "&page=300");
    REQUIRE(last.status == 200);
    CHECK(last.json().as_array().size() == 1);
    const std::string base = "http://127.0.0.1:" + std::to_string(sim.process.port());
    const std::string next = base + q + "&page=301";
    REQUIRE(last.header("Link") == "<" + next + ">; rel=\"next\"");
    const Reply beyond = sim.get(next.substr(base.size()));
    REQUIRE(beyond.status == 400);
    CHECK(
        beyond.body ==
        "{\"description\":\"Validation failed\",\"errors\":[{\"field\":\"page\",\"message\":\"You "
        "cannot access tickets beyond the 300th page. Please provide a smaller page number.\","
        "\"code\":\"invalid_value\"}]}");
}

TEST_CASE("tickets list: the page cap is an option, the way past it is updated_since",
          "[tickets]") {
    Sim sim(args({"--tickets-page-cap", "2"}));
    const std::string q = kAll + "&order_by=updated_at&order_type=asc&per_page=4";
    const Reply last = sim.get(q + "&page=2");
    CHECK(ids(last.json()) == V{3, 16, 6, 7});
    // The last allowed page still links to the next one, which is refused.
    CHECK(last.header("Link").find("&page=3>") != std::string::npos);
    const Reply capped = sim.get(q + "&page=3");
    REQUIRE(capped.status == 400);
    CHECK(only_error(capped.json()).at("message") ==
          "You cannot access tickets beyond the 2nd page. Please provide a smaller page number.");
    // Restart at page 1 from the last row's updated_at: the boundary row comes again.
    const Reply next = sim.get(
        "/api/v2/tickets?updated_since=2025-11-02T00:00:00Z&order_by=updated_at"
        "&order_type=asc&per_page=4");
    CHECK(ids(next.json()) == V{7, 4, 2, 12});
}

TEST_CASE("tickets list: Link spacing variant", "[tickets]") {
    Sim sim(args({"--link-style", "spaced"}));
    const Reply r = sim.get(kAll + "&per_page=2");
    const std::string base = "http://127.0.0.1:" + std::to_string(sim.process.port());
    CHECK(r.header("Link") == "< " + base +
                                  "/api/v2/tickets?updated_since=2020-01-01T00:00:00Z"
                                  "&per_page=2&page=2>;rel=\"next\"");
}

TEST_CASE("tickets list: items without tags when the option says so, the view keeps them",
          "[tickets]") {
    Sim sim(args({"--ticket-list-tags", "no"}));
    const auto items = sim.get(kAll).json().as_array();
    for (const auto& t : items)
        CHECK_FALSE(t.as_object().contains("tags"));
    CHECK(sim.get("/api/v2/tickets/2").json().at("tags") == boost::json::array{"urgent"});
}

TEST_CASE("tickets list: filter=deleted lists the trash, filter=spam the spam", "[tickets]") {
    Sim sim;
    const Reply trash = sim.get(kAll + "&filter=deleted");
    REQUIRE(trash.status == 200);
    CHECK(ids(trash.json()) == V{8});  // 13 was deleted more than 30 days ago: purged
    CHECK(trash.json().as_array()[0].at("deleted") == true);
    CHECK(ids(sim.get(kAll + "&filter=spam").json()) == V{9});
    CHECK(sim.get("/api/v2/tickets?filter=deleted").body == "[]");  // 8 was created long ago
    CHECK(only_error(sim.get(kAll + "&filter=nope").json()).at("field") == "filter");
}

TEST_CASE("tickets list: requester_id filters by requester, agents included", "[tickets]") {
    Sim sim;
    CHECK(ids(sim.get(kAll + "&requester_id=" + std::to_string(kAlice)).json()) == V{12, 2, 1});
    CHECK(ids(sim.get(kAll + "&requester_id=" + std::to_string(kAri)).json()) == V{10});
    CHECK(ids(sim.get(kAll + "&requester_id=" + std::to_string(kGus)).json()).empty());
    // The default window applies to it as well.
    CHECK(ids(sim.get("/api/v2/tickets?requester_id=" + std::to_string(kAlice)).json()) ==
          V{12, 2});
    CHECK(only_error(sim.get(kAll + "&requester_id=x").json()).at("code") == "datatype_mismatch");
    // email: the requester's, any of its emails (an agent's too); company_id.
    CHECK(ids(sim.get(kAll + "&email=bob%2Balt%40example.com").json()) == V{4, 16, 3});
    CHECK(ids(sim.get(kAll + "&email=ari.agent%40example.com").json()) == V{10});
    CHECK(sim.get(kAll + "&email=nobody%40example.com").body == "[]");
    CHECK(ids(sim.get(kAll + "&company_id=201").json()) == V{1});
}

TEST_CASE("tickets list: unknown or repeated parameters are refused", "[tickets]") {
    Sim sim;
    const Reply r = sim.get(kAll + "&sort=asc");
    REQUIRE(r.status == 400);
    const auto body = r.json();
    const auto& e = only_error(body);
    CHECK(e.at("field") == "sort");
    CHECK(e.at("code") == "invalid_field");
    CHECK(sim.get(kAll + "&page=1&page=2").status == 400);
    CHECK(only_error(sim.get("/api/v2/tickets?updated_since=yesterday").json()).at("field") ==
          "updated_since");
    CHECK(only_error(sim.get(kAll + "&order_by=due").json()).at("field") == "order_by");
    CHECK(only_error(sim.get(kAll + "&order_type=up").json()).at("field") == "order_type");
}

TEST_CASE("ticket view: 200 for live, spam and trashed tickets, 404 otherwise", "[tickets]") {
    Sim sim;
    const Reply live = sim.get("/api/v2/tickets/1");
    REQUIRE(live.status == 200);
    const auto t = live.json().as_object();
    CHECK(t.at("id") == 1);
    CHECK(t.at("tags") == boost::json::array{});
    CHECK(t.contains("description"));
    CHECK_FALSE(t.contains("stats"));
    CHECK_FALSE(t.contains("deleted"));
    CHECK(credits(live) == 1);
    const Reply trashed = sim.get("/api/v2/tickets/8");
    REQUIRE(trashed.status == 200);
    CHECK(trashed.json().at("deleted") == true);
    CHECK(sim.get("/api/v2/tickets/9").json().at("spam") == true);
    for (const char* id : {"13", "14", "17", "0", "abc", "99999999999"}) {
        const Reply r = sim.get(std::string("/api/v2/tickets/") + id);
        CHECK(r.status == 404);
        CHECK(r.body == " ");
    }
}

TEST_CASE("ticket view: include=stats adds stats for one more credit", "[tickets]") {
    Sim sim;
    const Reply r = sim.get("/api/v2/tickets/3?include=stats");
    REQUIRE(r.status == 200);
    CHECK(credits(r) == 2);
    CHECK(r.json().at("stats").at("resolved_at") == "2025-03-04T00:00:00Z");
    CHECK(r.json().at("stats").at("closed_at").is_null());
    const Reply two = sim.get("/api/v2/tickets/3?include=stats,requester");
    CHECK(credits(two) == 3);
    CHECK(two.json().at("requester").at("id") == kBob);
    const Reply bad = sim.get("/api/v2/tickets/3?include=everything");
    CHECK(bad.status == 400);
    CHECK(only_error(bad.json()).at("field") == "include");
    CHECK(sim.get("/api/v2/tickets/3?foo=1").status == 400);
    // A closed ticket without closed_at (imported or migrated ones): null, as stored.
    const auto t16 = sim.get("/api/v2/tickets/16?include=stats").json();
    CHECK(t16.at("status") == 5);
    CHECK(t16.at("stats").at("closed_at").is_null());
    CHECK(t16.at("stats").at("resolved_at") == "2025-06-02T00:00:00Z");
}

TEST_CASE("tickets in a generated account: 1 000 tickets read past the page cap", "[tickets]") {
    Sim sim(generated("contacts=150,tickets=1000,seed=5", {"--tickets-page-cap", "3"}));
    // The way past the cap (docs/freshdesk-api.md, "Pagination"): updated_at ascending, restart
    // from the last row's updated_at.
    std::set<std::int64_t> seen;
    std::string since = "2000-01-01T00:00:00Z";
    for (int round = 0; round < 100; ++round) {
        bool capped = false;
        std::string last;
        for (int page = 1;; ++page) {
            const Reply r = sim.get(
                "/api/v2/tickets?order_by=updated_at&order_type=asc&per_page=100"
                "&updated_since=" +
                since + "&page=" + std::to_string(page));
            if (r.status == 400) {
                capped = true;
                break;
            }
            REQUIRE(r.status == 200);
            const auto items = r.json();
            for (const auto& t : items.as_array()) {
                seen.insert(t.at("id").as_int64());
                last = str(t.at("updated_at"));
            }
            if (!r.has_header("Link"))
                break;
        }
        if (!capped)
            break;
        since = last;
    }
    const auto state = sim.control("GET", "/_sim/state");
    CHECK(static_cast<std::int64_t>(seen.size()) ==
          state.at("counts").at("tickets").at("live").as_int64());
}

namespace {

std::string requester(std::int64_t id, const std::string& filter = "") {
    return kAll + "&requester_id=" + std::to_string(id) +
           (filter.empty() ? "" : "&filter=" + filter);
}

// Freshdesk's answer for a requester_id that is no existing contact or agent
// (docs/simulator-account.md, "Tickets").
void check_no_such_requester(const Reply& r) {
    INFO(r.body);
    REQUIRE(r.status == 400);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    CHECK(r.json() == boost::json::parse(
                          R"({"description":"Validation failed","errors":[{"field":"requester_id",)"
                          R"("message":"There is no contact matching the given requester_id",)"
                          R"("code":"invalid_value"}]})"));
    CHECK(credits(r) == 1);  // invalid requests count too
}

}  // namespace

TEST_CASE("tickets list: requester_id of no contact or agent is a 400 on requester_id",
          "[tickets][gone_requester]") {
    Sim sim;
    // Existing people list their tickets: live, soft-deleted, blocked contacts, agents; one with
    // no live ticket lists none.
    CHECK(ids(sim.get(requester(kCarol)).json()) == V{5});  // soft-deleted
    CHECK(ids(sim.get(requester(kDan)).json()) == V{6});    // blocked
    CHECK(ids(sim.get(requester(kAri)).json()) == V{10});   // an agent
    CHECK(sim.get(requester(kGus)).body == "[]");
    CHECK(ids(sim.get(requester(kGus, "deleted")).json()) == V{8});
    // An id nobody has, whatever the filter.
    for (const char* filter : {"", "deleted", "spam"}) {
        INFO("filter " << filter);
        check_no_such_requester(sim.get(requester(77, filter)));
    }
    // A hard-deleted contact: at once, although its tickets are still visible for a moment.
    REQUIRE(
        sim.send("DELETE", "/api/v2/contacts/" + std::to_string(kBob) + "/hard_delete?force=true")
            .status == 204);
    for (const char* filter : {"", "deleted", "spam"}) {
        INFO("filter " << filter);
        check_no_such_requester(sim.get(requester(kBob, filter)));
    }
    // A bad id is still a datatype error, not this one.
    CHECK(only_error(sim.get(kAll + "&requester_id=x").json()).at("code") == "datatype_mismatch");
}

TEST_CASE("tickets list: a hard-deleted contact that was once an agent still lists its tickets",
          "[tickets][gone_requester]") {
    Sim sim;
    sim.control("POST", "/_sim/contacts/" + std::to_string(kAlice), R"({"was_agent":true})");
    REQUIRE(
        sim.send("DELETE", "/api/v2/contacts/" + std::to_string(kAlice) + "/hard_delete?force=true")
            .status == 204);
    REQUIRE(sim.get("/api/v2/contacts/" + std::to_string(kAlice)).status == 404);
    // Only anonymized: its user still exists, and its tickets stay under its id.
    const Reply r = sim.get(requester(kAlice));
    REQUIRE(r.status == 200);
    CHECK(ids(r.json()) == V{12, 2, 1});
}

TEST_CASE("gone_requester empty: the old answer, an empty list, by option and at run time",
          "[tickets][gone_requester]") {
    Sim sim;
    CHECK(sim.control("GET", "/_sim/state").at("options").at("gone_requester") == "400");
    const auto options = sim.control("POST", "/_sim/options", R"({"gone_requester":"empty"})");
    CHECK(options.at("gone_requester") == "empty");
    CHECK(sim.get(requester(77)).body == "[]");
    CHECK(sim.get(requester(77, "deleted")).body == "[]");
    CHECK(ids(sim.get(requester(kAlice)).json()) == V{12, 2, 1});
    for (const char* bad : {R"({"gone_requester":400})", R"({"gone_requester":"404"})",
                            R"({"gone_requester":true})"}) {
        INFO(bad);
        CHECK(sim.send("POST", "/_sim/options", bad).status == 400);
    }
    sim.set_options(R"({"gone_requester":"400"})");
    check_no_such_requester(sim.get(requester(77)));

    Sim empty(args({"--gone-requester", "empty"}));
    CHECK(empty.control("GET", "/_sim/state").at("options").at("gone_requester") == "empty");
    CHECK(empty.get(requester(77)).body == "[]");
    const auto refused = simtest::run_command(
        {simtest::sim_binary(), "--account", small_account(), "--gone-requester", "404"});
    INFO(refused.err);
    CHECK(refused.status == 2);
    CHECK(refused.err.find("--gone-requester") != std::string::npos);
}
