// Contract tests: the /_sim/ controls of the account (docs/simulator-account.md): the state, and
// the changes a test makes between two commands of the client.
#include "test_sim_endpoints_fixture.hpp"

#include <catch2/catch.hpp>

using namespace simtest;
using namespace simtest::ep;
using V = std::vector<std::int64_t>;

namespace {
const std::string kAll = "/api/v2/tickets?updated_since=2020-01-01T00:00:00Z";
std::string state_of(const char* what, std::int64_t id) {
    return std::string("/_sim/state?") + what + "=" + std::to_string(id);
}
}  // namespace

TEST_CASE("GET /_sim/state: counts of the account", "[controls]") {
    Sim sim;
    const auto s = sim.control("GET", "/_sim/state");
    CHECK(str(s.at("now")).starts_with("2026-01-15T12:0"));
    CHECK(s.at("counts").at("contacts") ==
          boost::json::parse(R"({"active":6,"soft_deleted":1,"blocked":1,"hard_deleted":0})"));
    CHECK(s.at("counts").at("tickets") ==
          boost::json::parse(R"({"live":11,"spam":1,"trash":1,"archived":0,"gone":3})"));
    CHECK(s.at("counts").at("agents") == 2);
    CHECK(s.at("options").at("tickets_page_cap") == 300);
    CHECK_FALSE(s.at("options").as_object().contains("api_key"));
}

TEST_CASE("GET /_sim/state: one contact and one ticket, deleted ones included", "[controls]") {
    Sim sim(args({"--job-seconds", "5"}));
    auto carol = sim.control("GET", state_of("contact", kCarol)).at("contact");
    CHECK(carol.at("state") == "soft_deleted");
    CHECK(carol.at("tickets") == boost::json::array{5});
    CHECK(carol.at("deleted_at") == "2025-12-01T00:00:00Z");
    const auto t8 = sim.control("GET", state_of("ticket", 8)).at("ticket");
    CHECK(t8.at("seen") == "trash");
    CHECK(t8.at("deleted_at") == "2026-01-05T00:00:00Z");
    CHECK(sim.control("GET", state_of("ticket", 13)).at("ticket").at("seen") == "gone");
    CHECK(sim.control("GET", state_of("ticket", 99)).at("ticket").is_null());
    CHECK(sim.control("GET", state_of("contact", kKeeper)).at("contact").at("agent") == true);
    REQUIRE(
        sim.send("DELETE", "/api/v2/contacts/" + std::to_string(kCarol) + "/hard_delete").status ==
        204);
    carol = sim.control("GET", state_of("contact", kCarol)).at("contact");
    CHECK(carol.at("state") == "hard_deleted");
    CHECK(carol.at("tickets") == boost::json::array{5});  // removed job_seconds later
    const auto t5 = sim.control("GET", state_of("ticket", 5)).at("ticket");
    CHECK(t5.at("seen") == "live");
    CHECK_FALSE(t5.at("removal_at").is_null());
    sim.advance(6);
    CHECK(sim.control("GET", state_of("contact", kCarol)).at("contact").at("tickets") ==
          boost::json::array{});
    CHECK(sim.control("GET", state_of("ticket", 5)).at("ticket").at("seen") == "gone");
}

TEST_CASE("POST /_sim/tickets adds a ticket with the next display number", "[controls]") {
    Sim sim;
    const Reply r =
        sim.send("POST", "/_sim/tickets",
                 R"({"requester_id":43000000106,"status":2,"group_id":104,"tags":["new"]})");
    REQUIRE(r.status == 201);
    CHECK(r.json().at("id") == 17);
    CHECK(str(r.json().at("created_at")).starts_with("2026-01-15T12:0"));
    CHECK(ids(sim.get("/api/v2/tickets").json()) == V{17, 12, 2, 4});
    CHECK(ids(sim.get(kAll + "&requester_id=" + std::to_string(kFinn)).json()) == V{17});
    CHECK(sim.get("/api/v2/tickets/17").json().at("tags") == boost::json::array{"new"});
    // An old closed ticket, with its close time from updated_at.
    const auto old =
        sim.control("POST", "/_sim/tickets",
                    R"({"requester_id":43000000106,"status":5,"type":"Question",)"
                    R"("created_at":"2023-01-01T00:00:00Z","updated_at":"2023-01-02T00:00:00Z"})");
    CHECK(old.at("id") == 18);
    CHECK(old.at("stats").at("closed_at") == "2023-01-02T00:00:00Z");
    // Checked like the account file.
    const Reply bad =
        sim.send("POST", "/_sim/tickets", R"({"requester_id":1,"status":2,"type":"Bogus"})");
    CHECK(bad.status == 400);
    CHECK(str(bad.json().at("error")).find("type") != std::string::npos);
    CHECK(sim.send("POST", "/_sim/tickets", R"({"id":5,"requester_id":1})").status == 400);
}

