// Contract tests: GET /search/tickets and /search/contacts (docs/freshdesk-api.md, "Pagination":
// 30 per page, pages 1-10, {"total","results"}, no Link, an index that lags, deleted contacts
// excluded, requester_id/company_id not searchable).
#include "test_sim_endpoints_fixture.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdio>

using namespace simtest;
using namespace simtest::ep;
using V = std::vector<std::int64_t>;

namespace {

// Percent-encodes a whole query value, quotes included.
std::string encode(const std::string& text) {
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned>(c));
            out += buf;
        }
    }
    return out;
}

std::string tickets(const std::string& query, const std::string& extra = "") {
    return "/api/v2/search/tickets?query=" + encode("\"" + query + "\"") + extra;
}

std::string contacts(const std::string& query, const std::string& extra = "") {
    return "/api/v2/search/contacts?query=" + encode("\"" + query + "\"") + extra;
}

// The search index of this simulator stops lagging.
void no_lag(Sim& sim) {
    sim.set_options(R"({"search_lag_seconds":0})");
}

V found(Sim& sim, const std::string& target) {
    const Reply r = sim.get(target);
    if (r.status != 200)
        throw std::runtime_error(target + ": " + std::to_string(r.status) + " " + r.body);
    const auto body = r.json();
    if (static_cast<std::size_t>(body.at("total").as_int64()) !=
        body.at("results").as_array().size())
        throw std::runtime_error("total differs from the results of a single page");
    return ids(body.at("results"));
}

}  // namespace

TEST_CASE("search tickets: {total, results}, newest first, no Link", "[search]") {
    Sim sim;
    no_lag(sim);
    const Reply r = sim.get(tickets("status:5"));
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    CHECK_FALSE(r.has_header("Link"));
    CHECK(r.json().at("total") == 6);  // trashed 8 and purged 13 are not found
    CHECK(ids(r.json().at("results")) == V{4, 16, 10, 5, 11, 1});
    CHECK(r.json().at("results").as_array()[0].at("tags") == boost::json::array{});
    CHECK(credits(r) == 1);
}

TEST_CASE("search tickets: the fields rules need, AND, OR, parentheses", "[search]") {
    Sim sim;
    no_lag(sim);
    CHECK(found(sim, tickets("tag:'urgent'")) == V{2});
    CHECK(found(sim, tickets("tag:'URGENT'")) == V{2});
    // As curl sends it when typed: raw double quotes.
    CHECK(found(sim, "/api/v2/search/tickets?query=\"tag:'urgent'\"") == V{2});
    CHECK(found(sim, tickets("group_id:101 AND type:'Question'")) == V{12, 1});
    CHECK(found(sim, tickets("(status:2 OR status:3) AND group_id:101")) == V{12});
    CHECK(found(sim, tickets("status:2 OR status:3 AND group_id:101")) == V{12, 2});
    CHECK(found(sim, tickets("type:'Feature Request'")) == V{7});
    CHECK(found(sim, tickets("type:null")) == V{4, 11});
    CHECK(found(sim, tickets("status:6 OR status:7")) == V{7, 6});
    CHECK(found(sim, tickets("agent_id:43000000001")) == V{3});
    CHECK(found(sim, tickets("group_id:null")).empty());  // only the spam ticket has no group
    // Dates compare by UTC day; :> and :< include the day.
    CHECK(found(sim, tickets("created_at:>'2025-12-20' AND created_at:<'2026-01-10'")) == V{2, 4});
    CHECK(found(sim, tickets("updated_at:'2025-03-05'")) == V{3});
    CHECK(found(sim, tickets("updated_at:<'2024-03-02'")) == V{11, 1});
}

