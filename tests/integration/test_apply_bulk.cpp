// apply_plan's bulk deletions: an entry with at least bulk_threshold live tickets uses
// POST /tickets/bulk_delete (100 ids a job) and polls the job; a job that does not end in SUCCESS
// is finished ticket by ticket; a job an interrupted run started is waited for, not started again.
#include "freshdesk/write.hpp"
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace applytest;
namespace ex = gp::executor;

namespace {

constexpr Id bulky = 43000000501;  // tickets 1..big
constexpr Id small = 43000000502;  // the next `few` tickets

// An account of two contacts whose tickets use case 1's rule takes: `big` and `few` of them.
std::string bulk_account(const TempDir& dir, int big, int few) {
    json::array tickets;
    for (int i = 0; i < big + few; ++i) {
        tickets.push_back(
            json::object{{"requester_id", i < big ? bulky : small},
                         {"group_id", 43000000011},
                         {"type", "Question"},
                         {"status", 5},
                         {"created_at", "2026-01-01T00:00:00Z"},
                         {"updated_at", "2026-01-02T00:00:00Z"},
                         {"stats", json::object{{"closed_at", "2026-01-02T00:00:00Z"}}}});
    }
    const json::object account{
        {"groups", json::array{json::object{{"id", 43000000011}, {"name", "Escalations"}}}},
        {"ticket_types", json::array{"Question"}},
        {"agents",
         json::array{json::object{
             {"id", 43000000001}, {"name", "Kim Keeper"}, {"email", "keeper@example.com"}}}},
        {"contacts", json::array{json::object{{"id", bulky},
                                              {"name", "Bo Bulk"},
                                              {"email", "bo@example.com"},
                                              {"created_at", "2025-01-01T00:00:00Z"},
                                              {"updated_at", "2026-01-02T00:00:00Z"}},
                                 json::object{{"id", small},
                                              {"name", "Sy Small"},
                                              {"email", "sy@example.com"},
                                              {"created_at", "2025-01-01T00:00:00Z"},
                                              {"updated_at", "2026-01-02T00:00:00Z"}}}},
        {"tickets", tickets}};
    const std::string path = dir.file("account.json");
    std::ofstream(path) << json::serialize(account);
    return path;
}

std::vector<Id> range(Id from, Id to) {
    std::vector<Id> ids;
    for (Id id = from; id <= to; ++id) {
        ids.push_back(id);
    }
    return ids;
}

// The ids of every bulk_delete request body, in order.
struct BulkLog {
    std::mutex mutex;
    std::vector<std::vector<Id>> jobs;
};

void log_bulk(const gp::http::Request& request, BulkLog& log) {
    if (request.method == "POST" && request.target == "/api/v2/tickets/bulk_delete") {
        const json::value body = json::parse(request.body);
        std::vector<Id> ids;
        for (const auto& id : body.at("bulk_action").at("ids").as_array()) {
            ids.push_back(id.as_int64());
        }
        std::lock_guard lock(log.mutex);
        log.jobs.push_back(std::move(ids));
    }
}

// Bo's records: started (with the job's id) then done for step 0, done for step 1.
void check_bulky_records(const std::vector<ex::JournalRecord>& records, std::size_t jobs) {
    const auto mine = records_of(records, bulky);
    INFO(show(mine));
    REQUIRE(mine.size() == jobs + 2);
    for (std::size_t k = 0; k < jobs; ++k) {
        CHECK(mine[k].outcome == ex::Outcome::started);
        CHECK(mine[k].step == 0);
        CHECK(mine[k].job_id.size() == 32);
    }
    CHECK(mine[jobs].outcome == ex::Outcome::done);
    CHECK(mine[jobs].step == 0);
    CHECK(mine[jobs + 1].outcome == ex::Outcome::done);
    CHECK(mine[jobs + 1].step == 1);
}

}  // namespace

