// Contract tests: the deletion state machines of tickets and contacts (docs/freshdesk-api.md,
// "Writing endpoints and the deletion state machine").
#include "test_sim_endpoints_fixture.hpp"

#include <catch2/catch.hpp>

using namespace simtest;
using namespace simtest::ep;
using V = std::vector<std::int64_t>;

namespace {

std::string contact(std::int64_t id) {
    return "/api/v2/contacts/" + std::to_string(id);
}
const std::string kAll = "/api/v2/tickets?updated_since=2020-01-01T00:00:00Z";

void check_405(const Reply& r, const std::string& method) {
    CHECK(r.status == 405);
    CHECK(r.header("Allow") == "GET");
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    CHECK(r.json() ==
          boost::json::object{{"message", method + " method is not allowed. It should be one "
                                                   "of these method(s): GET"}});
}

}  // namespace

TEST_CASE("DELETE /tickets/{id}: 204 to the trash, the view says deleted, the list moves it",
          "[deletion]") {
    Sim sim;
    const Reply r = sim.send("DELETE", "/api/v2/tickets/3");
    REQUIRE(r.status == 204);
    CHECK(r.body.empty());
    const auto view = sim.get("/api/v2/tickets/3").json();
    CHECK(view.at("deleted") == true);
    CHECK(str(view.at("updated_at")).starts_with("2026-01-15T12:0"));  // a deletion is an update
    CHECK(ids(sim.get(kAll + "&filter=deleted").json()) == V{3, 8});
    const auto live = ids(sim.get(kAll).json());
    CHECK(std::find(live.begin(), live.end(), 3) == live.end());
}

TEST_CASE("DELETE /tickets/{id}: 405 + Allow: GET when deleted or spam, 404 with one space",
          "[deletion]") {
    Sim sim;
    check_405(sim.send("DELETE", "/api/v2/tickets/8"), "DELETE");  // in the trash
    check_405(sim.send("DELETE", "/api/v2/tickets/9"), "DELETE");  // spam
    for (const char* id : {"13", "14", "999", "x"}) {
        const Reply r = sim.send("DELETE", std::string("/api/v2/tickets/") + id);
        CHECK(r.status == 404);
        CHECK(r.body == " ");
    }
    CHECK(sim.send("DELETE", "/api/v2/tickets/1", "{}").json().at("code") == "no_content_required");
}

TEST_CASE("PUT /tickets/{id}/restore: 204 from the trash, 404 empty otherwise, no body",
          "[deletion]") {
    Sim sim;
    const Reply with_body = sim.send("PUT", "/api/v2/tickets/8/restore", R"({"x":1})");
    REQUIRE(with_body.status == 400);
    CHECK(with_body.json().at("code") == "no_content_required");
    const Reply r = sim.send("PUT", "/api/v2/tickets/8/restore");
    REQUIRE(r.status == 204);
    CHECK(r.body.empty());
    CHECK_FALSE(sim.get("/api/v2/tickets/8").json().as_object().contains("deleted"));
    CHECK(ids(sim.get(kAll + "&filter=deleted").json()).empty());
    for (const char* id : {"8", "1", "9", "13", "999"}) {
        const Reply again = sim.send("PUT", std::string("/api/v2/tickets/") + id + "/restore");
        CHECK(again.status == 404);
        CHECK(again.body.empty());
    }
}

TEST_CASE("the trash is purged 30 days after the deletion", "[deletion]") {
    Sim sim;
    REQUIRE(sim.send("DELETE", "/api/v2/tickets/1").status == 204);
    sim.advance(29 * 86400);
    CHECK(sim.get("/api/v2/tickets/1").status == 200);
    CHECK(sim.get("/api/v2/tickets/8").status == 404);  // deleted on 2026-01-05
    sim.advance(86400 + 60);
    CHECK(sim.get("/api/v2/tickets/1").status == 404);
    CHECK(sim.send("PUT", "/api/v2/tickets/1/restore").status == 404);
}

