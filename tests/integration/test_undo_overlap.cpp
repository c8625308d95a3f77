// undo_soft on several threads over real HTTP to a freshdesk-sim process (127.0.0.1, port 0) whose
// answers each take --latency-ms: the requests overlap. A transport between the client and its
// connection pool counts the requests in flight: the structure is asserted, not a time.
#include "executor/executor.hpp"
#include "executor/journal.hpp"
#include "freshdesk/client.hpp"
#include "harness.hpp"
#include "http/http.hpp"
#include "time/time.hpp"

#include <unistd.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fd = gp::freshdesk;
namespace json = boost::json;
using gp::Id;
using namespace gp::executor;

namespace {

const std::string source_sha = std::string(64, 'c');
constexpr int latency_ms = 50;
constexpr int contacts_wanted = 8;

// Passes every request on, and keeps the largest number of requests in flight at once.
class InFlight final : public gp::http::HttpClient {
  public:
    explicit InFlight(gp::http::HttpClient& next) : next_(next) {}
    gp::http::Result send(const gp::http::Request& request) override {
        const int now = ++in_flight_;
        int seen = most_.load();
        while (now > seen && !most_.compare_exchange_weak(seen, now)) {
        }
        gp::http::Result result = next_.send(request);
        --in_flight_;
        return result;
    }
    int most() const { return most_.load(); }

  private:
    gp::http::HttpClient& next_;
    std::atomic<int> in_flight_{0};
    std::atomic<int> most_{0};
};

std::unique_ptr<gp::http::HttpClient> pool(int port, int connections) {
    gp::http::ClientOptions options;
    options.origin.tls = false;
    options.origin.host = "127.0.0.1";
    options.origin.port = static_cast<std::uint16_t>(port);
    options.connections = connections;
    return gp::http::make_client(options);
}

struct Dir {
    std::filesystem::path path;
    Dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "gp-test-undo-overlap-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~Dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

JournalRecord applied(Id contact_id, const std::string& action, int step) {
    JournalRecord r;
    r.ts = "2026-11-29T00:00:00Z";
    r.run = "0123456789abcdef0123456789abcdef";
    r.account = "overlap.example";
    r.source = gp::executor::JournalSource::plan;
    r.source_sha256 = source_sha;
    r.contact_id = contact_id;
    r.step = step;
    r.action = action;
    return r;
}

// As a soft apply leaves it, through the API: the first contacts that can be deleted lose their
// tickets to the trash, then are tagged and soft-deleted. Their journal records, and the number of
// tickets trashed.
std::vector<JournalRecord> soft_delete_some(simtest::Client& api, std::int64_t& trashed) {
    std::vector<JournalRecord> source;
    const simtest::Reply list = api.get("/api/v2/contacts?per_page=100");
    REQUIRE(list.status == 200);
    const json::value contacts = list.json();
    for (const json::value& item : contacts.as_array()) {
        if (static_cast<int>(source.size()) >= 2 * contacts_wanted) {
            break;
        }
        const Id id = item.at("id").to_number<Id>();
        const simtest::Reply state = api.get("/_sim/state?contact=" + std::to_string(id));
        REQUIRE(state.status == 200);
        const json::value state_json = state.json();
        const json::object& contact = state_json.at("contact").as_object();
        if (contact.at("state") != "active") {
            continue;
        }
        JournalRecord tickets = applied(id, "delete_tickets", 0);
        for (const json::value& t : contact.at("tickets").as_array()) {
            const Id ticket = t.to_number<Id>();
            if (api.send("DELETE", "/api/v2/tickets/" + std::to_string(ticket)).status == 204) {
                tickets.ticket_ids.push_back(ticket);
            }
        }
        const std::string target = "/api/v2/contacts/" + std::to_string(id);
        REQUIRE(api.send("PUT", target, R"({"tags":["gdpr-purge-deleted"]})").status == 200);
        REQUIRE(api.send("DELETE", target).status == 204);
        trashed += static_cast<std::int64_t>(tickets.ticket_ids.size());
        source.push_back(std::move(tickets));
        JournalRecord contact_step = applied(id, "delete_contact", 1);
        contact_step.mode = gp::DeleteMode::soft;
        source.push_back(std::move(contact_step));
    }
    REQUIRE(static_cast<int>(source.size()) == 2 * contacts_wanted);
    return source;
}

}  // namespace

TEST_CASE("undo-soft on 4 threads keeps 4 requests in flight against a slow account", "[undo]") {
    simtest::SimProcess sim({"--generate", "contacts=60,tickets=400,seed=5", "--threads", "4",
                             "--rate-limit", "100000"});
    simtest::Client api(sim.port());
    std::int64_t trashed = 0;
    const std::vector<JournalRecord> source = soft_delete_some(api, trashed);
    REQUIRE(trashed >= contacts_wanted);
    REQUIRE(api.send("POST", "/_sim/faults", "{\"latency_ms\":" + std::to_string(latency_ms) + "}")
                .status == 200);

    const auto http = pool(sim.port(), 4);
    InFlight counting(*http);
    fd::Policy policy;
    policy.rate_limit = 100000;  // the budget never binds: only the threads keep calls apart
    fd::Client client(counting, fd::ApiKey("sim-api-key"), policy);
    const Dir dir;
    Journal own((dir.path / "undo.jsonl").string());
    UndoOptions options;
    options.account = "overlap.example";
    options.concurrency = 4;
    const UndoTotals totals = undo_soft(client, source, source_sha, own, options);

    CHECK(totals.complete());
    CHECK(totals.contacts_restored == contacts_wanted);
    CHECK(totals.tickets_restored == trashed);
    // Per contact: restore, view, tags; per ticket: restore.
    const std::int64_t calls = 3 * contacts_wanted + trashed;
    CHECK(client.counters().calls == calls);
    INFO(calls << " calls of " << latency_ms << " ms each at least; at most " << counting.most()
               << " in flight at once");
    // One thread would keep exactly one in flight; four keep four whenever their calls overlap,
    // which calls of 50 ms each made by threads that only wait for them do at once.
    CHECK(counting.most() >= 3);
    CHECK(counting.most() <= 4);
}
