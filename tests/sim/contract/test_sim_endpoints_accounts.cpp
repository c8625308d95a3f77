// Contract tests: the account itself (loading, generation), authentication, routing, and the
// reference endpoints /agents, /groups, /companies, /ticket_fields.
#include "test_sim_endpoints_fixture.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

using namespace simtest;
using namespace simtest::ep;
using V = std::vector<std::int64_t>;

namespace {

constexpr std::int64_t k2p31 = std::int64_t{1} << 31;
constexpr std::int64_t k2p32 = std::int64_t{1} << 32;

std::string lower(std::string s) {
    for (char& ch : s)
        ch = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    return s;
}

void check_rate_headers(const Reply& r) {
    CHECK(r.has_header("X-RateLimit-Total"));
    CHECK(r.has_header("X-RateLimit-Remaining"));
    CHECK(r.has_header("X-RateLimit-Used-CurrentRequest"));
}

// Runs freshdesk-sim to its end (it must fail to start; killed after a deadline) and returns its
// exit code and its output (stdout then stderr).
std::pair<int, std::string> run_failing(std::vector<std::string> args) {
    args.insert(args.begin(), sim_binary());
    args.insert(args.end(), {"--port", "0"});
    const CommandResult r = run_command(args, std::chrono::seconds(30));
    return {r.status, r.out + r.err};
}

std::string temp_file(const std::string& text) {
    char name[] = "/tmp/sim-account-XXXXXX";
    const int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    std::ofstream(name) << text;
    return name;
}

}  // namespace

TEST_CASE("auth: Basic with the API key as user and X as password, 401 otherwise", "[accounts]") {
    Sim sim;
    const std::string expected =
        R"({"code":"invalid_credentials","message":"You have to be logged in to perform this action."})";
    const Reply none = sim.client.raw("GET", "/api/v2/tickets", "", {}, false);
    CHECK(none.status == 401);
    CHECK(none.body == expected);
    CHECK(none.header("Content-Type") == "application/json; charset=utf-8");
    Client wrong(sim.process.port(), "not-the-key");
    CHECK(wrong.get("/api/v2/contacts").status == 401);
    // base64("sim-api-key:Y") and a lower-case scheme.
    CHECK(sim.client
              .raw("GET", "/api/v2/contacts", "", {{"Authorization", "Basic c2ltLWFwaS1rZXk6WQ=="}},
                   false)
              .status == 401);
    CHECK(sim.client
              .raw("GET", "/api/v2/contacts", "", {{"Authorization", "basic c2ltLWFwaS1rZXk6WA=="}},
                   false)
              .status == 401);
    CHECK(sim.client
              .raw("GET", "/api/v2/contacts", "", {{"Authorization", "Basic c2ltLWFwaS1rZXk6WA=="}},
                   false)
              .status == 200);
    // Writes are refused the same way, and change nothing.
    CHECK(sim.client.raw("DELETE", "/api/v2/tickets/1", "", {}, false).status == 401);
    CHECK(sim.get("/api/v2/tickets/1").status == 200);
    CHECK_FALSE(sim.get("/api/v2/tickets/1").json().as_object().contains("deleted"));
}

TEST_CASE("auth: a custom --api-key is accepted and the default key then refused", "[accounts]") {
    Sim sim(args({"--api-key", "custom-key-0123"}));
    Client custom(sim.process.port(), "custom-key-0123");
    CHECK(custom.get("/api/v2/tickets/1").status == 200);
    CHECK(custom.get("/api/v2/contacts").status == 200);
    const Reply dflt = sim.get("/api/v2/tickets/1");  // the fixture's client: sim-api-key
    CHECK(dflt.status == 401);
    CHECK(dflt.json().at("code") == "invalid_credentials");
    // The key is not changed at run time (the server masks the key it started with in its log).
    const Reply set = sim.send("POST", "/_sim/options", R"({"api_key":"other"})");
    CHECK(set.status == 400);
    CHECK(str(set.json().at("error")).find("api_key") != std::string::npos);
    CHECK(custom.get("/api/v2/tickets/1").status == 200);
    CHECK(Client(sim.process.port(), "other").get("/api/v2/tickets/1").status == 401);
}