TEST_CASE("POST /tickets/bulk_delete: 202 with a job, tickets go to the trash when it ends",
          "[deletion]") {
    Sim sim(args({"--job-seconds", "30"}));
    const Reply r =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[1,3,16]}})");
    REQUIRE(r.status == 202);
    const std::string job = str(r.json().at("job_id"));
    CHECK(job.size() == 32);
    CHECK(job.find_first_not_of("0123456789abcdef") == std::string::npos);
    const std::string base = "http://127.0.0.1:" + std::to_string(sim.process.port());
    CHECK(str(r.json().at("href")) == base + "/api/v2/jobs/" + job);
    const Reply running = sim.get("/api/v2/jobs/" + job);
    REQUIRE(running.status == 200);
    CHECK(str(running.json().at("id")) == job);
    CHECK(running.json().at("status") == "IN PROGRESS");
    CHECK_FALSE(sim.get("/api/v2/tickets/1").json().as_object().contains("deleted"));
    sim.advance(31);
    const auto done = sim.get("/api/v2/jobs/" + job).json();
    CHECK(done.at("status") == "SUCCESS");
    CHECK(done.at("data").as_array().size() == 3);
    CHECK(done.at("data").as_array()[0] == boost::json::object{{"id", 1}, {"success", true}});
    CHECK(ids(sim.get(kAll + "&filter=deleted").json()) == V{16, 3, 1, 8});
}

TEST_CASE("bulk_delete: bad ids make the job PARTIAL, or FAILED when none is deleted",
          "[deletion]") {
    Sim sim(args({"--job-seconds", "5"}));
    const auto partial =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[2,8,9,999]}})")
            .json();
    const auto failed =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[9999]}})").json();
    sim.advance(6);
    const auto p = sim.get("/api/v2/jobs/" + str(partial.at("job_id"))).json();
    CHECK(p.at("status") == "PARTIAL");
    CHECK(p.at("data").as_array()[0].at("success") == true);
    CHECK(p.at("data").as_array()[1].at("success") == false);  // already in the trash
    CHECK(p.at("data").as_array()[2].at("success") == false);  // spam
    CHECK(sim.get("/api/v2/jobs/" + str(failed.at("job_id"))).json().at("status") == "FAILED");
    CHECK(sim.get("/api/v2/tickets/2").json().at("deleted") == true);
}

TEST_CASE("bulk_delete: missing_param, invalid_value on an empty list, other validation",
          "[deletion]") {
    Sim sim;
    // No bulk_action: missing_param, even when other keys are there.
    const Reply missing = sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"ids":[1]})");
    REQUIRE(missing.status == 400);
    CHECK(missing.json().at("code") == "missing_param");
    const Reply two = sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"a":1,"ids":[1]})");
    REQUIRE(two.status == 400);
    CHECK(two.json().at("code") == "missing_param");
    // With bulk_action, another key is a validation error.
    const Reply extra =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[1]},"ids":[1]})");
    REQUIRE(extra.status == 400);
    CHECK(only_error(extra.json()).at("code") == "invalid_field");
    CHECK(only_error(extra.json()).at("field") == "ids");
    const Reply none = sim.send("POST", "/api/v2/tickets/bulk_delete", "{}");
    REQUIRE(none.status == 400);
    CHECK(none.json().at("code") == "missing_param");
    const Reply empty_body = sim.client.raw("POST", "/api/v2/tickets/bulk_delete", "", {}, true);
    CHECK(empty_body.status == 400);
    CHECK(empty_body.json().at("code") == "missing_param");
    const Reply empty =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[]}})");
    REQUIRE(empty.status == 400);
    CHECK(only_error(empty.json()).at("code") == "invalid_value");
    CHECK(only_error(
              sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":["1"]}})")
                  .json())
              .at("code") == "datatype_mismatch");
    CHECK(sim.send("POST", "/api/v2/tickets/bulk_delete", "[1,2]").json().at("code") ==
          "invalid_json");
    std::string many = R"({"bulk_action":{"ids":[)";
    for (int i = 1; i <= 101; ++i)
        many += std::to_string(i) + (i < 101 ? "," : "]}}");
    CHECK(only_error(sim.send("POST", "/api/v2/tickets/bulk_delete", many).json()).at("code") ==
          "invalid_value");
    CHECK(sim.get("/api/v2/tickets/bulk_delete").status == 405);
}

