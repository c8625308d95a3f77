// Contract tests: GET /contacts, GET /contacts/{id}, PUT /contacts/{id} (docs/freshdesk-api.md,
// "Objects", "Reading endpoints", "Writing endpoints").
#include "test_sim_endpoints_fixture.hpp"

#include <catch2/catch.hpp>

using namespace simtest;
using namespace simtest::ep;
using V = std::vector<std::int64_t>;

namespace {
std::string contact(std::int64_t id) {
    return "/api/v2/contacts/" + std::to_string(id);
}
}  // namespace

TEST_CASE("contacts list: live contacts sorted by name, case-insensitively, agents never",
          "[contacts]") {
    Sim sim;
    const Reply r = sim.get("/api/v2/contacts");
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    // Carol (soft-deleted) and Dan (blocked) are left out; so are the agents.
    CHECK(ids(r.json()) == V{kAlice, kBob, kEve, kFinn, kGus, kHana});
    CHECK_FALSE(r.has_header("Link"));
    CHECK(credits(r) == 1);
}

TEST_CASE("contacts list items are reduced: no tags, other_emails, other_companies", "[contacts]") {
    Sim sim;
    const auto items = sim.get("/api/v2/contacts").json().as_array();
    const auto& bob = items[1].as_object();
    REQUIRE(bob.at("id") == kBob);
    CHECK(bob.at("name") == "Bob Baker");
    CHECK(bob.at("email") == "bob@example.com");
    CHECK(bob.at("company_id") == 203);
    CHECK(bob.at("active") == true);
    CHECK(bob.at("created_at") == "2023-03-01T00:00:00Z");
    CHECK(bob.at("updated_at") == "2025-06-01T00:00:00Z");
    for (const auto& item : items) {
        CHECK_FALSE(item.as_object().contains("tags"));
        CHECK_FALSE(item.as_object().contains("other_emails"));
        CHECK_FALSE(item.as_object().contains("other_companies"));
    }
}

TEST_CASE("contacts list: pagination with Link, no page cap", "[contacts]") {
    Sim sim;
    const Reply p1 = sim.get("/api/v2/contacts?per_page=4");
    CHECK(ids(p1.json()) == V{kAlice, kBob, kEve, kFinn});
    const std::string base = "http://127.0.0.1:" + std::to_string(sim.process.port());
    CHECK(p1.header("Link") == "<" + base + "/api/v2/contacts?per_page=4&page=2>; rel=\"next\"");
    const Reply p2 = sim.get("/api/v2/contacts?per_page=4&page=2");
    CHECK(ids(p2.json()) == V{kGus, kHana});
    CHECK_FALSE(p2.has_header("Link"));
    CHECK(sim.get("/api/v2/contacts?per_page=1&page=400").body == "[]");
    CHECK(sim.get("/api/v2/contacts?per_page=100&page=999999999999999999").body == "[]");
    CHECK(only_error(sim.get("/api/v2/contacts?per_page=101").json()).at("field") == "per_page");
}

TEST_CASE("contacts: a phone-only contact has a null email, a mixed-case email is kept as stored",
          "[contacts]") {
    Sim sim;
    const auto finn = sim.get(contact(kFinn)).json();
    CHECK(finn.at("email").is_null());
    CHECK(finn.at("phone") == "+15550003333");
    CHECK(ids(sim.get("/api/v2/contacts?phone=%2B15550003333").json()) == V{kFinn});
    CHECK(sim.get(contact(kHana)).json().at("email") == "Hana.Hill@Example.COM");
    // Matched case-insensitively, answered as stored.
    const auto hana = sim.get("/api/v2/contacts?email=hana.hill%40example.com").json();
    CHECK(ids(hana) == V{kHana});
    CHECK(hana.as_array()[0].at("email") == "Hana.Hill@Example.COM");
}

