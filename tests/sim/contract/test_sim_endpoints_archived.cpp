// Contract tests: archived tickets (docs/freshdesk-api.md, "Archived tickets"): the archived view
// and its deletion, the account without the feature, the 301 variant of GET /tickets/{id}, hard
// deletion (archived tickets go along, except for a contact that was once an agent), credits and
// stats, and the generator's share of archived tickets.
//
// With --archive-days 120 and the clock at 2026-01-15, the small account's archived tickets are the
// closed ones last updated before 2025-09-17: 1 (Alice), 5 (Carol), 10 (agent Ari), 11 (nobody's
// id) and 16 (Bob, closed_at null). Live: 2, 3, 4, 6, 7, 12; trash 8; spam 9; gone 13 (purged
// from the trash), 14 and 15 (gaps).
#include "test_sim_endpoints_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

using namespace simtest;
using namespace simtest::ep;
using V = std::vector<std::int64_t>;

namespace {

const std::string kAll = "/api/v2/tickets?updated_since=2020-01-01T00:00:00Z&per_page=100";

std::string archived(const std::string& id) {
    return "/api/v2/tickets/archived/" + id;
}

std::string contact(std::int64_t id) {
    return "/api/v2/contacts/" + std::to_string(id);
}

std::vector<std::string> archiving(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--archive-days", "120"});
    return args(std::move(extra));
}

boost::json::value ticket_counts(Sim& sim) {
    return sim.control("GET", "/_sim/state").at("counts").at("tickets");
}

bool listed(Sim& sim, std::int64_t id, const std::string& filter = "") {
    const auto all = ids(sim.get(kAll + filter).json());
    return std::find(all.begin(), all.end(), id) != all.end();
}

void check_not_found(const Reply& r) {
    CHECK(r.status == 404);
    CHECK(r.body == " ");
}

void check_require_feature(const Reply& r) {
    CHECK(r.status == 403);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    const auto body = r.json().as_object();
    CHECK(body.size() == 2);
    CHECK(body.at("code") == "require_feature");
    CHECK_FALSE(body.at("message").as_string().empty());
}

}  // namespace

TEST_CASE("GET /tickets/archived/{id}: exactly the documented fields, archived:true",
          "[archived]") {
    Sim sim(archiving());
    const Reply r = sim.get(archived("1"));
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    const auto t = r.json().as_object();
    std::set<std::string> keys;
    for (const auto& kv : t)
        keys.insert(std::string(kv.key()));
    CHECK(keys == std::set<std::string>{"id", "requester_id", "responder_id", "group_id",
                                        "company_id", "type", "status", "spam", "tags",
                                        "created_at", "updated_at", "archived"});
    CHECK(t.at("id") == 1);
    CHECK(t.at("requester_id") == kAlice);
    CHECK(t.at("responder_id").is_null());
    CHECK(t.at("group_id") == 101);
    CHECK(t.at("company_id") == 201);
    CHECK(t.at("type") == "Question");
    CHECK(t.at("status") == 5);
    CHECK(t.at("spam") == false);
    CHECK(t.at("tags") == boost::json::array{});
    CHECK(t.at("created_at") == "2024-01-10T10:00:00Z");
    CHECK(t.at("updated_at") == "2024-01-12T10:00:00Z");
    CHECK(t.at("archived") == true);
    // No stats even when asked for, and 1 credit whatever the includes.
    const Reply with_stats = sim.get(archived("1") + "?include=stats");
    REQUIRE(with_stats.status == 200);
    CHECK(with_stats.json() == r.json());
    CHECK(credits(r) == 1);
    CHECK(credits(with_stats) == 1);
    // A closed ticket without closed_at (imported) is archived all the same.
    CHECK(sim.get(archived("16")).json().at("requester_id") == kBob);
    for (const char* id : {"5", "10", "11"})
        CHECK(sim.get(archived(id)).status == 200);
}