TEST_CASE("GET /jobs/{id}: 404 unknown, and after about a day", "[deletion]") {
    Sim sim;
    const Reply unknown = sim.get("/api/v2/jobs/0123456789abcdef0123456789abcdef");
    CHECK(unknown.status == 404);
    CHECK(unknown.body == " ");
    const auto job =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[1]}})").json();
    sim.advance(3600);
    CHECK(sim.get("/api/v2/jobs/" + str(job.at("job_id"))).status == 200);
    sim.advance(86400);
    CHECK(sim.get("/api/v2/jobs/" + str(job.at("job_id"))).status == 404);
}

TEST_CASE("GET /jobs/{id}: the alternative status strings and payload", "[deletion]") {
    // A 30 s job: the simulator's clock runs at real speed, so with the default 2 s a slow
    // (sanitized, loaded) machine could let the job end before it is read as in_progress.
    Sim sim(args({"--job-status-variant", "alternative", "--job-seconds", "30"}));
    const auto job =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[1,999]}})")
            .json();
    CHECK(sim.get("/api/v2/jobs/" + str(job.at("job_id"))).json().at("status") == "in_progress");
    sim.advance(31);
    const auto done = sim.get("/api/v2/jobs/" + str(job.at("job_id"))).json();
    CHECK(done.at("status") == "partially_completed");
    CHECK(done.at("result") == boost::json::parse(R"({"succeeded":[1],"failed":[999]})"));
}

TEST_CASE("DELETE /contacts/{id}: 204 soft delete, its tickets stay", "[deletion]") {
    Sim sim;
    const Reply r = sim.send("DELETE", contact(kBob));
    REQUIRE(r.status == 204);
    const auto view = sim.get(contact(kBob)).json();
    CHECK(view.at("deleted") == true);
    CHECK(str(view.at("updated_at")).starts_with("2026-01-15T12:0"));
    CHECK(ids(sim.get("/api/v2/contacts?state=deleted").json()) == V{kBob, kCarol});
    CHECK(ids(sim.get(kAll + "&requester_id=" + std::to_string(kBob)).json()) == V{4, 16, 3});
    check_405(sim.send("DELETE", contact(kBob)), "DELETE");
    check_405(sim.send("DELETE", contact(kDan)), "DELETE");  // blocked
    for (const std::int64_t id : {kKeeper, std::int64_t{77}}) {
        const Reply nf = sim.send("DELETE", contact(id));
        CHECK(nf.status == 404);
        CHECK(nf.body == " ");
    }
}

TEST_CASE("PUT /contacts/{id}/restore: 204 for a soft-deleted contact, 404 otherwise",
          "[deletion]") {
    Sim sim;
    CHECK(sim.send("PUT", contact(kCarol) + "/restore", "{}").json().at("code") ==
          "no_content_required");
    REQUIRE(sim.send("PUT", contact(kCarol) + "/restore").status == 204);
    const auto view = sim.get(contact(kCarol)).json();
    CHECK_FALSE(view.as_object().contains("deleted"));
    CHECK(view.at("tags") == boost::json::array{"gdpr-purge-deleted"});  // tags are left alone
    for (const std::int64_t id : {kCarol, kAlice, kDan, kKeeper, std::int64_t{77}})
        CHECK(sim.send("PUT", contact(id) + "/restore").status == 404);
}

TEST_CASE("hard_delete: 400 with an empty body unless soft-deleted or forced", "[deletion]") {
    Sim sim;
    const Reply r = sim.send("DELETE", contact(kAlice) + "/hard_delete");
    REQUIRE(r.status == 400);
    CHECK(r.body.empty());
    CHECK(sim.send("DELETE", contact(kDan) + "/hard_delete").status == 400);
    CHECK(sim.get(contact(kAlice)).status == 200);
    CHECK(sim.send("DELETE", contact(kKeeper) + "/hard_delete?force=true").status == 404);
    CHECK(sim.send("DELETE", contact(77) + "/hard_delete").status == 404);
    CHECK(only_error(sim.send("DELETE", contact(kAlice) + "/hard_delete?force=yes").json())
              .at("field") == "force");
}