TEST_CASE("apply: four tickets or more go in one bulk job, fewer one by one", "[apply][bulk]") {
    const bool variant = GENERATE(false, true);
    INFO((variant ? "job_status_variant" : "Freshdesk's job strings"));
    const TempDir dir;
    simtest::InProcessOptions options = account_options(bulk_account(dir, 6, 3));
    options.job_status_variant = variant;
    Account account(options);
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 2);
    REQUIRE(entry_of(plan, bulky).steps[0].ticket_ids == range(1, 6));
    const World before = world(account, {bulky, small});
    auto log = std::make_shared<BulkLog>();
    const std::string journal = dir.file("j.jsonl");
    // Each poll of the job: is its started record in the journal already?
    auto polls_unrecorded = std::make_shared<std::atomic<int>>(0);
    account.set_tamper([log, journal, polls_unrecorded](const gp::http::Request& r,
                                                        gp::http::Response&) {
        log_bulk(r, *log);
        if (r.target.rfind("/api/v2/jobs/", 0) == 0) {
            const auto records = ex::read_journal(journal, ex::MissingJournal::empty);
            const bool started = std::any_of(records.begin(), records.end(), [&](const auto& rec) {
                return rec.outcome == ex::Outcome::started &&
                       r.target == "/api/v2/jobs/" + rec.job_id;
            });
            *polls_unrecorded += started ? 0 : 1;
        }
    });

    const ApplyRun run = run_apply(account, plan, journal);
    account.set_tamper({});
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(count(run.requests, "POST /tickets/bulk_delete") == 1);
    CHECK(count(run.requests, "GET /jobs/{id}") >= 1);
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 3);  // Sy's, not Bo's
    CHECK(log->jobs == std::vector<std::vector<Id>>{range(1, 6)});
    CHECK(polls_unrecorded->load() == 0);
    check_bulky_records(run.records, 1);
    check_one_done_per_step(run.records, plan);
    check_applied(before, world(account, {bulky, small}), plan);
    CHECK(run.totals.bulk_jobs == 1);
    CHECK(run.totals.tickets_deleted == 9);
    CHECK(run.totals.entries_done == 2);
}

TEST_CASE("apply: more than 100 tickets go in jobs of 100", "[apply][bulk]") {
    const TempDir dir;
    Account account(account_options(bulk_account(dir, 105, 0)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 1);
    auto log = std::make_shared<BulkLog>();
    account.set_tamper(
        [log](const gp::http::Request& r, gp::http::Response&) { log_bulk(r, *log); });
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.requests));
    CHECK(log->jobs == std::vector<std::vector<Id>>{range(1, 100), range(101, 105)});
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 0);
    check_bulky_records(run.records, 2);
    CHECK(run.totals.tickets_deleted == 105);
    CHECK(account.contact_state(bulky) == "hard_deleted");
}

namespace {

enum class Ending { partial, failed, unknown_job };

// A PARTIAL job for real: one of its tickets trashed by someone else while the job runs.
// `last_job_status`: the status of the last job answer.
TamperFn trash_ticket_3_during_the_job(Account& account, std::shared_ptr<std::atomic<int>> status,
                                       std::shared_ptr<std::string> last_job_status) {
    return [&account, status, last_job_status](const gp::http::Request& r,
                                               gp::http::Response& response) {
        if (r.target.rfind("/api/v2/jobs/", 0) == 0 && response.status == 200) {
            *last_job_status = json::parse(response.body).at("status").as_string();  // one thread
            return;
        }
        if (r.method != "POST" || r.target != "/api/v2/tickets/bulk_delete" ||
            status->load() != 0) {
            return;
        }
        status->store(-1);
        gp::http::Request trash{"DELETE", "/api/v2/tickets/3", {}, ""};
        for (const auto& h : r.headers) {
            if (h.name == "Authorization") {
                trash.headers.push_back(h);
            }
        }
        const auto result = account.sim.send(trash);
        if (const auto* answer = std::get_if<gp::http::Response>(&result)) {
            status->store(answer->status);
        }
    };
}

// The job's final answer rewritten: FAILED (either vocabulary), or 404 (unknown job).
TamperFn job_ends(Ending ending) {
    return [ending](const gp::http::Request& r, gp::http::Response& response) {
        if (r.target.rfind("/api/v2/jobs/", 0) != 0 || response.status != 200) {
            return;
        }
        json::object job = json::parse(response.body).as_object();
        const std::string s(job.at("status").as_string());
        if (s != "SUCCESS" && s != "completed") {
            return;
        }
        if (ending == Ending::unknown_job) {
            response.status = 404;
            response.body = " ";
        } else {
            job["status"] = s == "SUCCESS" ? "FAILED" : "failed";
            response.body = json::serialize(job);
        }
    };
}

}  // namespace