TEST_CASE("GET /tickets/archived/{id}: 404 with one space for every id that is not archived",
          "[archived]") {
    Sim sim(archiving());
    // live, live closed but recent (4), trash, spam, purged, gaps, beyond the last id, not a number
    for (const char* id : {"2", "4", "8", "9", "13", "14", "15", "999", "0", "x"}) {
        INFO("id " << id);
        check_not_found(sim.get(archived(id)));
    }
    // An archived ticket is out of every list and answers 404 at /tickets/{id} (the default).
    check_not_found(sim.get("/api/v2/tickets/1"));
    check_not_found(sim.send("DELETE", "/api/v2/tickets/1"));
    CHECK_FALSE(listed(sim, 1));
    CHECK_FALSE(listed(sim, 1, "&filter=deleted"));
    CHECK(listed(sim, 4));
    const auto counts = ticket_counts(sim);
    CHECK(counts.at("archived") == 5);
    CHECK(counts.at("live") == 6);
}

TEST_CASE("DELETE /tickets/archived/{id}: 204, then gone for good - 404 when not archived",
          "[archived]") {
    Sim sim(archiving());
    CHECK(ticket_counts(sim).at("gone") == 3);  // 13, 14, 15
    const Reply r = sim.send("DELETE", archived("1"));
    REQUIRE(r.status == 204);
    CHECK(r.body.empty());
    check_not_found(sim.get(archived("1")));
    check_not_found(sim.send("DELETE", archived("1")));
    auto counts = ticket_counts(sim);
    CHECK(counts.at("archived") == 4);
    CHECK(counts.at("gone") == 4);
    CHECK(sim.control("GET", "/_sim/state?ticket=1").at("ticket").at("seen") == "gone");
    CHECK_FALSE(listed(sim, 1, "&filter=deleted"));  // no trash for archived tickets
    // Not archived: 404, and nothing happens to it.
    for (const char* id : {"2", "8", "9", "13", "14", "999"}) {
        INFO("id " << id);
        check_not_found(sim.send("DELETE", archived(id)));
    }
    CHECK(listed(sim, 2));
    CHECK(listed(sim, 8, "&filter=deleted"));
    counts = ticket_counts(sim);
    CHECK(counts.at("live") == 6);
    CHECK(counts.at("trash") == 1);
    CHECK(counts.at("spam") == 1);
    // For good: without archiving the other old closed tickets come back, the deleted one does not.
    sim.set_options(R"({"archive_days":0})");
    check_not_found(sim.get("/api/v2/tickets/1"));
    CHECK(sim.get("/api/v2/tickets/5").status == 200);
    CHECK_FALSE(listed(sim, 1));
    CHECK(listed(sim, 5));
}

TEST_CASE("an account without the archiving feature: 403 require_feature, nothing archived",
          "[archived]") {
    Sim sim(archiving({"--archive-feature", "no"}));
    for (const char* id : {"1", "2", "5", "13", "999", "x"}) {
        INFO("id " << id);
        check_require_feature(sim.get(archived(id)));
        check_require_feature(sim.get(archived(id) + "?include=stats"));
        check_require_feature(sim.send("DELETE", archived(id)));
    }
    CHECK(credits(sim.get(archived("1"))) == 1);
    // archive_days is ignored: the old closed tickets are live as before.
    CHECK(sim.get("/api/v2/tickets/1").status == 200);
    for (const std::int64_t id : {1, 5, 10, 11, 16})
        CHECK(listed(sim, id));
    const auto state = sim.control("GET", "/_sim/state");
    CHECK(state.at("counts").at("tickets").at("archived") == 0);
    CHECK(state.at("options").at("archive_feature") == false);
    CHECK(state.at("options").at("archive_days") == 120);
    // Nothing was deleted by the refused DELETEs.
    CHECK(state.at("counts").at("tickets").at("live") == 11);
    // At run time: the feature back on archives them again.
    sim.set_options(R"({"archive_feature":true})");
    CHECK(sim.get(archived("1")).status == 200);
    CHECK_FALSE(listed(sim, 1));
    CHECK(sim.send("POST", "/_sim/options", R"({"archive_feature":"no"})").status == 400);
}

