// lib/executor's undo_soft against the simulated account in process: the apply journal is written
// by hand here (soft deletions made through the real API calls, then their done records), so that
// these tests do not depend on apply.
#include "clock.hpp"
#include "executor/executor.hpp"
#include "executor/journal.hpp"
#include "freshdesk/client.hpp"
#include "instant_clock.hpp"
#include "sim_http.hpp"
#include "time/time.hpp"

#include <unistd.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fd = gp::freshdesk;
namespace json = boost::json;
namespace fs = std::filesystem;
using gp::Id;
using gp::UnixTime;
using namespace gp::executor;

namespace {

// People of tests/sim/core/testdata/small_account.json.
constexpr Id alice = 43000000101;  // tags VIP; tickets 1, 2, 12
constexpr Id bob = 43000000102;    // tickets 3, 4, 16
constexpr Id carol = 43000000103;  // soft-deleted, tagged gdpr-purge-deleted; ticket 5
constexpr Id eve = 43000000105;    // ticket 7
constexpr Id gus = 43000000107;    // trashed 8, spam 9, 13 purged from the trash
constexpr Id hana = 43000000108;   // no tickets
const std::string source_sha = std::string(64, 'a');
constexpr std::int64_t day = gp::seconds_per_day;

fd::Policy unpaced() {
    fd::Policy policy;
    policy.rate_limit = 1000000;
    policy.max_attempts = 1;
    return policy;
}

simtest::InProcessOptions small() {
    return simtest::small_account("2026-01-15T12:00:00Z");
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "gp-test-undo-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

// The account in process, a client on it, the apply journal being written and the undo journal.
struct Fixture {
    simtest::InProcessSim sim{small()};
    simtest::InstantClock clock;
    fd::Client client;
    TempDir dir;
    std::string own_path = (dir.path / "j.undo.jsonl").string();
    std::vector<JournalRecord> source;

    explicit Fixture(const std::string& key = "sim-api-key")
        : client(sim, fd::ApiKey(key), unpaced(), clock) {}

    UnixTime now() { return sim.clock().now(); }

    int send(const std::string& method, const std::string& target, const std::string& body = "") {
        fd::Call call;
        call.method = method;
        call.target = "/api/v2" + target;
        call.body = body;
        return client.send(call).status;
    }
    json::value control(const std::string& method, const std::string& target,
                        const std::string& body = "") {
        const gp::http::Response r = sim.control(method, target, body);
        INFO(target << " answered " << r.status << ": " << r.body);
        REQUIRE((r.status == 200 || r.status == 201));
        return json::parse(r.body);
    }
    json::value contact(Id id) {
        return control("GET", "/_sim/state?contact=" + std::to_string(id)).at("contact");
    }
    std::string ticket_seen(Id id) {
        const json::value state = control("GET", "/_sim/state?ticket=" + std::to_string(id));
        return std::string(state.at("ticket").at("seen").as_string());
    }
    std::vector<std::string> tags(Id id) {
        std::vector<std::string> out;
        const json::value c = contact(id);
        for (const auto& tag : c.at("tags").as_array()) {
            out.emplace_back(tag.as_string());
        }
        return out;
    }

    // An apply record of source_sha, done now.
    JournalRecord& add(Id contact_id, const std::string& action, std::optional<int> step = {}) {
        JournalRecord r;
        r.ts = gp::format_timestamp(now());
        r.step = step;
        r.run = "0123456789abcdef0123456789abcdef";
        r.account = "small.example";
        r.source = gp::executor::JournalSource::plan;
        r.source_sha256 = source_sha;
        r.contact_id = contact_id;
        r.action = action;
        source.push_back(r);
        return source.back();
    }
    // apply's delete_tickets step, done: each ticket sent to the trash.
    void trash(Id contact_id, const std::vector<Id>& ids) {
        for (const Id id : ids) {
            REQUIRE(send("DELETE", "/tickets/" + std::to_string(id)) == 204);
        }
        add(contact_id, "delete_tickets", 0).ticket_ids = ids;
    }
    // apply's soft delete_contact step, done: tagged gdpr-purge-deleted, then soft-deleted.
    void soft_delete(Id contact_id, const std::vector<std::string>& tags_then) {
        json::array list(tags_then.begin(), tags_then.end());
        const std::string body = json::serialize(json::object{{"tags", list}});
        REQUIRE(send("PUT", "/contacts/" + std::to_string(contact_id), body) == 200);
        REQUIRE(send("DELETE", "/contacts/" + std::to_string(contact_id)) == 204);
        add(contact_id, "delete_contact", 1).mode = gp::DeleteMode::soft;
    }
    void hard_delete(Id contact_id) {
        REQUIRE(send("DELETE", "/contacts/" + std::to_string(contact_id) + "/hard_delete") == 204);
    }

    UndoTotals undo(std::vector<JournalRecord>* written = nullptr,
                    int concurrency = UndoOptions{}.concurrency) {
        Journal own(own_path);
        UndoOptions options;
        options.account = "small.example";
        options.now = now();
        options.concurrency = concurrency;
        options.on_record = [written](const JournalRecord& r) {
            if (written != nullptr) {
                written->push_back(r);
            }
        };
        return undo_soft(client, source, source_sha, own, options);
    }
    std::vector<JournalRecord> own() { return read_journal(own_path, MissingJournal::empty); }
};

// The record of the contact's action with that outcome has these ticket ids and this reason.
void check_record(const std::vector<JournalRecord>& records, Id contact_id, std::string_view action,
                  Outcome outcome, const std::vector<Id>& ticket_ids, const std::string& reason) {
    const auto it = std::find_if(records.begin(), records.end(), [&](const JournalRecord& r) {
        return r.contact_id == contact_id && r.action == action && r.outcome == outcome;
    });
    INFO("contact " << contact_id << " " << action << " " << to_string(outcome));
    REQUIRE(it != records.end());
    CHECK(it->ticket_ids == ticket_ids);
    CHECK(it->reason == reason);
}

// Alice, then bob: their tickets trashed, then the contacts soft-deleted.
void delete_alice_and_bob(Fixture& f) {
    f.trash(alice, {1, 2, 12});
    f.soft_delete(alice, {"VIP", "GDPR-Purge-Deleted", "newsletter"});
    f.trash(bob, {3, 4});
    f.soft_delete(bob, {"gdpr-purge-deleted"});
    REQUIRE(f.contact(alice).at("state") == "soft_deleted");
    REQUIRE(f.ticket_seen(12) == "trash");
}

}  // namespace

TEST_CASE("undo-soft restores contacts and tickets, newest first, and removes only its tag") {
    Fixture f;
    delete_alice_and_bob(f);

    std::vector<JournalRecord> written;
    const UndoTotals totals = f.undo(&written);
    CHECK(totals.contacts_restored == 2);
    CHECK(totals.tickets_restored == 5);
    CHECK(totals.steps_done_before == 0);
    CHECK(totals.complete());

    CHECK(f.contact(alice).at("state") == "active");
    CHECK(f.tags(alice) == std::vector<std::string>{"VIP", "newsletter"});
    CHECK(f.contact(bob).at("state") == "active");
    CHECK(f.tags(bob).empty());
    for (const Id id : {1, 2, 12, 3, 4}) {
        CHECK(f.ticket_seen(id) == "live");
    }

    // One record per contact and action, bob (deleted last) first, each contact before its tickets.
    const std::vector<JournalRecord> own = f.own();
    CHECK(own == written);
    REQUIRE(own.size() == 4);
    CHECK(own[0].contact_id == bob);
    CHECK(own[0].action == restore_contact_action);
    CHECK(own[1].action == restore_tickets_action);
    CHECK(own[1].ticket_ids == std::vector<Id>{3, 4});
    CHECK(own[2].contact_id == alice);
    CHECK(own[2].action == restore_contact_action);
    CHECK(own[3].ticket_ids == std::vector<Id>{1, 2, 12});
    for (const auto& r : own) {
        CHECK(r.outcome == Outcome::done);
        CHECK(r.source == gp::executor::JournalSource::journal);
        CHECK(r.source_sha256 == source_sha);
        CHECK(r.account == "small.example");
        CHECK(r.run == own[0].run);
        CHECK_FALSE(r.step);
    }
    CHECK(own[0].run.size() == 32);
}

TEST_CASE("undo-soft run again with its journal sends nothing and changes nothing") {
    Fixture f;
    delete_alice_and_bob(f);
    REQUIRE(f.undo().contacts_restored == 2);
    REQUIRE(f.send("PUT", "/contacts/" + std::to_string(bob), R"({"tags":["x"]})") == 200);
    const std::int64_t requests = f.sim.requests();
    const auto before = fs::file_size(f.own_path);
    const UndoTotals again = f.undo();
    CHECK(f.sim.requests() == requests);
    CHECK(fs::file_size(f.own_path) == before);
    CHECK(again.steps_done_before == 4);
    CHECK(again.contacts_restored == 0);
    CHECK(again.tickets_restored == 0);
    CHECK(f.tags(bob) == std::vector<std::string>{"x"});
}

TEST_CASE("undo-soft reports hard deletions as not restorable, asking only about their tickets") {
    Fixture f;
    f.trash(eve, {7});
    f.add(eve, "delete_contact").mode = gp::DeleteMode::hard;
    REQUIRE(f.send("DELETE", "/contacts/" + std::to_string(eve)) == 204);
    f.hard_delete(eve);
    // hana: soft-deleted by one run, purged by a later one.
    f.soft_delete(hana, {"gdpr-purge-deleted"});
    f.hard_delete(hana);
    f.add(hana, "purge_soft_deleted", 0);
    // carol: soft-deleted before the plan, purged by it.
    f.hard_delete(carol);
    f.add(carol, "purge_soft_deleted", 0);
    f.sim.clock().advance(day);  // the hard deletions' background removal of tickets is done
    REQUIRE(f.ticket_seen(7) == "gone");

    const std::int64_t requests = f.sim.requests();
    const UndoTotals totals = f.undo();
    // Nothing for the contacts; ticket 7 is looked at (GET /tickets/7: 404), not assumed gone.
    CHECK(f.sim.requests() == requests + 1);
    CHECK(totals.contacts_not_restorable == 3);
    CHECK(totals.tickets_not_restorable == 1);
    CHECK(totals.contacts_restored == 0);
    CHECK(totals.complete());
    const auto own = f.own();
    CHECK(own.size() == 4);
    for (const Id id : {eve, hana, carol}) {
        check_record(own, id, restore_contact_action, Outcome::not_restorable, {}, "hard-deleted");
    }
    check_record(own, eve, restore_tickets_action, Outcome::not_restorable, {7},
                 "gone (contact 43000000105 was deleted hard, or purged)");

    // Final: a second run records nothing more.
    const UndoTotals again = f.undo();
    CHECK(again.steps_done_before == 4);
    CHECK(f.own().size() == 4);
    CHECK(f.sim.requests() == requests + 1);
}

TEST_CASE(
    "undo-soft leaves the trashed tickets a hard deletion left (a former agent's) and says so") {
    // docs/rules-semantics.md, settled 21: a contact that was once an agent keeps its tickets when
    // it is deleted hard (the simulator's `was_agent`). Nothing may claim they went with it, and
    // nothing restores them: the contact's deletion was meant for good.
    Fixture f;
    f.control("POST", "/_sim/contacts/" + std::to_string(bob), R"({"was_agent":true})");
    f.trash(bob, {3, 4});
    f.add(bob, "delete_contact", 1).mode = gp::DeleteMode::hard;
    REQUIRE(f.send("DELETE", "/contacts/" + std::to_string(bob)) == 204);
    f.hard_delete(bob);
    f.sim.clock().advance(day);  // past the background removal another contact's tickets get
    REQUIRE(f.contact(bob).at("state") == "hard_deleted");
    REQUIRE(f.ticket_seen(3) == "trash");
    REQUIRE(f.ticket_seen(4) == "trash");

    const std::int64_t requests = f.sim.requests();
    const UndoTotals totals = f.undo();
    // Per ticket: GET /tickets/{id} (in the trash); no restore.
    CHECK(f.sim.requests() == requests + 2);
    CHECK(totals.contacts_not_restorable == 1);
    CHECK(totals.tickets_restored == 0);
    CHECK(totals.tickets_not_restorable == 2);
    CHECK(totals.complete());
    CHECK(f.ticket_seen(3) == "trash");
    CHECK(f.ticket_seen(4) == "trash");
    const auto own = f.own();
    check_record(own, bob, restore_contact_action, Outcome::not_restorable, {}, "hard-deleted");
    check_record(own, bob, restore_tickets_action, Outcome::not_restorable, {3, 4},
                 "left in the trash: contact " + std::to_string(bob) +
                     " was deleted hard, so its tickets are not restored (an agent may)");
    for (const JournalRecord& r : own) {
        CHECK(r.reason.find("with contact") == std::string::npos);
        CHECK(r.reason.find("taken along") == std::string::npos);
    }
}

TEST_CASE("undo-soft lists archived deletions as not restorable and sends nothing for them") {
    Fixture f;
    f.trash(alice, {1});
    // apply's delete_archived_tickets step, done: permanent (the tickets are made up here: no
    // call could bring them back anyway).
    JournalRecord& archived = f.add(alice, "delete_archived_tickets", 1);
    archived.ticket_ids = {20, 21};
    archived.permanent = true;
    f.soft_delete(alice, {"gdpr-purge-deleted"});
    f.source.back().step = 2;

    std::int64_t archived_calls = 0;
    const std::int64_t requests = f.sim.requests();
    const auto by_endpoint = f.sim.requests_by_endpoint();
    const UndoTotals totals = f.undo();
    for (const auto& [endpoint, n] : f.sim.requests_by_endpoint()) {
        const auto before = by_endpoint.find(endpoint);
        const std::int64_t added = n - (before == by_endpoint.end() ? 0 : before->second);
        if (endpoint.find("archived") != std::string::npos) {
            archived_calls += added;
        }
    }
    CHECK(archived_calls == 0);
    // The contact (restore, view, its tags) and ticket 1 (restore) only.
    CHECK(f.sim.requests() == requests + 4);
    CHECK(totals.contacts_restored == 1);
    CHECK(totals.tickets_restored == 1);
    CHECK(totals.tickets_not_restorable == 2);
    CHECK(totals.complete());
    const auto own = f.own();
    REQUIRE(own.size() == 3);
    CHECK(own[0].action == restore_contact_action);  // newest first
    check_record(own, alice, restore_tickets_action, Outcome::not_restorable, {20, 21},
                 "archived tickets are deleted permanently");
    check_record(own, alice, restore_tickets_action, Outcome::done, {1}, "");
    for (const JournalRecord& r : own) {
        CHECK_FALSE(r.permanent);
    }
    // Final: a second run lists nothing again and sends nothing.
    const std::int64_t after = f.sim.requests();
    const UndoTotals again = f.undo();
    CHECK(again.tickets_not_restorable == 0);
    CHECK(f.sim.requests() == after);
    CHECK(f.own().size() == 3);
}

TEST_CASE("undo-soft: tickets trashed more than 30 days ago are lost, without a call") {
    Fixture f;
    const UnixTime trashed = f.now();
    f.trash(bob, {3});
    f.trash(alice, {1});
    f.source.back().ts = gp::format_timestamp(trashed + 2 * day);  // 29 days before the undo
    f.sim.clock().advance(31 * day);  // the simulated account purges its trash
    REQUIRE(f.ticket_seen(3) == "gone");
    REQUIRE(f.ticket_seen(1) == "gone");

    const std::int64_t requests = f.sim.requests();
    const UndoTotals totals = f.undo();
    CHECK(totals.tickets_lost == 2);
    CHECK(totals.tickets_restored == 0);
    CHECK(totals.complete());
    // ticket 1 (29 days by its record) is asked for: restore 404, then the view: gone.
    CHECK(f.sim.requests() == requests + 2);
    const auto own = f.own();
    check_record(own, bob, restore_tickets_action, Outcome::lost, {3},
                 "trashed more than 30 days ago: purged from Freshdesk's trash");
    check_record(own, alice, restore_tickets_action, Outcome::lost, {1}, "no longer in the trash");
}

TEST_CASE("undo-soft: what an agent restored meanwhile is done without error") {
    Fixture f;
    f.trash(hana, {});
    f.trash(gus, {});  // ticket 8 was in the trash already: named twice, restored once
    f.source.back().ticket_ids = {8, 8};
    f.trash(alice, {1, 2});
    f.soft_delete(alice, {"VIP", "gdpr-purge-deleted"});
    // The agent restores the contact (its tag stays) and ticket 2.
    REQUIRE(f.send("PUT", "/contacts/" + std::to_string(alice) + "/restore") == 204);
    REQUIRE(f.send("PUT", "/tickets/2/restore") == 204);

    const UndoTotals totals = f.undo();
    CHECK(totals.complete());
    CHECK(totals.contacts_restored == 1);
    CHECK(totals.tickets_restored == 3);
    CHECK(f.tags(alice) == std::vector<std::string>{"VIP"});
    CHECK(f.ticket_seen(8) == "live");
    const auto own = f.own();
    check_record(own, alice, restore_contact_action, Outcome::done, {}, "already restored");
    check_record(own, alice, restore_tickets_action, Outcome::done, {1, 2}, "");
    check_record(own, gus, restore_tickets_action, Outcome::done, {8}, "");
    CHECK(own.size() == 3);  // hana's empty step restores nothing
}

TEST_CASE("undo-soft: only its own records of the same apply journal count") {
    Fixture f;
    f.trash(bob, {3});
    f.soft_delete(bob, {"gdpr-purge-deleted"});
    {
        Journal own(f.own_path);
        const auto append = [&](const std::string& sha, std::string_view action,
                                std::vector<Id> ids, Outcome outcome) {
            JournalRecord r;
            r.ts = "2026-01-15T12:00:00Z";
            r.run = "ffffffffffffffffffffffffffffffff";
            r.source = gp::executor::JournalSource::journal;
            r.source_sha256 = sha;
            r.contact_id = bob;
            r.action = std::string(action);
            r.ticket_ids = std::move(ids);
            r.outcome = outcome;
            own.append(r);
        };
        const std::string other(64, 'b');  // another apply journal's undo
        append(other, restore_contact_action, {}, Outcome::done);
        append(other, restore_tickets_action, {3}, Outcome::done);
        append(source_sha, restore_tickets_action, {3}, Outcome::failed);  // tried again
        append(source_sha, restore_contact_action, {}, Outcome::failed);
    }
    const UndoTotals totals = f.undo();
    CHECK(totals.steps_done_before == 0);
    CHECK(totals.contacts_restored == 1);
    CHECK(totals.tickets_restored == 1);
    CHECK(f.contact(bob).at("state") == "active");
    CHECK(f.ticket_seen(3) == "live");
    CHECK(f.own().size() == 6);
}

TEST_CASE("undo-soft: a failure is data, a refused key stops the run") {
    SECTION("a spam ticket cannot be restored: failed, and tried again by the next run") {
        Fixture f;
        f.trash(gus, {});
        f.source.back().ticket_ids = {9};
        const UndoTotals totals = f.undo();
        CHECK(totals.steps_failed == 1);
        CHECK_FALSE(totals.complete());
        check_record(f.own(), gus, restore_tickets_action, Outcome::failed, {9},
                     "restore refused: the ticket is spam");
        const std::int64_t requests = f.sim.requests();
        CHECK(f.undo().steps_failed == 1);
        CHECK(f.sim.requests() == requests + 2);
    }
    SECTION("401") {
        Fixture f("wrong-key");
        f.add(bob, "delete_contact").mode = gp::DeleteMode::soft;
        try {
            f.undo();
            FAIL("no exception");
        } catch (const fd::ApiError& e) {
            CHECK(e.status() == 401);
            CHECK(std::string(e.what()).find("wrong-key") == std::string::npos);
        }
        CHECK(f.own().empty());
    }
}

namespace {

// An apply journal as a run on several threads leaves it, the contacts' records interleaved: every
// kind of outcome undo-soft knows (restored, already live, hard-deleted, archived, failed, gone).
void interleaved_apply(Fixture& f) {
    f.trash(bob, {3, 4});
    f.trash(alice, {1, 2});
    JournalRecord& archived = f.add(alice, "delete_archived_tickets", 1);
    archived.ticket_ids = {20, 21};
    archived.permanent = true;
    f.trash(eve, {7});
    f.soft_delete(alice, {"VIP", "gdpr-purge-deleted", "newsletter"});
    f.trash(gus, {});
    f.source.back().ticket_ids = {9};  // spam: its restore fails
    f.add(eve, "delete_contact", 1).mode = gp::DeleteMode::hard;
    REQUIRE(f.send("DELETE", "/contacts/" + std::to_string(eve)) == 204);
    f.hard_delete(eve);
    f.soft_delete(bob, {"gdpr-purge-deleted"});
    f.soft_delete(hana, {"gdpr-purge-deleted"});
    f.hard_delete(hana);
    f.add(hana, "purge_soft_deleted", 0);
    f.trash(alice, {12});  // a later run of the same plan: alice's items are not contiguous
    // An agent restores ticket 2 meanwhile.
    REQUIRE(f.send("PUT", "/tickets/2/restore") == 204);
    f.sim.clock().advance(day);  // eve's tickets went with her
}

// A record without what differs from run to run (its time and the run's id).
JournalRecord timeless(JournalRecord r) {
    r.ts.clear();
    r.run.clear();
    return r;
}

std::vector<JournalRecord> timeless(const std::vector<JournalRecord>& records) {
    std::vector<JournalRecord> out;
    std::transform(records.begin(), records.end(), std::back_inserter(out),
                   [](const JournalRecord& r) { return timeless(r); });
    return out;
}

}  // namespace

TEST_CASE("undo-soft on 4 threads journals, counts and restores exactly as on 1") {
    Fixture one;
    Fixture four;
    interleaved_apply(one);
    interleaved_apply(four);
    REQUIRE(one.source == four.source);

    std::vector<JournalRecord> written_one;
    std::vector<JournalRecord> written_four;
    const std::int64_t before_one = one.sim.requests();
    const std::int64_t before_four = four.sim.requests();
    const UndoTotals a = one.undo(&written_one, 1);
    const UndoTotals b = four.undo(&written_four, 4);

    CHECK(a.contacts_restored == 2);        // alice, bob
    CHECK(a.tickets_restored == 5);         // 1, 2 (already live), 12, 3, 4
    CHECK(a.contacts_not_restorable == 2);  // eve, hana
    CHECK(a.tickets_not_restorable == 3);   // 20, 21 (archived), 7 (gone with eve)
    CHECK(a.steps_failed == 1);             // 9 (spam)
    CHECK(b.contacts_restored == a.contacts_restored);
    CHECK(b.tickets_restored == a.tickets_restored);
    CHECK(b.contacts_not_restorable == a.contacts_not_restorable);
    CHECK(b.tickets_not_restorable == a.tickets_not_restorable);
    CHECK(b.tickets_lost == a.tickets_lost);
    CHECK(b.steps_done_before == a.steps_done_before);
    CHECK(b.steps_failed == a.steps_failed);
    // The same requests: threads add none.
    CHECK(four.sim.requests() - before_four == one.sim.requests() - before_one);

    // The same records in the same order, in the journal and as on_record saw them.
    const std::vector<JournalRecord> own_one = one.own();
    const std::vector<JournalRecord> own_four = four.own();
    CHECK(own_one == written_one);
    CHECK(own_four == written_four);
    CHECK(timeless(own_four) == timeless(own_one));
    // Newest first, per contact: a contact's records together, its contact before its tickets.
    std::vector<Id> order;
    for (const JournalRecord& r : own_four) {
        if (order.empty() || order.back() != r.contact_id) {
            order.push_back(r.contact_id);
        }
    }
    CHECK(order == std::vector<Id>{alice, hana, bob, eve, gus});
    CHECK(own_four.front().action == restore_tickets_action);  // alice's ticket 12, trashed last

    // The account ends the same.
    for (const Id id : {alice, bob, eve, gus, hana}) {
        INFO("contact " << id);
        CHECK(one.contact(id).at("state") == four.contact(id).at("state"));
        CHECK(one.tags(id) == four.tags(id));
    }
    for (const Id id : {1, 2, 3, 4, 7, 9, 12}) {
        INFO("ticket " << id);
        CHECK(one.ticket_seen(id) == four.ticket_seen(id));
    }
    CHECK(four.tags(alice) == std::vector<std::string>{"VIP", "newsletter"});
    CHECK(four.ticket_seen(12) == "live");
}