TEST_CASE("X-RateLimit headers on 405 and 415 answers too", "[accounts]") {
    Sim sim;
    const Reply m = sim.send("POST", "/api/v2/tickets", R"({"subject":"x"})");
    REQUIRE(m.status == 405);
    check_rate_headers(m);
    CHECK(credits(m) == 1);
    const Reply t = sim.client.raw("PUT", "/api/v2/contacts/" + std::to_string(kBob),
                                   R"({"tags":[]})", {{"Content-Type", "text/plain"}}, true);
    REQUIRE(t.status == 415);
    check_rate_headers(t);
    CHECK(credits(t) == 1);
}

TEST_CASE("routing: unknown paths 404, known paths with another method 405 + Allow", "[accounts]") {
    Sim sim;
    for (const char* path :
         {"/api/v2/nothing", "/api/v2/tickets/1/notes", "/api/v2/", "/api/v1/tickets"}) {
        const Reply r = sim.get(path);
        CHECK(r.status == 404);
        CHECK(r.body == " ");
    }
    const Reply post = sim.send("POST", "/api/v2/tickets", R"({"subject":"x"})");
    CHECK(post.status == 405);
    CHECK(post.header("Allow") == "GET");
    const Reply patch = sim.send("PATCH", "/api/v2/contacts/" + std::to_string(kBob), "{}");
    CHECK(patch.status == 405);
    CHECK(patch.header("Allow") == "GET, PUT, DELETE");
    CHECK(patch.json().at("message") ==
          "PATCH method is not allowed. It should be one of these method(s): GET, PUT, DELETE");
}

TEST_CASE("GET /agents: agents with their user id and contact.email, admin only", "[accounts]") {
    Sim sim;
    const Reply r = sim.get("/api/v2/agents");
    REQUIRE(r.status == 200);
    CHECK(ids(r.json()) == V{kKeeper, kAri});
    CHECK(r.json().as_array()[0].at("contact").at("email") == "keeper@example.com");
    CHECK(r.json().as_array()[1].at("occasional") == true);
    CHECK(ids(sim.get("/api/v2/agents?email=ari.agent%40example.com").json()) == V{kAri});
    CHECK(ids(sim.get("/api/v2/agents?per_page=1&page=2").json()) == V{kAri});
    CHECK(sim.get("/api/v2/agents?per_page=1").has_header("Link"));
    CHECK(sim.get("/api/v2/agents?role=admin").status == 400);
}

TEST_CASE("GET /groups and /companies, a non-admin key gets 403 on agents and groups",
          "[accounts]") {
    {
        Sim sim;
        const auto groups = sim.get("/api/v2/groups").json().as_array();
        REQUIRE(groups.size() == 4);
        CHECK(groups[0].at("id") == 101);
        CHECK(groups[0].at("name") == "Escalations");
        CHECK(groups[1].at("name") == "Camping");
        const auto companies = sim.get("/api/v2/companies").json().as_array();
        REQUIRE(companies.size() == 3);
        CHECK(companies[0].at("name") == "Key Account Ltd");
        CHECK(ids(sim.get("/api/v2/companies?per_page=2&page=2").json()) == V{203});
    }
    Sim sim(args({"--non-admin-key"}));
    for (const char* path : {"/api/v2/agents", "/api/v2/groups"}) {
        const Reply r = sim.get(path);
        CHECK(r.status == 403);
        CHECK(r.json().at("code") == "access_denied");
        CHECK(r.json().as_object().contains("message"));
    }
    CHECK(sim.get("/api/v2/companies").status == 200);
    CHECK(sim.get("/api/v2/ticket_fields").status == 200);
}