TEST_CASE("options archive-feature and archived-ticket-view take only their values", "[archived]") {
    for (const auto& [option, value] :
         std::vector<std::pair<std::string, std::string>>{{"--archive-feature", "maybe"},
                                                          {"--archived-ticket-view", "302"},
                                                          {"--contact-blocked-field", "true"}}) {
        INFO(option << " " << value);
        const CommandResult r =
            run_command({sim_binary(), "--account", small_account(), option, value});
        CHECK(r.status == 2);
        CHECK(r.err.find(option) != std::string::npos);
        CHECK(r.out.empty());
    }
}

TEST_CASE("archived_ticket_view 301: GET /tickets/{id} of an archived ticket redirects",
          "[archived]") {
    Sim sim(archiving({"--archived-ticket-view", "301"}));
    const Reply r = sim.get("/api/v2/tickets/1");
    REQUIRE(r.status == 301);
    CHECK(r.header("Location") == sim.process.base_url() + "/api/v2/tickets/archived/1");
    CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(r.body.find("redirected") != std::string::npos);
    // Rate-limit headers as on every answer; 1 credit, or 1 more per include as any view.
    CHECK(credits(r) == 1);
    CHECK_FALSE(r.header("X-RateLimit-Total").empty());
    CHECK_FALSE(r.header("X-RateLimit-Remaining").empty());
    CHECK_FALSE(r.header("X-Request-Id").empty());
    const Reply with_stats = sim.get("/api/v2/tickets/1?include=stats");
    CHECK(with_stats.status == 301);
    CHECK(credits(with_stats) == 2);
    CHECK(with_stats.header("Location") == r.header("Location"));  // the query is not carried
    // The target answers; only archived tickets redirect.
    CHECK(sim.get(archived("1")).status == 200);
    CHECK(sim.get("/api/v2/tickets/2").status == 200);
    check_not_found(sim.get("/api/v2/tickets/13"));
    check_not_found(sim.get("/api/v2/tickets/999"));
    check_not_found(sim.send("DELETE", "/api/v2/tickets/1"));  // only the view redirects
    // base_url is the base of the Location as of every absolute URL.
    sim.set_options(R"({"base_url":"https://acme.freshdesk.com"})");
    CHECK(sim.get("/api/v2/tickets/5").header("Location") ==
          "https://acme.freshdesk.com/api/v2/tickets/archived/5");
    const auto options = sim.control("POST", "/_sim/options", R"({"archived_ticket_view":404})");
    CHECK(options.at("archived_ticket_view") == 404);
    check_not_found(sim.get("/api/v2/tickets/1"));
    CHECK(sim.send("POST", "/_sim/options", R"({"archived_ticket_view":302})").status == 400);
    CHECK(sim.send("POST", "/_sim/options", R"({"archived_ticket_view":"301"})").status == 400);
    sim.set_options(R"({"archived_ticket_view":301})");
    CHECK(sim.get("/api/v2/tickets/1").status == 301);
}

TEST_CASE("hard_delete takes the contact's archived tickets along", "[archived]") {
    Sim sim(archiving({"--job-seconds", "10"}));
    REQUIRE(sim.send("DELETE", contact(kAlice) + "/hard_delete?force=true").status == 204);
    check_not_found(sim.get(contact(kAlice)));
    CHECK(sim.get(archived("1")).status == 200);  // still there a short while, like the others
    CHECK(sim.get("/api/v2/tickets/2").status == 200);
    sim.advance(11);
    check_not_found(sim.get(archived("1")));
    check_not_found(sim.send("DELETE", archived("1")));
    check_not_found(sim.get("/api/v2/tickets/2"));
    check_not_found(sim.get("/api/v2/tickets/12"));
    const auto counts = ticket_counts(sim);
    CHECK(counts.at("archived") == 4);
    CHECK(counts.at("gone") == 6);  // 13, 14, 15 and Alice's 1, 2, 12
    // For good: without archiving it does not come back either.
    sim.set_options(R"({"archive_days":0})");
    check_not_found(sim.get("/api/v2/tickets/1"));
    // Carol (soft-deleted): her archived ticket 5 goes with her too.
    REQUIRE(sim.send("DELETE", contact(kCarol) + "/hard_delete").status == 204);
    sim.set_options(R"({"archive_days":120})");
    sim.advance(11);
    check_not_found(sim.get(archived("5")));
}

TEST_CASE("a contact that was once an agent: hard_delete anonymizes it, its tickets stay",
          "[archived]") {
    Sim sim(archiving({"--job-seconds", "10"}));
    CHECK(sim.control("GET", "/_sim/state?contact=" + std::to_string(kBob))
              .at("contact")
              .at("was_agent") == false);
    const auto bob =
        sim.control("POST", "/_sim/contacts/" + std::to_string(kBob), R"({"was_agent":true})");
    CHECK(bob.at("was_agent") == true);
    CHECK(sim.send("POST", "/_sim/contacts/" + std::to_string(kBob), R"({"was_agent":1})").status ==
          400);
    REQUIRE(sim.send("DELETE", "/api/v2/tickets/3").status == 204);  // one in the trash
    // Bob's tickets: 3 (trash), 4 (live), 16 (archived).
    REQUIRE(sim.send("DELETE", contact(kBob) + "/hard_delete?force=true").status == 204);
    check_not_found(sim.get(contact(kBob)));
    CHECK(sim.get("/api/v2/contacts?email=bob%40example.com").body == "[]");
    sim.advance(60);
    CHECK(sim.get("/api/v2/tickets/3").json().at("deleted") == true);
    CHECK(sim.get("/api/v2/tickets/4").status == 200);
    CHECK(sim.get(archived("16")).status == 200);
    CHECK(listed(sim, 4));
    const auto state = sim.control("GET", "/_sim/state?contact=" + std::to_string(kBob));
    CHECK(state.at("contact").at("state") == "hard_deleted");
    CHECK(state.at("contact").at("tickets") == boost::json::array{3, 4, 16});
    CHECK(state.at("counts").at("tickets").at("archived") == 5);
    // Its archived ticket can still be deleted on its own.
    CHECK(sim.send("DELETE", archived("16")).status == 204);
}

TEST_CASE("was_agent in the account file", "[archived]") {
    const TempDir dir;
    const std::string file = dir.file("a.json");
    auto write = [&](const std::string& was_agent) {
        std::FILE* f = std::fopen(file.c_str(), "w");
        REQUIRE(f != nullptr);
        const std::string text =
            R"({"contacts":[{"id":43000000501,"name":"Olga Old","email":"olga@example.com",)"
            R"("was_agent":)" +
            was_agent +
            R"(,"created_at":"2020-01-01T00:00:00Z","updated_at":"2020-01-01T00:00:00Z"}],)"
            R"("tickets":[{"requester_id":43000000501,"status":5,)"
            R"("created_at":"2021-01-01T00:00:00Z","updated_at":"2021-01-02T00:00:00Z"}]})";
        std::fputs(text.c_str(), f);
        std::fclose(f);
    };
    write("\"yes\"");
    const CommandResult bad = run_command({sim_binary(), "--account", file, "--now", kNow});
    CHECK(bad.status == 1);
    CHECK(bad.err.find("was_agent") != std::string::npos);
    write("true");
    Sim sim({"--account", file, "--now", kNow, "--archive-days", "120", "--job-seconds", "0"});
    CHECK(sim.control("GET", "/_sim/state?contact=43000000501").at("contact").at("was_agent") ==
          true);
    REQUIRE(sim.send("DELETE", contact(43000000501) + "/hard_delete?force=true").status == 204);
    sim.advance(5);
    CHECK(sim.get(archived("1")).status == 200);
}

TEST_CASE("archived calls: 1 credit each, counted under their own labels in /_sim/stats",
          "[archived]") {
    Sim sim(archiving());
    sim.control("POST", "/_sim/stats/reset");
    CHECK(credits(sim.get(archived("1"))) == 1);
    CHECK(credits(sim.get(archived("2"))) == 1);  // 404
    CHECK(credits(sim.get(archived("5") + "?include=stats,requester")) == 1);
    CHECK(credits(sim.send("DELETE", archived("2"))) == 1);           // 404
    CHECK(credits(sim.send("DELETE", archived("10"))) == 1);          // 204
    CHECK(credits(sim.get("/api/v2/tickets/2?include=stats")) == 2);  // the live view, for contrast
    auto stats = sim.control("GET", "/_sim/stats");
    const auto& endpoints = stats.at("endpoints");
    const auto& view = endpoints.at("GET /tickets/archived/{id}");
    CHECK(view.at("requests") == 3);
    CHECK(view.at("credits") == 3);
    CHECK(view.at("statuses") == boost::json::parse(R"({"200":2,"404":1})"));
    const auto& del = endpoints.at("DELETE /tickets/archived/{id}");
    CHECK(del.at("requests") == 2);
    CHECK(del.at("credits") == 2);
    CHECK(del.at("statuses") == boost::json::parse(R"({"204":1,"404":1})"));
    CHECK(endpoints.at("GET /tickets/{id}").at("requests") == 1);
    CHECK(stats.at("totals").at("requests") == 6);
    CHECK(stats.at("totals").at("credits") == 7);
    // The log names the endpoint too.
    const auto log = sim.control("GET", "/_sim/log").at("entries").as_array();
    REQUIRE_FALSE(log.empty());
    CHECK(log[0].at("endpoint") == "GET /tickets/archived/{id}");
    // Without the feature the 403s are counted there as well.
    sim.set_options(R"({"archive_feature":false})");
    sim.control("POST", "/_sim/stats/reset");
    CHECK(credits(sim.get(archived("1"))) == 1);
    stats = sim.control("GET", "/_sim/stats");
    CHECK(stats.at("endpoints").at("GET /tickets/archived/{id}").at("statuses") ==
          boost::json::parse(R"({"403":1})"));
}

TEST_CASE("a generated account with --archive-days 120: most old closed tickets are archived",
          "[archived]") {
    Sim sim(generated("contacts=2000,tickets=10000,seed=7", {"--archive-days", "120"}));
    const auto counts = ticket_counts(sim);
    const std::int64_t live = counts.at("live").as_int64();
    const std::int64_t arch = counts.at("archived").as_int64();
    const std::int64_t trash = counts.at("trash").as_int64();
    const std::int64_t spam = counts.at("spam").as_int64();
    const std::int64_t gone = counts.at("gone").as_int64();
    INFO("live " << live << " archived " << arch << " trash " << trash << " spam " << spam
                 << " gone " << gone);
    CHECK(live + arch + trash + spam + gone == 10000);
    // Tickets spread over four years and most are closed: the archive holds most of them (the
    // live ones are the recent ones, and old resolved or open ones, which are never archived).
    CHECK(arch > 10000 / 2);
    CHECK(arch > live);
    CHECK(trash > 0);
    // Every status-5 ticket last updated more than 120 days ago is archived: none is listed.
    const Reply old = sim.get(
        "/api/v2/tickets?updated_since=2000-01-01&order_by=updated_at&order_type=asc&per_page=100");
    REQUIRE(old.status == 200);
    const auto oldest = old.json();
    for (const auto& t : oldest.as_array()) {
        if (str(t.at("updated_at")) < "2025-09-17")
            CHECK(t.at("status") != 5);
    }
    // A probe over the first ids finds archived ones, and they answer 200 at /archived/.
    int found = 0;
    for (int id = 1; id <= 50; ++id) {
        const Reply r = sim.get(archived(std::to_string(id)));
        CHECK((r.status == 200 || r.status == 404));
        found += r.status == 200 ? 1 : 0;
    }
    CHECK(found > 25);
}