TEST_CASE("contacts list: its own rate sub-limit answers 429, other endpoints still answer",
          "[contacts]") {
    Sim sim({"--account", small_account(), "--now", kNow, "--rate-limit", "100",
             "--list-rate-limit", "3"});
    for (int i = 0; i < 3; ++i)
        CHECK(sim.get("/api/v2/contacts").status == 200);
    const Reply limited = sim.get("/api/v2/contacts");
    REQUIRE(limited.status == 429);
    CHECK(limited.has_header("Retry-After"));
    CHECK(limited.header("X-RateLimit-Used-CurrentRequest") == "0");
    CHECK(std::stoi(limited.header("X-RateLimit-Remaining")) > 0);  // the account's budget is left
    CHECK(sim.get("/api/v2/contacts?per_page=1&page=2").status == 429);
    // Not a contacts-list request: still served.
    CHECK(sim.get("/api/v2/tickets/1").status == 200);
    CHECK(sim.get(contact(kBob)).status == 200);
    CHECK(sim.get("/api/v2/tickets").status == 200);  // the tickets list has its own budget
}

TEST_CASE("contacts list: state filter", "[contacts]") {
    Sim sim;
    CHECK(ids(sim.get("/api/v2/contacts?state=deleted").json()) == V{kCarol});
    CHECK(sim.get("/api/v2/contacts?state=deleted").json().as_array()[0].at("deleted") == true);
    CHECK(ids(sim.get("/api/v2/contacts?state=blocked").json()) == V{kDan});
    CHECK(ids(sim.get("/api/v2/contacts?state=unverified").json()) == V{kEve});
    CHECK(ids(sim.get("/api/v2/contacts?state=verified").json()) ==
          V{kAlice, kBob, kFinn, kGus, kHana});
    const Reply bad = sim.get("/api/v2/contacts?state=gone");
    CHECK(bad.status == 400);
    CHECK(only_error(bad.json()).at("code") == "invalid_value");
}

TEST_CASE("blocked contacts: listed by state=blocked, no blocked field unless the variant",
          "[contacts]") {
    Sim sim;
    const Reply list = sim.get("/api/v2/contacts?state=blocked");
    REQUIRE(list.status == 200);
    CHECK(ids(list.json()) == V{kDan});
    // The documented contact has no `blocked` field: not in the list item, the view or search.
    CHECK_FALSE(list.json().as_array()[0].as_object().contains("blocked"));
    const Reply view = sim.get(contact(kDan));
    REQUIRE(view.status == 200);
    CHECK_FALSE(view.json().as_object().contains("blocked"));
    CHECK_FALSE(view.json().as_object().contains("deleted"));
    const Reply found = sim.get("/api/v2/search/contacts?query=%22email:%27dan@example.com%27%22");
    REQUIRE(found.status == 200);
    REQUIRE(found.json().at("results").as_array().size() == 1);
    CHECK_FALSE(found.json().at("results").as_array()[0].as_object().contains("blocked"));
    // Some accounts add it (contact_blocked_field, --contact-blocked-field yes).
    const auto options = sim.control("POST", "/_sim/options", R"({"contact_blocked_field":true})");
    CHECK(options.at("contact_blocked_field") == true);
    CHECK(sim.get(contact(kDan)).json().at("blocked") == true);
    CHECK(sim.get("/api/v2/contacts?state=blocked").json().as_array()[0].at("blocked") == true);
    CHECK_FALSE(sim.get(contact(kBob)).json().as_object().contains("blocked"));
    Sim variant(args({"--contact-blocked-field", "yes"}));
    CHECK(variant.get(contact(kDan)).json().at("blocked") == true);
}

TEST_CASE("contacts list: email filter matches other emails too, '+' must be encoded",
          "[contacts]") {
    Sim sim;
    CHECK(ids(sim.get("/api/v2/contacts?email=bob%40example.com").json()) == V{kBob});
    CHECK(ids(sim.get("/api/v2/contacts?email=bob%2Balt%40example.com").json()) == V{kBob});
    CHECK(ids(sim.get("/api/v2/contacts?email=BOB%40EXAMPLE.COM").json()) == V{kBob});
    // An unencoded '+' is a space in a query string: no such contact.
    CHECK(sim.get("/api/v2/contacts?email=bob+alt@example.com").body == "[]");
    CHECK(sim.get("/api/v2/contacts?email=nobody%40example.com").body == "[]");
    // Agents are no contacts; soft-deleted ones need state=deleted.
    CHECK(sim.get("/api/v2/contacts?email=keeper%40example.com").body == "[]");
    CHECK(sim.get("/api/v2/contacts?email=carol%40example.com").body == "[]");
    CHECK(ids(sim.get("/api/v2/contacts?email=carol%40example.com&state=deleted").json()) ==
          V{kCarol});
}

