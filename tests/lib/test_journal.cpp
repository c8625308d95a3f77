// lib/executor/journal.cpp: the JSON Lines journal (docs/apply.md, "The journal"), and
// sha256_file_hex, which names the journal an undo run reads.
#include "executor/journal.hpp"
#include "util/sha256.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include "scratch_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace gp;
using namespace gp::executor;
namespace fs = std::filesystem;

namespace {

using TempDir = simtest::ScratchDir;

using simtest::slurp;

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

JournalRecord base(Outcome outcome = Outcome::done) {
    JournalRecord r;
    r.ts = "2026-11-29T04:10:00Z";
    r.run = "9c1e0000000000000000000000000001";
    r.account = "acme.freshdesk.com";
    r.source = gp::executor::JournalSource::plan;
    r.source_sha256 = std::string(64, 'a');
    r.contact_id = 43000000101;
    r.outcome = outcome;
    return r;
}

// One record per shape the journal knows: each action with its fields, each outcome.
std::vector<JournalRecord> every_kind() {
    std::vector<JournalRecord> out;
    JournalRecord tickets = base();
    tickets.step = 0;
    tickets.action = "delete_tickets";
    tickets.ticket_ids = {501, 502, 5000000000};
    tickets.job_id = "0123456789abcdef0123456789abcdef";
    tickets.outcome = Outcome::started;
    out.push_back(tickets);
    JournalRecord archived = base(Outcome::started);  // a step begun: no job_id
    archived.step = 1;
    archived.action = "delete_archived_tickets";
    archived.ticket_ids = {12, 14};
    archived.permanent = true;
    out.push_back(archived);
    archived.outcome = Outcome::done;
    out.push_back(archived);
    JournalRecord contact = base();
    contact.step = 1;
    contact.action = "delete_contact";
    contact.mode = DeleteMode::soft;
    out.push_back(contact);
    contact.mode = DeleteMode::hard;
    contact.outcome = Outcome::failed;
    contact.status = 405;
    contact.code = "invalid_value";
    contact.reason = "405 DELETE not allowed";
    out.push_back(contact);
    JournalRecord mark = base();
    mark.step = 0;
    mark.action = "mark_pending";
    mark.since = "2026-11-29";
    out.push_back(mark);
    JournalRecord skipped = base(Outcome::skipped);
    skipped.reason = "new ticket 9001 since plan";
    out.push_back(skipped);
    JournalRecord old = base();
    old.account.clear();  // lines of older versions have no account
    old.action = "purge_soft_deleted";
    old.step = 2;
    out.push_back(old);
    return out;
}

// undo-soft's records.
std::vector<JournalRecord> every_undo_kind() {
    std::vector<JournalRecord> out;
    JournalRecord restore = base(Outcome::not_restorable);
    restore.source = gp::executor::JournalSource::journal;
    restore.action = std::string(restore_contact_action);
    restore.reason = "hard-deleted";
    out.push_back(restore);
    JournalRecord restored = restore;
    restored.action = std::string(restore_tickets_action);
    restored.ticket_ids = {7};
    restored.outcome = Outcome::lost;
    out.push_back(restored);
    JournalRecord empty_tickets = restored;
    empty_tickets.ticket_ids.clear();
    empty_tickets.outcome = Outcome::done;
    out.push_back(empty_tickets);
    return out;
}

std::string message_of(const std::string& path) {
    try {
        read_journal(path);
    } catch (const JournalFormatError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("journal: outcomes have names both ways") {
    for (const Outcome o : {Outcome::done, Outcome::skipped, Outcome::failed, Outcome::started,
                            Outcome::not_restorable, Outcome::lost}) {
        CHECK(parse_outcome(to_string(o)) == o);
    }
    CHECK(to_string(Outcome::not_restorable) == "not_restorable");
    CHECK_FALSE(parse_outcome("Done"));
    CHECK_FALSE(parse_outcome(""));
}

TEST_CASE("journal: a line has its keys in the fixed order") {
    JournalRecord r = base();
    r.step = 0;
    r.action = "delete_tickets";
    r.ticket_ids = {501, 502, 503};
    r.job_id = "abc";
    r.reason = "r";
    r.status = 500;
    r.code = "c";
    r.outcome = Outcome::failed;
    CHECK(to_json_line(r) ==
          R"({"ts":"2026-11-29T04:10:00Z","run":"9c1e0000000000000000000000000001",)"
          R"("account":"acme.freshdesk.com","plan_sha256":")" +
              std::string(64, 'a') +
              R"(","contact_id":43000000101,"step":0,"action":"delete_tickets",)"
              R"("ticket_ids":[501,502,503],"job_id":"abc","outcome":"failed","reason":"r",)"
              R"("status":500,"code":"c"})");

    JournalRecord c = base();
    c.source = gp::executor::JournalSource::journal;
    c.source_sha256 = "b";
    c.action = "delete_contact";
    c.mode = DeleteMode::hard;
    c.since = "2026-01-01";
    CHECK(to_json_line(c) ==
          R"({"ts":"2026-11-29T04:10:00Z","run":"9c1e0000000000000000000000000001",)"
          R"("account":"acme.freshdesk.com","journal_sha256":"b",)"
          R"("contact_id":43000000101,"step":null,"action":"delete_contact",)"
          R"("mode":"hard","since":"2026-01-01","outcome":"done"})");

    JournalRecord empty = base();  // whole-entry outcome: no action, no ticket_ids
    CHECK(to_json_line(empty).find("action") == std::string::npos);
    CHECK(to_json_line(empty).find("ticket_ids") == std::string::npos);
    empty.action = "delete_tickets";  // a delete_tickets step always lists its tickets
    CHECK(to_json_line(empty).find(R"("ticket_ids":[])") != std::string::npos);
    CHECK(to_json_line(empty).find('\n') == std::string::npos);

    JournalRecord bad = base();
    bad.source = static_cast<JournalSource>(7);  // neither a plan nor a journal
    CHECK_THROWS_AS(to_json_line(bad), std::invalid_argument);
}

TEST_CASE("journal: every field and outcome comes back as written") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    std::vector<JournalRecord> records = every_kind();
    for (auto& r : every_undo_kind()) {
        records.push_back(std::move(r));
    }
    {
        Journal journal(path);
        CHECK(journal.existing().empty());
        for (const auto& r : records) {
            journal.append(r);
        }
    }
    const std::vector<JournalRecord> back = read_journal(path);
    REQUIRE(back.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        INFO("record " << i << ": " << to_json_line(records[i]));
        CHECK(back[i] == records[i]);
    }
    CHECK(Journal(path).existing() == records);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string text = slurp(path);
    CHECK(text.back() == '\n');
    CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(records.size()));
}