TEST_CASE("apply: a job that does not end in SUCCESS is finished ticket by ticket",
          "[apply][bulk]") {
    const bool variant = GENERATE(false, true);
    const Ending ending = GENERATE(Ending::partial, Ending::failed, Ending::unknown_job);
    INFO((variant ? "job_status_variant" : "Freshdesk's job strings")
         << ", ending " << static_cast<int>(ending));
    const TempDir dir;
    simtest::InProcessOptions options = account_options(bulk_account(dir, 6, 0));
    options.job_status_variant = variant;
    Account account(options);
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 1);
    auto trashed = std::make_shared<std::atomic<int>>(0);
    auto last_job_status = std::make_shared<std::string>();
    const std::int64_t by_hand = ending == Ending::partial ? 1 : 0;
    account.set_tamper(ending == Ending::partial
                           ? trash_ticket_3_during_the_job(account, trashed, last_job_status)
                           : job_ends(ending));
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    account.set_tamper({});
    INFO(show(run.requests));
    INFO(show(run.records));
    if (ending == Ending::partial) {
        REQUIRE(trashed->load() == 204);
        CHECK(*last_job_status == (variant ? "partially_completed" : "PARTIAL"));
    }
    CHECK(count(run.requests, "POST /tickets/bulk_delete") == 1);
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 6 + by_hand);
    check_bulky_records(run.records, 1);
    CHECK(run.totals.entries_done == 1);
    CHECK(account.contact_state(bulky) == "hard_deleted");
    for (Id t = 1; t <= 6; ++t) {
        CHECK((account.seen(t) == "trash" || account.seen(t) == "gone"));
    }
}

TEST_CASE("apply: a job started by an interrupted run is waited for, not started again",
          "[apply][bulk][resume]") {
    const TempDir dir;
    Account account(account_options(bulk_account(dir, 6, 3)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 2);
    const std::vector<Id> ids = range(1, 6);
    const gp::freshdesk::BulkStart start = gp::freshdesk::start_bulk_delete(account.client, ids);
    REQUIRE(start.job_id);
    const std::string journal = dir.file("j.jsonl");
    {
        ex::JournalRecord started;
        started.ts = kNow;
        started.run = std::string(32, 'a');
        started.account = plan.header.account;
        started.source = gp::executor::JournalSource::plan;
        started.source_sha256 = kPlanSha;
        started.contact_id = bulky;
        started.step = 0;
        started.action = "delete_tickets";
        started.ticket_ids = ids;
        started.job_id = *start.job_id;
        started.outcome = ex::Outcome::started;
        ex::Journal(journal).append(started);
    }
    const ApplyRun run = run_apply(account, plan, journal);
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(count(run.requests, "POST /tickets/bulk_delete") == 0);
    CHECK(count(run.requests, "GET /jobs/{id}") >= 1);
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 3);  // Sy's only
    CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 2);
    CHECK(run.totals.entries_done == 2);
    CHECK(run.totals.bulk_jobs == 0);
    check_one_done_per_step(run.records, plan);
    CHECK(account.contact_state(bulky) == "hard_deleted");
}