TEST_CASE("contacts list: company_id (primary company), phone, mobile", "[contacts]") {
    Sim sim;
    CHECK(ids(sim.get("/api/v2/contacts?company_id=201").json()) == V{kAlice});
    CHECK(ids(sim.get("/api/v2/contacts?company_id=203").json()) == V{kBob});
    CHECK(sim.get("/api/v2/contacts?company_id=202").body == "[]");  // Bob's other company
    CHECK(ids(sim.get("/api/v2/contacts?phone=%2B15550001111").json()) == V{kGus});
    CHECK(ids(sim.get("/api/v2/contacts?mobile=%2B15550002222").json()) == V{kHana});
    CHECK(only_error(sim.get("/api/v2/contacts?company_id=x").json()).at("code") ==
          "datatype_mismatch");
}

TEST_CASE("contacts list: _updated_since by default, updated_since is then unknown", "[contacts]") {
    Sim sim;
    CHECK(ids(sim.get("/api/v2/contacts?_updated_since=2025-06-01T00:00:00Z").json()) ==
          V{kBob, kEve, kHana});
    CHECK(ids(sim.get("/api/v2/contacts?_updated_since=2025-09-01").json()) == V{kEve, kHana});
    const Reply other = sim.get("/api/v2/contacts?updated_since=2025-06-01");
    REQUIRE(other.status == 400);
    CHECK(only_error(other.json()).at("field") == "updated_since");
    CHECK(only_error(other.json()).at("code") == "invalid_field");
    CHECK(only_error(sim.get("/api/v2/contacts?_updated_since=soon").json()).at("code") ==
          "invalid_value");
}

TEST_CASE("contacts list: the updated_since variant", "[contacts]") {
    Sim sim(args({"--contacts-updated-since-param", "updated_since"}));
    CHECK(ids(sim.get("/api/v2/contacts?updated_since=2025-09-01").json()) == V{kEve, kHana});
    const Reply other = sim.get("/api/v2/contacts?_updated_since=2025-09-01");
    REQUIRE(other.status == 400);
    CHECK(only_error(other.json()).at("field") == "_updated_since");
    CHECK(only_error(other.json()).at("code") == "invalid_field");
}

TEST_CASE("contacts list: any unknown parameter is a 400 invalid_field", "[contacts]") {
    Sim sim;
    const Reply r = sim.get("/api/v2/contacts?tag=VIP");
    REQUIRE(r.status == 400);
    CHECK(r.json() ==
          boost::json::parse(
              R"({"description":"Validation failed","errors":[{"field":"tag",)"
              R"("message":"Unexpected/invalid field in request","code":"invalid_field"}]})"));
}

TEST_CASE("contact view: the full record", "[contacts]") {
    Sim sim;
    const Reply r = sim.get(contact(kBob));
    REQUIRE(r.status == 200);
    const auto c = r.json().as_object();
    CHECK(c.at("id") == kBob);
    CHECK(c.at("other_emails") == boost::json::array{"bob+alt@example.com"});
    CHECK(c.at("other_companies").as_array().size() == 1);
    CHECK(c.at("other_companies").as_array()[0].at("company_id") == 202);
    CHECK(c.at("tags") == boost::json::array{});
    CHECK_FALSE(c.contains("deleted"));
    CHECK(sim.get(contact(kAlice)).json().at("tags") == boost::json::array{"VIP"});
    CHECK(sim.get(contact(kEve)).json().at("active") == false);
}