TEST_CASE("GET /ticket_fields?type=default_ticket_type: the choices", "[accounts]") {
    Sim sim;
    const Reply r = sim.get("/api/v2/ticket_fields?type=default_ticket_type");
    REQUIRE(r.status == 200);
    const auto fields = r.json().as_array();
    REQUIRE(fields.size() == 1);
    CHECK(fields[0].at("type") == "default_ticket_type");
    CHECK(fields[0].at("choices") ==
          boost::json::array{"Question", "Incident", "Problem", "Feature Request", "Refund"});
    CHECK(sim.get("/api/v2/ticket_fields").json().as_array().size() == 2);
    CHECK(only_error(sim.get("/api/v2/ticket_fields?type=custom").json()).at("field") == "type");
    // The admin shape: choice objects with `value`.
    sim.set_options(R"({"ticket_type_choice_objects":true})");
    const auto admin = sim.get("/api/v2/ticket_fields?type=default_ticket_type").json();
    const auto& first = admin.as_array()[0].at("choices").as_array()[0];
    CHECK(first.at("value") == "Question");
    CHECK(first.at("label") == "Question");
}

TEST_CASE("a generated account: ids above 2^32, the named groups, types, companies, agents",
          "[accounts]") {
    Sim sim(generated("contacts=400,tickets=2000,seed=7"));
    const auto groups = sim.get("/api/v2/groups").json().as_array();
    std::set<std::string> names;
    for (const auto& g : groups)
        names.insert(str(g.at("name")));
    CHECK(names == std::set<std::string>{"Escalations", "Camping", "Billing", "Support"});
    CHECK(sim.get("/api/v2/ticket_fields?type=default_ticket_type")
              .json()
              .as_array()[0]
              .at("choices") ==
          boost::json::array{"Question", "Incident", "Problem", "Feature Request", "Refund"});
    const auto companies = sim.get("/api/v2/companies?per_page=100").json().as_array();
    CHECK(companies.size() == 20);
    CHECK(companies[0].at("name") == "Key Account Ltd");
    const auto agents = sim.get("/api/v2/agents").json().as_array();
    REQUIRE(agents.size() == 12);
    bool keeper = false;
    for (const auto& a : agents) {
        CHECK(a.at("id").as_int64() > k2p32);
        keeper = keeper || a.at("contact").at("email") == "keeper@example.com";
    }
    CHECK(keeper);
    for (int page = 1; page <= 4; ++page) {
        const auto page_items =
            sim.get("/api/v2/contacts?per_page=100&page=" + std::to_string(page)).json();
        for (const auto& c : page_items.as_array()) {
            CHECK(c.at("id").as_int64() > k2p32);
            if (!c.at("email").is_null())  // null: a contact with a phone only
                CHECK(lower(str(c.at("email"))).ends_with("@example.com"));
        }
    }
}

TEST_CASE("a generated account: a contact id above 2^32 round-trips through the API",
          "[accounts]") {
    Sim sim(generated("contacts=200,tickets=1000,seed=11"));
    // The requester of the newest tickets: a contact (or an agent) with an id above 2^32.
    std::int64_t requester = 0;
    const auto newest = sim.get("/api/v2/tickets?updated_since=2000-01-01&per_page=100").json();
    for (const auto& t : newest.as_array()) {
        const std::int64_t id = t.at("requester_id").as_int64();
        if (id > k2p32 && sim.get("/api/v2/contacts/" + std::to_string(id)).status == 200) {
            requester = id;
            break;
        }
    }
    REQUIRE(requester > k2p32);
    const Reply contact = sim.get("/api/v2/contacts/" + std::to_string(requester));
    REQUIRE(contact.status == 200);
    CHECK(contact.json().at("id").as_int64() == requester);
    const Reply tickets = sim.get(
        "/api/v2/tickets?updated_since=2000-01-01&per_page=100"
        "&requester_id=" +
        std::to_string(requester));
    REQUIRE(tickets.status == 200);
    REQUIRE_FALSE(tickets.body == "[]");
    const auto listed = tickets.json();
    for (const auto& t : listed.as_array())
        CHECK(t.at("requester_id").as_int64() == requester);
    // Truncated to 32 bits, the id names nobody.
    const auto truncated = static_cast<std::int64_t>(static_cast<std::uint32_t>(requester));
    CHECK(sim.get("/api/v2/contacts/" + std::to_string(truncated)).status == 404);
    // (a requester_id that names nobody is a 400 on requester_id, as in Freshdesk)
    const Reply nobody = sim.get("/api/v2/tickets?updated_since=2000-01-01&requester_id=" +
                                 std::to_string(truncated));
    CHECK(nobody.status == 400);
    CHECK(only_error(nobody.json()).at("field") == "requester_id");
    // Agents too.
    const auto agents = sim.get("/api/v2/agents").json();
    for (const auto& a : agents.as_array())
        CHECK(a.at("id").as_int64() > k2p32);
}

