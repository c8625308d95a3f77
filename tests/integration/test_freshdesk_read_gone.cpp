// lib/freshdesk's tickets list of one requester that does not exist (a contact deleted for good,
// an id nobody has): Freshdesk answers 400 with a validation error on `requester_id`, and the
// client hands that out as freshdesk::RequesterGone, told by the status, the field and the code,
// never by the message (docs/apply.md, "Per entry"). In process, on the small account of
// docs/simulator-account.md.
#include "freshdesk/client.hpp"
#include "freshdesk/read.hpp"
#include "instant_clock.hpp"
#include "sim_http.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fd = gp::freshdesk;
namespace json = boost::json;
using gp::Id;

namespace {

constexpr Id alice = 43000000101;  // tickets 1, 2, 12
constexpr Id carol = 43000000103;  // soft-deleted, ticket 5
constexpr Id nobody = 77;

fd::Policy unpaced() {
    fd::Policy policy;
    policy.rate_limit = 1000000;
    return policy;
}

struct InProc {
    simtest::InProcessSim sim;
    simtest::InstantClock clock;
    fd::Client client;
    explicit InProc(
        simtest::InProcessOptions options = simtest::small_account("2026-01-15T12:00:00Z"))
        : sim(std::move(options)), client(sim, fd::ApiKey("sim-api-key"), unpaced(), clock) {}
};

std::vector<Id> listed(fd::Client& client, Id requester,
                       fd::TicketFilter filter = fd::TicketFilter::live) {
    fd::TicketQuery query;
    query.requester_id = requester;
    query.filter = filter;
    std::vector<Id> ids;
    fd::for_each_ticket(client, query,
                        [&](fd::ListedTicket&& ticket) { ids.push_back(ticket.record.id); });
    return ids;
}

// The Freshdesk error of a missing requester with another message or code.
simtest::InProcessOptions rewritten(const std::string& message, const std::string& code) {
    simtest::InProcessOptions options = simtest::small_account("2026-01-15T12:00:00Z");
    options.tamper = [=](const gp::http::Request&, gp::http::Response& response) {
        if (response.status == 400) {
            response.body = json::serialize(json::object{
                {"description", "Validation failed"},
                {"errors", json::array{json::object{
                               {"field", "requester_id"}, {"message", message}, {"code", code}}}}});
        }
    };
    return options;
}

}  // namespace

TEST_CASE("tickets list of a requester that does not exist: RequesterGone, not an empty list",
          "[freshdesk][gone]") {
    InProc f;
    CHECK(listed(f.client, alice).size() == 3);
    CHECK(listed(f.client, carol) == std::vector<Id>{5});  // soft-deleted: still lists
    for (const auto filter :
         {fd::TicketFilter::live, fd::TicketFilter::deleted, fd::TicketFilter::spam}) {
        try {
            listed(f.client, nobody, filter);
            FAIL("no RequesterGone");
        } catch (const fd::RequesterGone& gone) {
            CHECK(gone.requester_id() == nobody);
            CHECK(gone.status() == 400);  // an ApiError to callers that do not know it
            CHECK(gone.code() == "invalid_value");
            CHECK(std::string(gone.what()).find("requester_id=77") != std::string::npos);
        }
    }
    // Deleted for good: at once.
    f.sim.control("POST", "/_sim/contacts/" + std::to_string(alice), R"({"state":"soft_deleted"})");
    gp::http::Request hard;
    hard.method = "DELETE";
    hard.target = "/api/v2/contacts/" + std::to_string(alice) + "/hard_delete";
    hard.headers.push_back({"Authorization", fd::ApiKey("sim-api-key").authorization()});
    REQUIRE(std::get<gp::http::Response>(f.sim.send(hard)).status == 204);
    CHECK_THROWS_AS(listed(f.client, alice), fd::RequesterGone);
}

TEST_CASE("RequesterGone is told by status, field and code, never by the message",
          "[freshdesk][gone]") {
    SECTION("another message: still gone") {
        InProc f(rewritten("Es gibt keinen Kontakt mit dieser requester_id", "invalid_value"));
        CHECK_THROWS_AS(listed(f.client, nobody), fd::RequesterGone);
    }
    SECTION("another code on requester_id: an ApiError, not gone") {
        InProc f(
            rewritten("There is no contact matching the given requester_id", "datatype_mismatch"));
        try {
            listed(f.client, nobody);
            FAIL("no ApiError");
        } catch (const fd::RequesterGone&) {
            FAIL("taken for a gone requester");
        } catch (const fd::ApiError& error) {
            CHECK(error.status() == 400);
            CHECK(error.code() == "datatype_mismatch");
        }
    }
    SECTION("the old simulator's answer, an empty list: nothing listed, nothing thrown") {
        InProc f;
        f.sim.control("POST", "/_sim/options", R"({"gone_requester":"empty"})");
        CHECK(listed(f.client, nobody).empty());
    }
}