TEST_CASE("contact view: deleted:true when soft-deleted, 404 for agents and unknown ids",
          "[contacts]") {
    Sim sim;
    const Reply carol = sim.get(contact(kCarol));
    REQUIRE(carol.status == 200);
    CHECK(carol.json().at("deleted") == true);
    CHECK(carol.json().at("tags") == boost::json::array{"gdpr-purge-deleted"});
    CHECK(sim.get(contact(kDan)).status == 200);  // blocked: still viewable
    for (const std::int64_t id : {kKeeper, kAri, std::int64_t{42}}) {
        const Reply r = sim.get(contact(id));
        CHECK(r.status == 404);
        CHECK(r.body == " ");
    }
    CHECK(sim.get("/api/v2/contacts/abc").status == 404);
}

TEST_CASE("PUT /contacts/{id} sets tags and answers the contact, updated_at moves", "[contacts]") {
    Sim sim;
    const Reply r = sim.send("PUT", contact(kFinn),
                             R"({"tags":["gdpr-purge-pending-2026-01-15","newsletter"]})");
    REQUIRE(r.status == 200);
    CHECK(r.json().at("id") == kFinn);
    CHECK(r.json().at("tags") == boost::json::array{"gdpr-purge-pending-2026-01-15", "newsletter"});
    CHECK(str(r.json().at("updated_at")).starts_with("2026-01-15T12:0"));
    CHECK(sim.get(contact(kFinn)).json().at("tags") == r.json().at("tags"));
    // Tags are case-insensitive: a repeated tag is kept once.
    const Reply dup = sim.send("PUT", contact(kFinn), R"({"tags":["VIP","vip"]})");
    CHECK(dup.json().at("tags") == boost::json::array{"VIP"});
    // Clearing.
    CHECK(sim.send("PUT", contact(kFinn), R"({"tags":[]})").json().at("tags") ==
          boost::json::array{});
    // The list shows the new updated_at.
    CHECK(ids(sim.get("/api/v2/contacts?_updated_since=2026-01-15").json()) == V{kFinn});
}

TEST_CASE("PUT /contacts/{id}: 405 when deleted, 404 unknown, validation errors", "[contacts]") {
    Sim sim;
    const Reply deleted = sim.send("PUT", contact(kCarol), R"({"tags":[]})");
    REQUIRE(deleted.status == 405);
    CHECK(deleted.header("Allow") == "GET");
    CHECK(deleted.json().as_object().contains("message"));
    CHECK(sim.send("PUT", contact(kKeeper), R"({"tags":[]})").status == 404);
    const Reply not_array = sim.send("PUT", contact(kBob), R"({"tags":"VIP"})");
    REQUIRE(not_array.status == 400);
    CHECK(only_error(not_array.json()).at("code") == "datatype_mismatch");
    CHECK(only_error(sim.send("PUT", contact(kBob), R"({"tags":[1]})").json()).at("code") ==
          "datatype_mismatch");
    CHECK(only_error(
              sim.send("PUT", contact(kBob), R"({"tags":["0123456789012345678901234567890123"]})")
                  .json())
              .at("code") == "invalid_value");
    const Reply unknown = sim.send("PUT", contact(kBob), R"({"labels":["x"]})");
    CHECK(only_error(unknown.json()).at("code") == "invalid_field");
    const Reply bad_json = sim.send("PUT", contact(kBob), "{tags:");
    REQUIRE(bad_json.status == 400);
    CHECK(bad_json.json().at("code") == "invalid_json");
    // Nothing changed.
    CHECK(sim.get(contact(kBob)).json().at("updated_at") == "2025-06-01T00:00:00Z");
}

TEST_CASE("PUT /contacts/{id} with a body that is not JSON typed: 415", "[contacts]") {
    Sim sim;
    const Reply r = sim.client.raw("PUT", contact(kBob), R"({"tags":[]})",
                                   {{"Content-Type", "text/plain"}}, true);
    REQUIRE(r.status == 415);
    CHECK(r.json().at("code") == "invalid_content_type");
}