TEST_CASE("hard_delete of a soft-deleted contact removes it and, shortly after, its tickets",
          "[deletion]") {
    Sim sim(args({"--job-seconds", "10"}));
    REQUIRE(sim.send("DELETE", contact(kCarol) + "/hard_delete").status == 204);
    const Reply gone = sim.get(contact(kCarol));
    CHECK(gone.status == 404);
    CHECK(gone.body == " ");  // the one-space body of every 404 of a read
    CHECK(sim.get("/api/v2/contacts?state=deleted").body == "[]");
    CHECK(sim.get("/api/v2/tickets/5").status == 200);  // still visible a short while
    sim.advance(11);
    CHECK(sim.get("/api/v2/tickets/5").status == 404);
    CHECK(sim.send("DELETE", contact(kCarol) + "/hard_delete").status == 404);
    CHECK(sim.send("PUT", contact(kCarol) + "/restore").status == 404);
    CHECK(sim.send("DELETE", contact(kCarol)).status == 404);
}

TEST_CASE("hard_delete?force=true removes a live contact and all its tickets", "[deletion]") {
    Sim sim(args({"--job-seconds", "2"}));
    REQUIRE(sim.send("DELETE", contact(kGus) + "/hard_delete?force=true").status == 204);
    const Reply gone = sim.get(contact(kGus));
    CHECK(gone.status == 404);
    CHECK(gone.body == " ");
    sim.advance(3);
    for (const char* id : {"8", "9"})
        CHECK(sim.get(std::string("/api/v2/tickets/") + id).status == 404);
    CHECK(ids(sim.get(kAll + "&filter=deleted").json()).empty());
    // Its email is free again.
    CHECK(sim.get("/api/v2/contacts?email=gus%40example.com").body == "[]");
}

TEST_CASE("hard_delete: the account where force=true does not work", "[deletion]") {
    Sim sim;
    sim.set_options(R"({"hard_delete_force_ignored":true})");
    const Reply r = sim.send("DELETE", contact(kAlice) + "/hard_delete?force=true");
    CHECK(r.status == 400);
    CHECK(r.body.empty());
    // The path that works everywhere: soft delete, then hard delete.
    REQUIRE(sim.send("DELETE", contact(kAlice)).status == 204);
    CHECK(sim.send("DELETE", contact(kAlice) + "/hard_delete").status == 204);
}

TEST_CASE("bulk_delete: jobs run in their order, also after a long jump of the clock",
          "[deletion]") {
    Sim sim(args({"--job-seconds", "5"}));
    const auto first =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[1,3]}})").json();
    const auto second =
        sim.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[3,3]}})").json();
    sim.advance(2 * 86400);  // both jobs ended long ago, and their records expired
    CHECK(sim.get("/api/v2/jobs/" + str(first.at("job_id"))).status == 404);
    CHECK(sim.get("/api/v2/tickets/1").json().at("deleted") == true);
    CHECK(sim.get("/api/v2/tickets/3").json().at("deleted") == true);
    // The deletion happened when the job ended, not when the clock was read.
    const auto t1 = sim.control("GET", "/_sim/state?ticket=1").at("ticket");
    CHECK(str(t1.at("deleted_at")).starts_with("2026-01-15T12:0"));
    Sim again(args({"--job-seconds", "5"}));
    const auto a =
        again.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[1,3]}})")
            .json();
    const auto b =
        again.send("POST", "/api/v2/tickets/bulk_delete", R"({"bulk_action":{"ids":[3,3]}})")
            .json();
    again.advance(6);
    CHECK(again.get("/api/v2/jobs/" + str(a.at("job_id"))).json().at("status") == "SUCCESS");
    const auto late = again.get("/api/v2/jobs/" + str(b.at("job_id"))).json();
    CHECK(late.at("status") == "FAILED");  // 3 was trashed by the first job; duplicates count once
    CHECK(late.at("data").as_array().size() == 1);
}