TEST_CASE(
    "a generated account is untidy: phone-only contacts, mixed-case emails, closed tickets "
    "without closed_at",
    "[accounts]") {
    Sim sim(generated("contacts=2000,tickets=6000,seed=3"));
    int no_email = 0;
    int mixed = 0;
    for (int page = 1;; ++page) {
        const Reply r = sim.get("/api/v2/contacts?per_page=100&page=" + std::to_string(page));
        REQUIRE(r.status == 200);
        const auto items = r.json();
        for (const auto& c : items.as_array()) {
            if (c.at("email").is_null()) {
                ++no_email;
                CHECK((!c.at("phone").is_null() || !c.at("mobile").is_null()));
                continue;
            }
            const std::string email = str(c.at("email"));
            CHECK(lower(email).ends_with("@example.com"));
            if (email != lower(email)) {
                ++mixed;
                // Found by its lower-case form.
                const Reply by_email = sim.get("/api/v2/contacts?email=" + lower(email));
                CHECK(ids(by_email.json()) == V{c.at("id").as_int64()});
            }
        }
        if (!r.has_header("Link"))
            break;
    }
    CHECK(no_email >= 5);  // ~1%
    CHECK(no_email <= 60);
    CHECK(mixed >= 40);  // ~5%
    CHECK(mixed <= 200);
    int closed = 0;
    int closed_without = 0;
    for (int page = 1;; ++page) {
        const Reply r =
            sim.get("/api/v2/tickets?updated_since=2000-01-01&include=stats&per_page=100&page=" +
                    std::to_string(page));
        REQUIRE(r.status == 200);
        const auto items = r.json();
        for (const auto& t : items.as_array()) {
            if (t.at("status") != 5)
                continue;
            ++closed;
            closed_without += t.at("stats").at("closed_at").is_null() ? 1 : 0;
        }
        if (!r.has_header("Link"))
            break;
    }
    CHECK(closed_without >= 3);  // ~0.5%
    CHECK(closed_without * 50 < closed);
}

