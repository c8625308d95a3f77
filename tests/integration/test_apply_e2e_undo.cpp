// `gdpr-purge undo-soft` end to end (docs/cli.md, docs/apply.md, docs/rules-semantics.md, settled
// 16): after a soft apply, undo-soft restores every soft-deleted contact (its gdpr-purge-deleted
// tag removed, every other tag as it was) and every trashed ticket, newest first, journals to
// J.undo.jsonl, and a second undo-soft changes nothing; hard deletions are reported as not
// restorable.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

const std::set<std::string> kTicketWrite = {"updated_at", "deleted_at", "removal_at"};
const std::set<std::string> kContactWrite = {"updated_at", "deleted_at"};

// Contacts of the plan that end hard-deleted (delete_contact hard, purge): nothing to restore.
std::set<std::int64_t> hard_contacts(const json::object& plan) {
    std::set<std::int64_t> ids = e2e::contacts_with(plan, "delete_contact", "hard");
    for (std::int64_t id : e2e::contacts_with(plan, "purge_soft_deleted")) {
        ids.insert(id);
    }
    return ids;
}

std::vector<std::int64_t> trashed_tickets(const json::object& entry) {
    std::vector<std::int64_t> ids;
    for (const json::value& s : e2e::member_array(entry, "steps")) {
        if (const json::value* t = s.as_object().if_contains("ticket_ids")) {
            for (const json::value& id : t->as_array()) {
                ids.push_back(e2e::integer(id));
            }
        }
    }
    return ids;
}

// What undo-soft restores of a plan applied in full: per entry not hard-deleted, the tickets the
// plan trashed, and the contact when it was deleted soft.
struct Restorable {
    std::int64_t contact_id = 0;
    std::vector<std::int64_t> tickets;
    bool soft_deleted = false;
};

std::vector<Restorable> restorable(const json::object& plan) {
    const std::set<std::int64_t> hard = hard_contacts(plan);
    const std::set<std::int64_t> soft = e2e::contacts_with(plan, "delete_contact", "soft");
    std::vector<Restorable> result;
    for (const json::value& v : e2e::member_array(plan, "entries")) {
        const std::int64_t id = e2e::integer(v.at("contact_id"));
        if (hard.count(id) == 0) {
            result.push_back({id, trashed_tickets(v.as_object()), soft.count(id) != 0});
        }
    }
    return result;
}

// The state after apply and undo-soft: what apply left, except that the soft-deleted contacts are
// back as before apply without their pending tag (rules-semantics.md, settled 16: soft deletion
// replaced it), and the tickets trashed by apply are back as before; hard deletions stay.
e2e::Expected expected_after_undo(const e2e::State& before, const json::object& plan) {
    e2e::Expected e = e2e::expected_after(before, plan);
    for (const Restorable& r : restorable(plan)) {
        for (std::int64_t t : r.tickets) {
            e.state.tickets[t] = before.tickets.at(t);
            e.ticket_ignore[t] = kTicketWrite;
        }
        if (r.soft_deleted) {
            json::object contact = before.contacts.at(r.contact_id);
            e2e::set_tags(contact, e2e::without_pending(e2e::tags_in(contact)));
            e.state.contacts[r.contact_id] = contact;
            e.contact_ignore[r.contact_id] = kContactWrite;
        }
    }
    e.state.counts = e2e::expected_counts(e.state);
    return e;
}