TEST_CASE("search tickets: requester_id and company_id are not searchable, bad queries",
          "[search]") {
    Sim sim;
    no_lag(sim);
    for (const char* q : {"requester_id:43000000101", "company_id:201", "subject:'x'"}) {
        const Reply r = sim.get(tickets(q));
        CHECK(r.status == 400);
        CHECK(only_error(r.json()).at("code") == "invalid_field");
    }
    CHECK(sim.get("/api/v2/search/tickets?query=status:5").status == 400);  // no double quotes
    CHECK(only_error(sim.get("/api/v2/search/tickets").json()).at("field") == "query");
    CHECK(only_error(sim.get(tickets("status:'5'")).json()).at("code") == "invalid_value");
    CHECK(only_error(sim.get(tickets("created_at:>'2025-13-01'")).json()).at("code") ==
          "invalid_value");
    CHECK(sim.get(tickets("status:5 AND")).status == 400);
    CHECK(sim.get(tickets("(status:5")).status == 400);
    CHECK(only_error(sim.get(tickets("status:5", "&per_page=50")).json()).at("field") ==
          "per_page");
    CHECK(sim.get(tickets(std::string(520, 'x'))).status == 400);
}

TEST_CASE("search contacts: tag, email (other emails too), active, deleted contacts excluded",
          "[search]") {
    Sim sim;
    no_lag(sim);
    const Reply r = sim.get(contacts("tag:'VIP'"));
    REQUIRE(r.status == 200);
    CHECK(r.json().at("total") == 1);
    const auto body = r.json();
    const auto& alice = body.at("results").as_array()[0].as_object();
    CHECK(alice.at("id") == kAlice);
    CHECK_FALSE(alice.contains("tags"));  // reduced items, like the contacts list
    CHECK(found(sim, contacts("email:'bob+alt@example.com'")) == V{kBob});
    CHECK(found(sim, contacts("email:'carol@example.com'")).empty());
    CHECK(found(sim, contacts("tag:'gdpr-purge-deleted'")).empty());
    CHECK(found(sim, contacts("active:false")) == V{kEve});
    CHECK(found(sim, contacts("tag:'gdpr-purge-pending-2025-12-20'")) == V{kEve});
    CHECK(found(sim, contacts("email:'keeper@example.com'")).empty());  // agents are no contacts
    CHECK(found(sim, contacts("created_at:<'2021-12-31'")) == V{kFinn, kDan});  // Dan is blocked
    for (const char* q : {"company_id:201", "requester_id:1", "status:2"}) {
        const Reply bad = sim.get(contacts(q));
        CHECK(bad.status == 400);
        CHECK(only_error(bad.json()).at("code") == "invalid_field");
    }
}

TEST_CASE("search: the index lags behind the account", "[search]") {
    Sim sim;  // default lag: 180 s
    REQUIRE(
        sim.send("PUT", "/api/v2/contacts/" + std::to_string(kFinn), R"({"tags":["legal-hold"]})")
            .status == 200);
    REQUIRE(sim.send("DELETE", "/api/v2/contacts/" + std::to_string(kAlice)).status == 204);
    REQUIRE(sim.send("DELETE", "/api/v2/tickets/2").status == 204);
    CHECK(found(sim, contacts("tag:'legal-hold'")).empty());
    CHECK(found(sim, contacts("tag:'VIP'")) == V{kAlice});  // deleted, still in the index
    CHECK(found(sim, tickets("tag:'urgent'")) == V{2});
    sim.advance(181);
    CHECK(found(sim, contacts("tag:'legal-hold'")) == V{kFinn});
    CHECK(found(sim, contacts("tag:'VIP'")).empty());
    CHECK(found(sim, tickets("tag:'urgent'")).empty());
}

TEST_CASE("search: 30 results a page, pages 1 to 10 only", "[search]") {
    Sim sim(generated("contacts=300,tickets=2000,seed=11"));
    const Reply p1 = sim.get(tickets("status:5"));
    REQUIRE(p1.status == 200);
    const auto total = p1.json().at("total").as_int64();
    CHECK(total > 300);
    const auto body = p1.json();
    const auto& first = body.at("results").as_array();
    CHECK(first.size() == 30);
    CHECK(str(first[0].at("created_at")) >= str(first[29].at("created_at")));
    CHECK_FALSE(p1.has_header("Link"));
    const Reply p10 = sim.get(tickets("status:5", "&page=10"));
    REQUIRE(p10.status == 200);
    CHECK(p10.json().at("results").as_array().size() == 30);
    CHECK(p10.json().at("total") == total);
    const Reply p11 = sim.get(tickets("status:5", "&page=11"));
    REQUIRE(p11.status == 400);
    CHECK(only_error(p11.json()).at("field") == "page");
    CHECK(sim.get(tickets("status:5", "&page=0")).status == 400);
}