TEST_CASE("POST /_sim/tickets/{id}/reopen and /_sim/tickets/{id}", "[controls]") {
    Sim sim;
    const Reply r = sim.send("POST", "/_sim/tickets/1/reopen");
    REQUIRE(r.status == 200);
    const auto t = sim.get("/api/v2/tickets/1?include=stats").json();
    CHECK(t.at("status") == 2);
    CHECK(str(t.at("updated_at")).starts_with("2026-01-15T12:0"));
    CHECK(str(t.at("stats").at("reopened_at")).starts_with("2026-01-15T12:0"));
    CHECK(t.at("stats").at("closed_at") == "2024-01-12T09:00:00Z");  // the old close stays
    CHECK(sim.send("POST", "/_sim/tickets/10/reopen", R"({"status":6})").json().at("status") == 6);
    CHECK(sim.send("POST", "/_sim/tickets/8/reopen").status == 400);  // in the trash
    CHECK(sim.send("POST", "/_sim/tickets/14/reopen").status == 404);
    // Any field of the file shape but the requester, creation and id.
    const auto edited = sim.control("POST", "/_sim/tickets/2", R"({"status":5,"tags":["a","b"]})");
    CHECK(edited.at("tags") == boost::json::array{"a", "b"});
    CHECK(edited.at("stats").at("closed_at") == edited.at("updated_at"));
    CHECK(sim.send("POST", "/_sim/tickets/2", R"({"requester_id":1})").status == 400);
    CHECK(sim.send("POST", "/_sim/tickets/2", R"({"group_id":999})").status == 400);
}

TEST_CASE("POST /_sim/contacts adds a contact, /_sim/contacts/{id} edits one", "[controls]") {
    Sim sim;
    const Reply r =
        sim.send("POST", "/_sim/contacts", R"({"name":"Ivy Ives","email":"ivy@example.com"})");
    REQUIRE(r.status == 201);
    const std::int64_t ivy = r.json().at("id").as_int64();
    CHECK(ivy > (std::int64_t{1} << 32));
    CHECK(ids(sim.get("/api/v2/contacts").json()) ==
          V{kAlice, kBob, kEve, kFinn, kGus, kHana, ivy});
    CHECK(sim.get("/api/v2/contacts/" + std::to_string(ivy)).status == 200);
    CHECK(
        sim.send("POST", "/_sim/contacts", R"({"name":"Copy","email":"IVY@example.com"})").status ==
        400);
    // Other emails, company, state.
    REQUIRE(sim.send("POST", "/_sim/contacts/" + std::to_string(kFinn),
                     R"({"other_emails":["finn.other@example.com"],"other_companies":[201]})")
                .status == 200);
    CHECK(ids(sim.get("/api/v2/contacts?email=finn.other%40example.com").json()) == V{kFinn});
    CHECK(sim.get("/api/v2/contacts/" + std::to_string(kFinn))
              .json()
              .at("other_companies")
              .as_array()
              .size() == 1);
    REQUIRE(sim.send("POST", "/_sim/contacts/" + std::to_string(kAlice), R"({"state":"blocked"})")
                .status == 200);
    CHECK(ids(sim.get("/api/v2/contacts?state=blocked").json()) == V{kAlice, kDan});
    CHECK(
        sim.send("POST", "/_sim/contacts/" + std::to_string(kGus), R"({"email":"bob@example.com"})")
            .status == 400);
    CHECK(ids(sim.get("/api/v2/contacts?email=gus%40example.com").json()) == V{kGus});
    REQUIRE(sim.send("POST", "/_sim/contacts/" + std::to_string(kGus),
                     R"({"email":"gus2@example.com"})")
                .status == 200);
    CHECK(sim.get("/api/v2/contacts?email=gus%40example.com").body == "[]");
    CHECK(ids(sim.get("/api/v2/contacts?email=gus2%40example.com").json()) == V{kGus});
    CHECK(sim.send("POST", "/_sim/contacts/" + std::to_string(kGus), R"({"id":5})").status == 400);
    CHECK(sim.send("POST", "/_sim/contacts/42", "{}").status == 404);
}