TEST_CASE("journal: a torn last line is dropped and cut off the file") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    const std::string first = to_json_line(base()) + "\n";
    JournalRecord second = base();
    second.contact_id = 2;
    // A last line without its newline is torn even when it parses as a whole record.
    for (const std::string& tail : {to_json_line(second), std::string(R"({"ts":"2026-11-)")}) {
        spit(path, first + tail);
        CHECK(read_journal(path) == std::vector<JournalRecord>{base()});
        {
            Journal journal(path);
            CHECK(journal.existing() == std::vector<JournalRecord>{base()});
            CHECK(slurp(path) == first);
            JournalRecord third = base();
            third.contact_id = 3;
            journal.append(third);
        }
        const auto back = read_journal(path);
        REQUIRE(back.size() == 2);
        CHECK(back[1].contact_id == 3);
        // Chained to the last complete line (the torn one is gone).
        CHECK(slurp(path) ==
              first + to_json_line(back[1], sha256_hex(to_json_line(base()))) + "\n");
    }
}

TEST_CASE("journal: a malformed line is an error naming the file and the line") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    const std::string good = to_json_line(base()) + "\n";
    spit(path, good + "\n" + good + "{not json\n" + good);
    CHECK(message_of(path).starts_with(path + ":4: "));

    // Wrong types and missing keys name the key, never the value found there.
    JournalRecord secret = base();
    const std::string line = to_json_line(secret);
    const std::map<std::string, std::string> cases = {
        {R"("contact_id":43000000101)", R"("contact_id":"jane@example.com")"},
        {R"("outcome":"done")", R"("outcome":"jane@example.com")"},
        {R"("ts":"2026-11-29T04:10:00Z")", R"("ts":"jane@example.com")"},
        {R"("run":"9c1e0000000000000000000000000001",)", ""},
        {R"("plan_sha256")", R"("nothing")"},
        {R"("account":"acme.freshdesk.com")",
         R"("account":"acme.freshdesk.com","journal_sha256":"x")"},
        {R"("step":null)", R"("step":"jane@example.com")"},
    };
    for (const auto& [from, to] : cases) {
        std::string broken = line;
        const auto at = broken.find(from);
        REQUIRE(at != std::string::npos);
        broken.replace(at, from.size(), to);
        spit(path, good + broken + "\n");
        const std::string message = message_of(path);
        INFO(broken << " -> " << message);
        CHECK(message.starts_with(path + ":2: "));
        CHECK(message.find("jane") == std::string::npos);
    }
    spit(path, good + "[1,2]\n");
    CHECK(message_of(path) == path + ":2: not a JSON object");
    // Journal() reads the same way: a malformed journal is not appended to.
    spit(path, "{}\n" + good);
    CHECK_THROWS_AS(Journal(path), JournalFormatError);
}

TEST_CASE("journal: a line with a duplicate key is refused, whichever value comes last") {
    // Read strictly like every other input: which of two "outcome"s would count is not a guess the
    // journal may make (a second "done" must not turn a failed step into a finished one).
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    const std::string good = to_json_line(base()) + "\n";
    std::string line = to_json_line(base());
    const std::string outcome = R"("outcome":"done")";
    const auto at = line.find(outcome);
    REQUIRE(at != std::string::npos);
    for (const std::string& twice : {std::string(R"("outcome":"failed","outcome":"done")"),
                                     std::string(R"("outcome":"done","outcome":"done")")}) {
        std::string broken = line;
        broken.replace(at, outcome.size(), twice);
        spit(path, good + broken + "\n");
        const std::string message = message_of(path);
        INFO(broken << " -> " << message);
        CHECK(message.starts_with(path + ":2: "));
        CHECK(message.find("duplicate key \"outcome\"") != std::string::npos);
    }
}