TEST_CASE("a generated account: realistic shapes", "[accounts]") {
    Sim sim(generated("contacts=1000,tickets=5000,seed=3"));
    std::map<std::int64_t, int> per_requester;
    std::map<std::int64_t, int> statuses;
    for (int page = 1;; ++page) {
        const Reply r = sim.get("/api/v2/tickets?updated_since=2000-01-01&per_page=100&page=" +
                                std::to_string(page));
        REQUIRE(r.status == 200);
        const auto items = r.json();
        for (const auto& t : items.as_array()) {
            ++per_requester[t.at("requester_id").as_int64()];
            ++statuses[t.at("status").as_int64()];
        }
        if (!r.has_header("Link"))
            break;
    }
    int small = 0;
    int largest = 0;
    for (const auto& [id, n] : per_requester) {
        small += n <= 5 ? 1 : 0;
        largest = std::max(largest, n);
    }
    CHECK(small * 10 > static_cast<int>(per_requester.size()) * 8);      // most have 1-5 tickets
    CHECK(largest >= 50);                                                // and a long tail
    CHECK(statuses[5] + statuses[4] > 4 * (statuses[2] + statuses[3]));  // mostly closed
    CHECK(statuses[6] > 0);
    CHECK(statuses[7] > 0);
    const auto agents = sim.get("/api/v2/agents").json().as_array();
    bool agent_requests = false;
    for (const auto& a : agents)
        agent_requests = agent_requests || per_requester.count(a.at("id").as_int64()) != 0;
    CHECK(agent_requests);
    const auto counts = sim.control("GET", "/_sim/state").at("counts");
    CHECK(counts.at("tickets").at("trash").as_int64() > 0);
    CHECK(counts.at("tickets").at("spam").as_int64() > 0);
    CHECK(counts.at("contacts").at("soft_deleted").as_int64() > 0);
    CHECK(counts.at("contacts").at("blocked").as_int64() > 0);
    const auto search = [&](const std::string& q) {
        return sim.get("/api/v2/search/contacts?query=%22" + q + "%22")
            .json()
            .at("total")
            .as_int64();
    };
    CHECK(search("tag:%27VIP%27") > 0);
    CHECK(search("email:%27ceo@example.com%27") == 1);
    CHECK(sim.get("/api/v2/contacts?state=deleted&per_page=100").json().as_array().size() > 0);
}

TEST_CASE("a generated account is the same for the same spec and clock", "[accounts]") {
    Sim a(generated("contacts=300,tickets=1500,seed=42"));
    Sim b(generated("contacts=300,tickets=1500,seed=42"));
    Sim c(generated("contacts=300,tickets=1500,seed=43"));
    const std::string contacts = "/api/v2/contacts?per_page=100&page=2";
    const std::string tickets = "/api/v2/tickets?updated_since=2000-01-01&per_page=100&page=7";
    CHECK(a.get(contacts).body == b.get(contacts).body);
    CHECK(a.get(tickets).body == b.get(tickets).body);
    CHECK(a.get(contacts).body != c.get(contacts).body);
}

TEST_CASE("a bad account file stops the simulator with a message naming the file and the place",
          "[accounts]") {
    const std::string bad_status = temp_file(
        R"({"contacts":[],"tickets":[{"requester_id":1,"status":1,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}]})");
    auto [code, out] = run_failing({"--account", bad_status});
    CHECK(code == 1);
    CHECK(out.find(bad_status) != std::string::npos);
    CHECK(out.find("$.tickets[0].status") != std::string::npos);
    const std::string bad_json = temp_file("{\n  \"contacts\": [,]\n}");
    std::tie(code, out) = run_failing({"--account", bad_json});
    CHECK(code == 1);
    CHECK(out.find("line 2:") != std::string::npos);
    const std::string dup = temp_file(R"({"contacts":[],"contacts":[]})");
    std::tie(code, out) = run_failing({"--account", dup});
    CHECK(out.find("duplicate key") != std::string::npos);
    const std::string unknown =
        temp_file(R"({"contacts":[{"id":5,"name":"A","emial":"a@example.com"}]})");
    std::tie(code, out) = run_failing({"--account", unknown});
    CHECK(out.find("$.contacts[0].emial: unknown key") != std::string::npos);
    std::tie(code, out) = run_failing({"--account", "/nonexistent/account.json"});
    CHECK(code == 1);
    CHECK(out.find("/nonexistent/account.json") != std::string::npos);
    std::tie(code, out) = run_failing({"--generate", "contacts=5,tickets=x,seed=1"});
    CHECK(code == 1);
    CHECK(out.find("tickets") != std::string::npos);
    for (const auto& f : {bad_status, bad_json, dup, unknown})
        std::remove(f.c_str());
}