// PUT restore per soft-deleted contact plus the PUT that removes its tag; PUT restore per trashed
// ticket of a contact that was not hard-deleted.
Lines expected_undo_mutations(const json::object& plan) {
    Lines result;
    for (const Restorable& r : restorable(plan)) {
        for (std::int64_t t : r.tickets) {
            result.push_back("PUT /api/v2/tickets/" + std::to_string(t) + "/restore");
        }
        if (r.soft_deleted) {
            const std::string contact = "PUT /api/v2/contacts/" + std::to_string(r.contact_id);
            result.push_back(contact + "/restore");
            result.push_back(contact);
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

// Newest first: a contact is restored before the tickets that were trashed before it was deleted.
Lines order_problems(const std::vector<e2e::LogEntry>& log, const json::object& plan) {
    Lines problems;
    for (std::int64_t id : e2e::contacts_with(plan, "delete_contact", "soft")) {
        const std::string restore = "PUT /api/v2/contacts/" + std::to_string(id) + "/restore";
        std::set<std::string> tickets;
        for (const json::value& v : e2e::member_array(plan, "entries")) {
            if (e2e::integer(v.at("contact_id")) == id) {
                for (std::int64_t t : trashed_tickets(v.as_object())) {
                    tickets.insert("PUT /api/v2/tickets/" + std::to_string(t) + "/restore");
                }
            }
        }
        bool contact_restored = false;
        for (const e2e::LogEntry& l : log) {
            contact_restored = contact_restored || l.text() == restore;
            if (tickets.count(l.text()) != 0 && !contact_restored) {
                problems.push_back(l.text() + " before " + restore);
            }
        }
    }
    return problems;
}

// The undo journal: one restore_contact line done per soft-deleted contact, restore_tickets lines
// done that name every ticket to restore; every hard-deleted contact reported (a line of the
// undo journal or of stderr names it and says it cannot be restored).
Lines undo_journal_problems(const std::string& undo_path, const std::string& err,
                            const json::object& plan) {
    Lines problems;
    std::map<std::int64_t, int> contacts_done;
    std::set<std::int64_t> tickets_done;
    for (const json::object& l : e2e::journal(undo_path)) {
        const std::string action = l.contains("action") ? e2e::member_string(l, "action") : "";
        const std::string outcome = l.contains("outcome") ? e2e::member_string(l, "outcome") : "";
        if (outcome != "done") {
            continue;
        }
        if (action == "restore_contact") {
            ++contacts_done[e2e::integer(l.at("contact_id"))];
        } else if (action == "restore_tickets") {
            for (const json::value& t : e2e::member_array(l, "ticket_ids")) {
                tickets_done.insert(e2e::integer(t));
            }
        }
    }
    const std::set<std::int64_t> hard = hard_contacts(plan);
    for (std::int64_t id : e2e::contacts_with(plan, "delete_contact", "soft")) {
        if (contacts_done[id] != 1) {
            problems.push_back("restore_contact " + std::to_string(id) + " done " +
                               std::to_string(contacts_done[id]) + " times");
        }
    }
    for (const json::value& v : e2e::member_array(plan, "entries")) {
        const std::int64_t id = e2e::integer(v.at("contact_id"));
        for (std::int64_t t : trashed_tickets(v.as_object())) {
            if (hard.count(id) == 0 && tickets_done.count(t) == 0) {
                problems.push_back("ticket " + std::to_string(t) + ": no restore_tickets done");
            }
        }
    }
    Lines reports = e2e::lines(err);
    for (const std::string& l : e2e::lines(e2e::read_file(undo_path))) {
        reports.push_back(l);
    }
    for (std::int64_t id : hard) {
        const bool reported =
            std::any_of(reports.begin(), reports.end(), [&](const std::string& l) {
                return e2e::contains(l, std::to_string(id)) &&
                       e2e::contains(e2e::lower(l), "restor");
            });
        if (!reported) {
            problems.push_back("hard deletion of " + std::to_string(id) + " not reported");
        }
    }
    return problems;
}

// Apply (checked by plan_and_apply), undo-soft, undo-soft again.
void apply_then_undo(const std::string& account, const std::string& rules) {
    simtest::SimProcess sim(e2e::sim_account(account));
    const int port = sim.port();
    const simtest::TempDir dir;
    const e2e::Ids ids = e2e::account_ids(account);
    const e2e::Applied a = e2e::plan_and_apply(sim, dir, ids, rules);
    const std::string journal = a.plan_path + ".journal.jsonl";
    const std::string undo_journal = journal + ".undo.jsonl";  // cli.md: J.undo.jsonl

    std::int64_t start = e2e::log_next(port);
    const std::int64_t requests = e2e::api_requests(port);
    const e2e::Run undo =
        e2e::run_undo(sim.base_url(), journal, {"--report", dir.file("undo-report.json")});
    INFO("undo-soft stderr: " << undo.err);
    CHECK(undo.status == 0);
    CHECK(undo.out.empty());
    const json::object report = e2e::parse_object(e2e::read_file(dir.file("undo-report.json")));
    INFO("report: " << json::serialize(report));
    CHECK(e2e::member_string(report, "command") == "undo-soft");
    CHECK(e2e::integer(report.at("exit_code")) == 0);
    CHECK(e2e::integer(e2e::member_object(report, "api").at("calls")) ==
          e2e::api_requests(port) - requests);
    REQUIRE(e2e::file_exists(undo_journal));
    CHECK(undo_journal_problems(undo_journal, undo.err, a.plan) == Lines{});
    const std::vector<e2e::LogEntry> log = e2e::sim_log(port, start);
    CHECK(e2e::mutations(log) == expected_undo_mutations(a.plan));
    CHECK(order_problems(log, a.plan) == Lines{});
    const e2e::State restored = e2e::sim_state(port, ids);
    CHECK(e2e::differences(expected_after_undo(a.before, a.plan), restored) == Lines{});

    start = e2e::log_next(port);
    const e2e::Run again = e2e::run_undo(sim.base_url(), journal);
    INFO("second undo-soft stderr: " << again.err);
    CHECK(again.status == 0);
    CHECK(again.err.empty());  // not a terminal, no -v: nothing on success (cron mails failures)
    const e2e::Run verbose = e2e::run_undo(sim.base_url(), journal, {"-v"});
    INFO("third undo-soft, -v, stderr: " << verbose.err);
    CHECK(verbose.status == 0);
    CHECK(e2e::lines(verbose.err).size() == 1);  // the summary as one line, with the counts
    CHECK(e2e::contains(verbose.err, "gdpr-purge undo-soft: " + sim.base_url() + ": restored "));
    CHECK(e2e::contains(verbose.err, " steps failed, in "));
    CHECK(e2e::mutations(e2e::sim_log(port, start)) == Lines{});
    e2e::Expected unchanged;
    unchanged.state = restored;
    unchanged.state.counts = e2e::expected_counts(restored);
    CHECK(e2e::differences(unchanged, e2e::sim_state(port, ids)) == Lines{});
}

}  // namespace

TEST_CASE("undo-soft after a soft, immediate apply of use case 2 - everything back",
          "[e2e][undo]") {
    apply_then_undo(e2e::account_file(2), e2e::soft_rules_file());
}

TEST_CASE("undo-soft after bulk deletions and a purge - the purge is not restorable",
          "[e2e][undo][bulk]") {
    apply_then_undo(e2e::bulk_account_file(), e2e::soft_rules_file());
}

TEST_CASE("undo-soft after hard deletions - reported, nothing sent, exit 0", "[e2e][undo]") {
    // Use case 3: Sara keeps her contact, so her trashed ticket comes back; the hard-deleted
    // contacts and their tickets do not.
    apply_then_undo(e2e::account_file(3), e2e::rules_file(3));
}

// docs/rules-semantics.md, settled 16, and settled 5 below.
TEST_CASE("undo-soft spot checks - tags exactly as settled question 16 says", "[e2e][undo]") {
    const std::string account = e2e::account_file(2);
    simtest::SimProcess sim(e2e::sim_account(account));
    const simtest::TempDir dir;
    const e2e::Ids ids = e2e::account_ids(account);
    const e2e::Applied a = e2e::plan_and_apply(sim, dir, ids, e2e::soft_rules_file());
    // Soft, immediate: Carl and Tracy lose their tickets and are deleted, Paula and Nick were
    // waiting and are due at once (rules-semantics.md, settled 5), Ray's wait is cancelled.
    REQUIRE(e2e::contacts_with(a.plan, "delete_contact", "soft") ==
            std::set<std::int64_t>{43000000201, 43000000207, 43000000208, 43000000210});
    CHECK(e2e::tags_of(a.after, 43000000207) == Lines{"gdpr-purge-deleted", "newsletter"});
    CHECK(e2e::tags_of(a.after, 43000000208) == Lines{"gdpr-purge-deleted"});

    const e2e::Run undo = e2e::run_undo(sim.base_url(), a.plan_path + ".journal.jsonl");
    INFO("undo-soft stderr: " << undo.err);
    REQUIRE(undo.status == 0);
    const e2e::State s = e2e::sim_state(sim.port(), ids);
    for (std::int64_t id : {43000000201, 43000000207, 43000000208, 43000000210}) {
        INFO("contact " << id);
        CHECK(e2e::state_of(s, id) == "active");
    }
    CHECK(e2e::tags_of(s, 43000000201) == Lines{});
    CHECK(e2e::tags_of(s, 43000000207) == Lines{"newsletter"});
    CHECK(e2e::tags_of(s, 43000000208) == Lines{});
    CHECK(e2e::tags_of(s, 43000000209) == Lines{"newsletter"});  // a cleared mark stays cleared
    for (std::int64_t t : {1, 2, 12}) {
        INFO("ticket " << t);
        CHECK(e2e::seen_of(s, t) == "live");
    }
    CHECK(e2e::seen_of(s, 13) == "trash");  // Tracy's: trashed before, not by this tool
}

TEST_CASE("undo-soft --concurrency 3 keeps 3 requests in flight on a slow account", "[e2e][undo]") {
    // Each answer takes a second: the requests of one thread reach the simulator at least a second
    // apart, so never two in the same second of its clock (which runs at real speed). Its log says
    // in which second each request came: N in one second were in flight together. 3, not the
    // default 4: the option is what sets it.
    const std::string account = e2e::account_file(2);
    simtest::SimProcess sim(e2e::sim_account(account));
    const int port = sim.port();
    const simtest::TempDir dir;
    const e2e::Ids ids = e2e::account_ids(account);
    const e2e::Applied a = e2e::plan_and_apply(sim, dir, ids, e2e::soft_rules_file());
    e2e::sim_set_faults(port, R"({"latency_ms":1000})");
    const std::int64_t start = e2e::log_next(port);

    const e2e::Run undo =
        e2e::run_undo(sim.base_url(), a.plan_path + ".journal.jsonl", {"--concurrency", "3"});
    INFO("undo-soft stderr: " << undo.err);
    REQUIRE(undo.status == 0);
    std::map<std::string, int> per_second;
    std::size_t requests = 0;
    simtest::Client control(port);
    const simtest::Reply r = control.get("/_sim/log?since=" + std::to_string(start));
    REQUIRE(r.status == 200);
    const json::object log = e2e::parse_object(r.body);
    for (const json::value& v : e2e::member_array(log, "entries")) {
        ++per_second[e2e::member_string(v.as_object(), "time")];
        ++requests;
    }
    int most = 0;
    for (const auto& [second, n] : per_second) {
        most = std::max(most, n);
    }
    INFO(requests << " requests, at most " << most << " in one second");
    REQUIRE(requests >= 8);
    CHECK(most == 3);
}