TEST_CASE("journal: an archived deletion says permanent, and only it may") {
    JournalRecord r = base();
    r.step = 1;
    r.action = "delete_archived_tickets";
    r.ticket_ids = {12, 14};
    r.permanent = true;
    const std::string line = to_json_line(r);
    CHECK(line.find(R"("action":"delete_archived_tickets","ticket_ids":[12,14],"permanent":true,)"
                    R"("outcome":"done")") != std::string::npos);
    r.ticket_ids.clear();  // its ticket_ids are always written
    CHECK(to_json_line(r).find(R"("ticket_ids":[],"permanent":true)") != std::string::npos);
    // Written only when true: older journals, and every other record, have no such key.
    CHECK(to_json_line(base()).find("permanent") == std::string::npos);

    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    const std::string good = to_json_line(base()) + "\n";
    spit(path, good + line + "\n");
    const auto back = read_journal(path);
    REQUIRE(back.size() == 2);
    CHECK_FALSE(back[0].permanent);
    CHECK(back[1].permanent);
    // Read strictly: a boolean, and true only on a delete_archived_tickets record.
    const std::vector<std::pair<std::string, std::string>> refused = {
        {R"("permanent":true)", R"("permanent":"yes")"},
        {R"("permanent":true)", R"("permanent":1)"},
        {R"("action":"delete_archived_tickets")", R"("action":"delete_tickets")"},
    };
    for (const auto& [from, to] : refused) {
        std::string broken = line;
        broken.replace(broken.find(from), from.size(), to);
        spit(path, good + broken + "\n");
        const std::string message = message_of(path);
        INFO(broken << " -> " << message);
        CHECK(message.starts_with(path + ":2: permanent: "));
    }
    std::string explicit_false = line;
    explicit_false.replace(explicit_false.find(R"("permanent":true)"), 16, R"("permanent":false)");
    spit(path, explicit_false + "\n");
    CHECK_FALSE(read_journal(path).at(0).permanent);
}

TEST_CASE("journal: an unknown outcome is rejected") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    std::string line = to_json_line(base());
    line.replace(line.find(R"("done")"), 6, R"("finished")");
    spit(path, line + "\n");
    CHECK(message_of(path) == path + ":1: outcome: unknown outcome");
}

TEST_CASE("journal: a missing file is empty only when allowed") {
    TempDir dir;
    const std::string path = dir.file("none.jsonl");
    CHECK(read_journal(path, MissingJournal::empty).empty());
    CHECK(message_of(path).starts_with(path + ": cannot read: "));
    spit(path, "\n\n");  // empty lines are no records
    CHECK(read_journal(path).empty());
    const std::string created = dir.file("new.jsonl");
    {
        Journal journal(created);
        CHECK(journal.existing().empty());
        CHECK(fs::exists(created));
    }
    CHECK(slurp(created).empty());
    CHECK_THROWS_AS(Journal(dir.file("no-such-dir/j.jsonl")), JournalWriteError);
}

TEST_CASE("journal: appends from several threads are whole lines, each thread's in order") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    constexpr int threads = 4;
    constexpr int per_thread = 50;
    {
        Journal journal(path);
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&journal, t] {
                for (int i = 0; i < per_thread; ++i) {
                    JournalRecord r = base();
                    r.contact_id = t + 1;
                    r.step = i;
                    r.action = "delete_tickets";
                    r.ticket_ids.assign(static_cast<std::size_t>(i % 7), 1000 + i);
                    journal.append(r);
                }
            });
        }
        for (auto& w : workers) {
            w.join();
        }
    }
    const auto back = read_journal(path);
    REQUIRE(back.size() == threads * per_thread);
    std::map<Id, int> next;
    for (const auto& r : back) {
        REQUIRE(r.step);
        CHECK(*r.step == next[r.contact_id]++);
        CHECK(r.ticket_ids.size() == static_cast<std::size_t>(*r.step % 7));
    }
    CHECK(next.size() == threads);
}

TEST_CASE("journal: run ids are 32 random lower-case hex digits") {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string id = new_run_id();
        CHECK(id.size() == 32);
        CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
        seen.insert(id);
    }
    CHECK(seen.size() == 100);
}

TEST_CASE("sha256_file_hex equals sha256_hex of the file's bytes") {
    TempDir dir;
    const std::string path = dir.file("data");
    std::string bytes;
    for (int i = 0; i < 200000; ++i) {  // more than three blocks, not a multiple of one
        bytes += static_cast<char>((i * 7919) % 251);
    }
    spit(path, bytes);
    CHECK(sha256_file_hex(path) == sha256_hex(bytes));
    spit(path, "");
    CHECK(sha256_file_hex(path) == sha256_hex(""));
    CHECK(sha256_file_hex(path) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_THROWS_WITH(sha256_file_hex(dir.file("missing")), Catch::Contains(dir.file("missing")));
}