TEST_CASE("POST /_sim/contacts/{id}/tags adds and removes tags", "[controls]") {
    Sim sim;
    const std::string target = "/_sim/contacts/" + std::to_string(kEve) + "/tags";
    const auto r = sim.control("POST", target,
                               R"({"add":["VIP"],"remove":["GDPR-PURGE-PENDING-2025-12-20"]})");
    CHECK(r.at("tags") == boost::json::array{"VIP"});
    const auto view = sim.get("/api/v2/contacts/" + std::to_string(kEve)).json();
    CHECK(view.at("tags") == boost::json::array{"VIP"});
    CHECK(str(view.at("updated_at")).starts_with("2026-01-15T12:0"));
    CHECK(sim.send("POST", target, R"({"add":"VIP"})").status == 400);
    CHECK(sim.send("POST", target, R"({"name":"x"})").status == 400);
}

TEST_CASE("POST /_sim/agents adds an agent: listed in /agents, unknown to /contacts",
          "[controls]") {
    Sim sim;
    const Reply r =
        sim.send("POST", "/_sim/agents", R"({"name":"Nia New","email":"nia@example.com"})");
    REQUIRE(r.status == 201);
    const std::int64_t id = r.json().at("id").as_int64();
    CHECK(id > (std::int64_t{1} << 32));
    CHECK(ids(sim.get("/api/v2/agents").json()) == V{kKeeper, kAri, id});
    CHECK(sim.get("/api/v2/contacts/" + std::to_string(id)).status == 404);
    CHECK(sim.send("POST", "/_sim/agents",
                   R"({"id":43000000101,"name":"Dup","email":"d@example.com"})")
              .status == 400);
}

TEST_CASE("POST /_sim/options changes the variants at run time", "[controls]") {
    Sim sim;
    const auto o =
        sim.control("POST", "/_sim/options", R"({"link_space_variant":true,"tickets_page_cap":1})");
    CHECK(o.at("link_space_variant") == true);
    CHECK(sim.get(kAll + "&per_page=2").header("Link").starts_with("< http://"));
    CHECK(sim.get(kAll + "&page=2").status == 400);
    CHECK(sim.send("POST", "/_sim/options", R"({"no_such_option":1})").status == 400);
    CHECK(sim.send("POST", "/_sim/options", R"({"tickets_page_cap":"x"})").status == 400);
    // The API key is set with --api-key only; a refused body changes nothing (all or nothing).
    const Reply key = sim.send("POST", "/_sim/options", R"({"admin_key":false,"api_key":"k"})");
    CHECK(key.status == 400);
    CHECK(str(key.json().at("error")).find("--api-key") != std::string::npos);
    CHECK(sim.get("/api/v2/groups").status == 200);
    sim.set_options(R"({"admin_key":false})");
    CHECK(sim.get("/api/v2/groups").status == 403);
    // Archiving: closed tickets inactive this many days leave the list and answer at /archived/.
    sim.set_options(R"({"admin_key":true,"archive_days":120})");
    CHECK(sim.get("/api/v2/tickets/1").status == 404);
    const Reply archived = sim.get("/api/v2/tickets/archived/1");
    REQUIRE(archived.status == 200);
    CHECK(archived.json().at("id") == 1);
    const auto listed = ids(sim.get(kAll).json());
    CHECK(std::find(listed.begin(), listed.end(), 1) == listed.end());
    CHECK(sim.get("/api/v2/tickets/archived/2").status == 404);
    CHECK(sim.send("DELETE", "/api/v2/tickets/archived/1").status == 204);
    CHECK(sim.get("/api/v2/tickets/archived/1").status == 404);
}

TEST_CASE("controls: unknown ones, bad bodies, methods", "[controls]") {
    Sim sim;
    CHECK(sim.send("POST", "/_sim/nothing", "{}").status == 404);
    CHECK(sim.send("POST", "/_sim/tickets", "not json").status == 400);
    CHECK(sim.get("/_sim/tickets").status == 405);
    CHECK(sim.send("DELETE", "/_sim/state").status == 405);
    // Controls need no API key and cost no credits.
    CHECK(sim.client.raw("GET", "/_sim/state", "", {}, false).status == 200);
}
