// The journal's chain and signature lines (lib/executor/journal.cpp) and gdpr-purge verify's checks
// (lib/executor/verify.cpp): every kind of tampering names the line where the chain breaks; old
// unchained journals read and are reported as such; signatures good, bad, of another key, missing
// at the end; a journal checked against its plan, another plan, a step or a ticket the plan lacks.
#include "executor/journal.hpp"
#include "executor/verify.hpp"
#include "text_lines.hpp"
#include "util/ed25519.hpp"
#include "util/sha256.hpp"

#include "scratch_dir.hpp"
#include "test_keys.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace gp;
using namespace gp::executor;
namespace fs = std::filesystem;

namespace {

using simtest::slurp;
using TempDir = simtest::ScratchDir;

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

const std::string kRun = "9c1e0000000000000000000000000001";
const std::string kRun2 = "9c1e0000000000000000000000000002";

// tests/data/plans/sample_v1.json (account example.freshdesk.com): 1001 delete_tickets
// [501,502,503] then delete_contact hard; 1002 delete_tickets [601]; 1003 delete_tickets [701]
// then mark_pending 2026-11-29; 1004 clear_pending; 1005 purge_soft_deleted; 1006 soft.
std::string copy_plan(const TempDir& dir) {
    const std::string path = dir.file("plan.json");
    fs::copy_file(std::string(GP_TEST_DATA_DIR) + "/plans/sample_v1.json", path);
    return path;
}

JournalRecord step(const std::string& sha, Id contact, int index, const std::string& action,
                   const std::string& run = kRun) {
    JournalRecord r;
    r.ts = "2026-11-29T04:10:00Z";
    r.run = run;
    r.account = "example.freshdesk.com";
    r.source = gp::executor::JournalSource::plan;
    r.source_sha256 = sha;
    r.contact_id = contact;
    r.step = index;
    r.action = action;
    return r;
}

// A run of the sample plan: 5 lines, the entries of 1001, 1002 and 1004, and a skip of 1003.
std::vector<JournalRecord> sample_run(const std::string& sha, const std::string& run = kRun) {
    std::vector<JournalRecord> out;
    JournalRecord tickets = step(sha, 1001, 0, "delete_tickets", run);
    tickets.ticket_ids = {501, 502, 503};
    out.push_back(tickets);
    JournalRecord contact = step(sha, 1001, 1, "delete_contact", run);
    contact.mode = DeleteMode::hard;
    out.push_back(contact);
    JournalRecord other = step(sha, 1002, 0, "delete_tickets", run);
    other.ticket_ids = {601};
    other.outcome = Outcome::failed;
    other.status = 500;
    other.reason = "500 server error";
    out.push_back(other);
    JournalRecord skipped = step(sha, 1003, 0, "", run);
    skipped.step.reset();
    skipped.outcome = Outcome::skipped;
    skipped.reason = "new ticket 9001 since the plan";
    out.push_back(skipped);
    out.push_back(step(sha, 1004, 0, "clear_pending", run));
    return out;
}

void append_all(const std::string& path, const std::vector<JournalRecord>& records,
                const Ed25519PrivateKey* key = nullptr) {
    Journal journal(path);
    for (const JournalRecord& r : records) {
        journal.append(r);
    }
    if (key != nullptr) {
        CHECK(journal.sign(*key));
    }
}

// The error verify_journal throws, or "" when it passes.
std::string failure(const std::string& path, const VerifyOptions& options = {},
                    std::size_t* line = nullptr) {
    try {
        verify_journal(path, options);
    } catch (const JournalVerifyError& e) {
        if (line != nullptr) {
            *line = e.line();
        }
        return e.what();
    }
    return "";
}

// Checks that verify fails at `line` with a message containing `needle`.
void check_fails_at(const std::string& path, std::size_t line, const std::string& needle,
                    const VerifyOptions& options = {}) {
    std::size_t at = 0;
    const std::string what = failure(path, options, &at);
    INFO("verify: " << what);
    CHECK(at == line);
    CHECK_THAT(what, Catch::StartsWith(path + ":" + std::to_string(line) + ": "));
    CHECK_THAT(what, Catch::Contains(needle));
}

struct Keys {
    TempDir dir;
    simtest::KeyFiles files = simtest::write_key_pair(dir.file("journal-key"));
    simtest::KeyFiles other = simtest::write_key_pair(dir.file("other-key"));
    Ed25519PrivateKey key = Ed25519PrivateKey::load(files.private_pem);
};

}  // namespace

TEST_CASE("journal chain: the first line carries its source hash, each next the previous line's",
          "[journal][chain]") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    const std::string sha(64, 'a');
    const auto records = sample_run(sha);
    append_all(path, {records[0], records[1]});
    std::vector<std::string> lines = testlines::lines_of(slurp(path));
    REQUIRE(lines.size() == 2);
    CHECK_THAT(lines[0], Catch::Contains(R"("plan_sha256":")" + sha + R"(","prev":")" + sha +
                                         R"(","contact_id":1001,)"));
    CHECK_THAT(lines[1], Catch::Contains(R"(","prev":")" + sha256_hex(lines[0]) + R"(",)"));
    // A run appending later (resume) chains to the file's last line; a torn last line is cut first.
    spit(path, slurp(path) + R"({"ts":"2026-11-29T04:1)");
    append_all(path, {records[2]});
    lines = testlines::lines_of(slurp(path));
    REQUIRE(lines.size() == 3);
    CHECK_THAT(lines[2], Catch::Contains(R"("prev":")" + sha256_hex(lines[1]) + R"(")"));
    // What read_journal gives back is the records, as before (the chain is verify's).
    CHECK(read_journal(path) == std::vector<JournalRecord>{records[0], records[1], records[2]});
    CHECK(verify_journal(path).chain() == ChainState::chained);
}

TEST_CASE("journal chain: prev must be 64 lower-case hex digits, once, a string", "[journal]") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    append_all(path, {sample_run(std::string(64, 'a'))[0]});
    const std::string line = testlines::lines_of(slurp(path))[0];
    const std::string prev = R"("prev":")" + std::string(64, 'a') + R"(")";
    REQUIRE(line.find(prev) != std::string::npos);
    const auto with = [&](const std::string& replacement) {
        std::string changed = line;
        changed.replace(changed.find(prev), prev.size(), replacement);
        return changed + "\n";
    };
    for (const auto& [replacement, message] : std::vector<std::pair<std::string, std::string>>{
             {R"("prev":"abc")", "prev: not a SHA-256"},
             {R"("prev":")" + std::string(64, 'A') + R"(")", "prev: not a SHA-256"},
             {R"("prev":7)", "prev: not a string"},
             {prev + "," + prev, "duplicate key"}}) {
        INFO(replacement);
        spit(path, with(replacement) + with(prev));
        try {
            read_journal(path);
            FAIL("read_journal accepted it");
        } catch (const JournalFormatError& e) {
            CHECK_THAT(e.what(), Catch::StartsWith(path + ":1: "));
            CHECK_THAT(e.what(), Catch::Contains(message));
        }
        check_fails_at(path, 1, message);
    }
}

TEST_CASE("verify: an intact journal, and each kind of tampering named at its line",
          "[journal][verify]") {
    TempDir dir;
    const std::string path = dir.file("j.jsonl");
    const std::string sha(64, 'b');
    auto records = sample_run(sha);
    for (const JournalRecord& r : sample_run(sha, kRun2)) {
        records.push_back(r);  // a second run's lines (a resume)
    }
    append_all(path, records);
    const std::string intact = slurp(path);
    const VerifyReport report = verify_journal(path);
    CHECK(report.lines == 10);
    CHECK(report.records == 10);
    CHECK(report.chained == 10);
    CHECK(report.first_chained == 1);
    CHECK(report.chain() == ChainState::chained);
    CHECK(report.runs == std::vector<std::string>{kRun, kRun2});
    CHECK(report.signatures.empty());
    CHECK_FALSE(report.ends_signed);
    const std::vector<std::string> lines = testlines::lines_of(intact);

    SECTION("one byte changed: the next line's link breaks") {
        std::vector<std::string> changed = lines;
        const auto at = changed[3].find("\"ts\":\"2026");
        REQUIRE(at != std::string::npos);
        changed[3][at + 9] = '7';  // 2026 -> 2027: still a journal line
        spit(path, testlines::joined(changed));
        check_fails_at(path, 5, "not the SHA-256 of line 4");
    }
    SECTION("one byte changed on the first line") {
        std::vector<std::string> changed = lines;
        const auto at = changed[0].find("\"prev\":\"") + 8;
        changed[0][at] = 'c';
        spit(path, testlines::joined(changed));
        check_fails_at(path, 1, "a first line is its own source hash");
    }
    SECTION("one line removed") {
        std::vector<std::string> changed = lines;
        changed.erase(changed.begin() + 6);
        spit(path, testlines::joined(changed));
        check_fails_at(path, 7, "not the SHA-256 of line 6");
    }
    SECTION("the first line removed") {
        std::vector<std::string> changed(lines.begin() + 1, lines.end());
        spit(path, testlines::joined(changed));
        check_fails_at(path, 1, "own source hash");
    }
    SECTION("two lines swapped") {
        std::vector<std::string> changed = lines;
        std::swap(changed[2], changed[3]);
        spit(path, testlines::joined(changed));
        check_fails_at(path, 3, "not the SHA-256 of line 2");
    }
    SECTION("a line added, with a right link of its own") {
        std::vector<std::string> changed = lines;
        std::string added = lines[5];
        added.replace(added.find("\"prev\":\"") + 8, 64, sha256_hex(lines[4]));
        added.replace(added.find("\"contact_id\":1001"), 17, "\"contact_id\":1006");
        changed.insert(changed.begin() + 5, added);
        spit(path, testlines::joined(changed));
        check_fails_at(path, 7, "not the SHA-256 of line 6");
    }
    SECTION("a line added without a link") {
        std::vector<std::string> changed = lines;
        changed.insert(changed.begin() + 2, to_json_line(sample_run(sha)[4]));
        spit(path, testlines::joined(changed));
        check_fails_at(path, 3, "no \"prev\" after chained lines (from line 1)");
    }
    SECTION("not a journal: not JSON, not a record, an empty line, a torn last line") {
        std::vector<std::string> changed = lines;
        changed[4] = "not json";
        spit(path, testlines::joined(changed));
        check_fails_at(path, 5, "not JSON");
        changed[4] = R"({"hello":"world"})";
        spit(path, testlines::joined(changed));
        check_fails_at(path, 5, "missing key \"ts\"");
        changed[4] = "";
        spit(path, testlines::joined(changed));
        check_fails_at(path, 5, "an empty line");
        spit(path, intact + lines[0].substr(0, 30));
        check_fails_at(path, 11, "cut short");
    }
    SECTION("nothing is written by verify") {
        CHECK(slurp(path) == intact);
        CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);
    }
}

TEST_CASE("verify: a journal written before the chain is unchained, a later run makes it mixed",
          "[journal][verify]") {
    TempDir dir;
    const std::string path = dir.file("old.jsonl");
    const std::string sha(64, 'c');
    std::string old;
    for (const JournalRecord& r : sample_run(sha)) {
        old += to_json_line(r) + "\n";  // as an older gdpr-purge wrote them: no prev
    }
    spit(path, old);
    CHECK(read_journal(path) == sample_run(sha));
    VerifyReport report = verify_journal(path);
    CHECK(report.chain() == ChainState::unchained);
    CHECK(report.unchained == 5);
    CHECK(report.chained == 0);

    append_all(path, sample_run(sha, kRun2));  // a resume by this version
    const std::vector<std::string> lines = testlines::lines_of(slurp(path));
    REQUIRE(lines.size() == 10);
    CHECK_THAT(lines[5], Catch::Contains(R"("prev":")" + sha256_hex(lines[4]) + R"(")"));
    CHECK(read_journal(path).size() == 10);
    report = verify_journal(path);
    CHECK(report.chain() == ChainState::mixed);
    CHECK(report.unchained == 5);
    CHECK(report.chained == 5);
    CHECK(report.first_chained == 6);

    // With a key, a mixed journal is refused: no signature covers its unchained lines.
    {
        Keys keys;
        const std::string signed_path = keys.dir.file("mixed.jsonl");
        spit(signed_path, old);
        append_all(signed_path, sample_run(sha, kRun2), &keys.key);
        CHECK(verify_journal(signed_path).chain() == ChainState::mixed);
        check_fails_at(signed_path, 1, "lines 1-5 are unchained",
                       VerifyOptions{"", keys.files.public_pem});
    }
    // A directory is no journal.
    CHECK_THAT(failure(dir.path.string()), Catch::Contains("not a regular file"));

    // An unchained line after the chain began is refused.
    spit(path, slurp(path) + lines[0] + "\n");
    check_fails_at(path, 11, "no \"prev\" after chained lines (from line 6)");
}

TEST_CASE("signature line: written once after the run's records, skipped by read_journal",
          "[journal][signature]") {
    Keys keys;
    const std::string path = keys.dir.file("j.jsonl");
    const std::string sha(64, 'd');
    {
        Journal empty(path);
        CHECK_FALSE(empty.sign(keys.key));  // this run wrote nothing: nothing to sign
    }
    CHECK(slurp(path).empty());
    const auto records = sample_run(sha);
    {
        Journal journal(path);
        for (const JournalRecord& r : records) {
            journal.append(r);
        }
        CHECK(journal.sign(keys.key));
        CHECK_FALSE(journal.sign(keys.key));  // signed already
        CHECK(journal.appended() == 6);
    }
    const std::vector<std::string> lines = testlines::lines_of(slurp(path));
    REQUIRE(lines.size() == 6);
    const std::string expected_start = R"({"ts":")";
    CHECK_THAT(lines[5], Catch::StartsWith(expected_start));
    CHECK_THAT(lines[5], Catch::Contains(R"(","run":")" + kRun +
                                         R"(","account":"example.freshdesk.com","plan_sha256":")" +
                                         sha + R"(","prev":")" + sha256_hex(lines[4]) +
                                         R"(","signature":{"alg":"ed25519","key_id":")" +
                                         keys.key.key_id() + R"(","sig":")"));
    CHECK(read_journal(path) == records);
    CHECK(Journal(path).existing() == records);
    // The key id is the SHA-256 of the raw public key: the same from both files.
    CHECK(Ed25519PublicKey::load(keys.files.public_pem).key_id() == keys.key.key_id());
    // A run appending after it chains to the signature line.
    append_all(path, {sample_run(sha, kRun2)[0]});
    const std::vector<std::string> more = testlines::lines_of(slurp(path));
    CHECK_THAT(more[6], Catch::Contains(R"("prev":")" + sha256_hex(more[5]) + R"(")"));
}

TEST_CASE("verify --public-key: signatures good, changed, of another key, and ends unsigned",
          "[journal][verify][signature]") {
    Keys keys;
    const std::string path = keys.dir.file("j.jsonl");
    const std::string sha(64, 'e');
    append_all(path, sample_run(sha), &keys.key);
    append_all(path, sample_run(sha, kRun2), &keys.key);
    const std::string intact = slurp(path);
    const std::vector<std::string> lines = testlines::lines_of(intact);
    REQUIRE(lines.size() == 12);
    const VerifyOptions with_key{"", keys.files.public_pem};

    const VerifyReport report = verify_journal(path, with_key);
    CHECK(report.records == 10);
    CHECK(report.signatures.size() == 2);
    CHECK(report.signatures[0].line == 6);
    CHECK(report.signatures[0].run == kRun);
    CHECK(report.signatures[1].line == 12);
    CHECK(report.signatures[1].checked);
    CHECK(report.ends_signed);
    CHECK(report.key_id == keys.key.key_id());
    CHECK(report.chain() == ChainState::chained);
    // Without the key: counted, not checked.
    const VerifyReport unchecked = verify_journal(path);
    CHECK(unchecked.signatures.size() == 2);
    CHECK_FALSE(unchecked.signatures[0].checked);

    SECTION("a signature changed") {
        std::vector<std::string> changed = lines;
        const auto at = changed[5].find("\"sig\":\"") + 7;
        changed[5][at] = changed[5][at] == '0' ? '1' : '0';
        spit(path, testlines::joined(changed));
        check_fails_at(path, 6, "the signature is not valid", with_key);
        // Without the key, only the chain is checked: line 7 links to the changed line.
        check_fails_at(path, 7, "not the SHA-256 of line 6");
    }
    SECTION("the last record changed and the whole chain recomputed: only the signature tells") {
        std::vector<std::string> changed = lines;
        changed[10].replace(changed[10].find("\"contact_id\":1004"), 17, "\"contact_id\":1005");
        changed[11].replace(changed[11].find("\"prev\":\"") + 8, 64, sha256_hex(changed[10]));
        spit(path, testlines::joined(changed));
        CHECK(failure(path).empty());  // the chain alone is consistent again
        check_fails_at(path, 12, "the signature is not valid", with_key);
    }
    SECTION("a line added after the signature: ends unsigned") {
        std::vector<std::string> changed = lines;
        std::string added = lines[10];
        added.replace(added.find("\"prev\":\"") + 8, 64, sha256_hex(lines[11]));
        changed.push_back(added);
        spit(path, testlines::joined(changed));
        CHECK(failure(path).empty());
        check_fails_at(path, 13, "ends unsigned", with_key);
    }
    SECTION("the signature line removed: ends unsigned") {
        spit(path, testlines::joined(std::vector<std::string>(lines.begin(), lines.end() - 1)));
        check_fails_at(path, 11, "ends unsigned", with_key);
    }
    SECTION("another key") {
        check_fails_at(path, 6, "signed with another key",
                       VerifyOptions{"", keys.other.public_pem});
    }
    SECTION("a run's signature line removed and every later link recomputed") {
        std::vector<std::string> changed = lines;
        changed.erase(changed.begin() + 5);
        for (std::size_t i = 5; i < changed.size(); ++i) {
            changed[i].replace(changed[i].find("\"prev\":\"") + 8, 64, sha256_hex(changed[i - 1]));
        }
        spit(path, testlines::joined(changed));
        CHECK(failure(path).empty());  // a consistent chain: only the last signature tells
        check_fails_at(path, 11, "the signature is not valid", with_key);
    }
    SECTION("the signature line's bytes changed, its fields not: refused") {
        std::vector<std::string> changed = lines;
        changed[11].replace(changed[11].find("\"signature\":{"), 13, "\"signature\": {");
        spit(path, testlines::joined(changed));
        check_fails_at(path, 12, "a signature line not as gdpr-purge writes it");
    }
    SECTION("the public key file is not a public key") {
        CHECK_THROWS_AS(verify_journal(path, VerifyOptions{"", keys.files.private_pem}),
                        SigningKeyError);
        CHECK_THROWS_AS(verify_journal(path, VerifyOptions{"", keys.dir.file("none.pub")}),
                        SigningKeyError);
    }
}

TEST_CASE("signing keys: a bad key file is refused without quoting it", "[signature]") {
    TempDir dir;
    const simtest::KeyFiles encrypted =
        simtest::write_key_pair(dir.file("encrypted"), "ED25519", "a passphrase");
    const simtest::KeyFiles ec = simtest::write_key_pair(dir.file("ec"), "EC");
    const std::string garbage = dir.file("garbage.pem");
    spit(garbage,
         "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWdhcmJhZ2UtYnl0ZXM=\n"
         "-----END PRIVATE KEY-----\n");
    for (const std::string& file :
         {encrypted.private_pem, ec.private_pem, ec.public_pem, garbage, dir.file("missing")}) {
        INFO(file);
        try {
            (void)Ed25519PrivateKey::load(file);
            FAIL("loaded");
        } catch (const SigningKeyError& e) {
            CHECK_THAT(e.what(), Catch::StartsWith(file + ": "));
            CHECK_THAT(e.what(), !Catch::Contains("c2VjcmV0"));
            CHECK_THAT(e.what(), !Catch::Contains("BEGIN"));
        }
    }
    CHECK_THROWS_AS(Ed25519PublicKey::load(ec.public_pem), SigningKeyError);
    // Sign and verify agree, and only on the message signed.
    const simtest::KeyFiles good = simtest::write_key_pair(dir.file("good"));
    const Ed25519PrivateKey key = Ed25519PrivateKey::load(good.private_pem);
    const Ed25519PublicKey pub = Ed25519PublicKey::load(good.public_pem);
    const std::string sig = key.sign_hex("message");
    CHECK(sig.size() == 128);
    CHECK(pub.verify_hex("message", sig));
    CHECK_FALSE(pub.verify_hex("messagf", sig));
    CHECK_FALSE(pub.verify_hex("message", sig.substr(0, 126)));
}

TEST_CASE("verify --plan: the journal of a plan, steps and tickets the plan lacks, another plan",
          "[journal][verify][plan]") {
    TempDir dir;
    const std::string plan = copy_plan(dir);
    const std::string sha = sha256_file_hex(plan);
    const std::string path = dir.file("plan.json.journal.jsonl");
    const VerifyOptions options{plan, ""};

    SECTION("lines of the plan, and lines of an earlier plan in the same file") {
        append_all(path, sample_run(std::string(64, '1')));  // yesterday's plan, same name
        append_all(path, sample_run(sha, kRun2));
        const VerifyReport report = verify_journal(path, options);
        CHECK(report.plan_sha256 == sha);
        CHECK(report.plan_lines == 5);
        CHECK(report.other_plan_lines == 5);
    }
    SECTION("a journal of another plan") {
        append_all(path, sample_run(std::string(64, '1')));
        check_fails_at(path, 1, "a journal of another plan", options);
        spit(path, "");
        CHECK_THAT(failure(path, options), Catch::Contains("a journal of another plan"));
    }
    SECTION("a contact the plan does not hold") {
        auto records = sample_run(sha);
        records[3].contact_id = 1999;  // the skipped entry
        append_all(path, records);
        check_fails_at(path, 4, "contact 1999 is not in the plan", options);
    }
    SECTION("a step index past the entry's steps") {
        auto records = sample_run(sha);
        records[4].step = 1;  // 1004 has one step
        append_all(path, records);
        check_fails_at(path, 5, "step 1 is not in the plan", options);
    }
    SECTION("another action") {
        auto records = sample_run(sha);
        records[4].action = "purge_soft_deleted";
        append_all(path, records);
        check_fails_at(path, 5, "is clear_pending in the plan, not purge_soft_deleted", options);
    }
    SECTION("a ticket not in the step") {
        auto records = sample_run(sha);
        records[0].ticket_ids = {501, 502, 504};
        append_all(path, records);
        check_fails_at(path, 1, "ticket 504 is not in step 0 of contact 1001", options);
    }
    SECTION("another mode") {
        auto records = sample_run(sha);
        records[1].mode = DeleteMode::soft;
        append_all(path, records);
        check_fails_at(path, 2, "mode: not the mode of step 1 of contact 1001", options);
    }
    SECTION("another account") {
        auto records = sample_run(sha);
        records[2].account = "other.freshdesk.com";
        append_all(path, records);
        check_fails_at(path, 3, "account other.freshdesk.com is not the plan's", options);
    }
    SECTION("an undo-soft journal has no plan") {
        auto records = sample_run(std::string(64, '2'));
        for (JournalRecord& r : records) {
            r.source = gp::executor::JournalSource::journal;
            r.action = r.step ? "restore_tickets" : "";
        }
        append_all(path, records);
        CHECK(verify_journal(path).chain() == ChainState::chained);
        check_fails_at(path, 1, "an undo-soft journal", options);
    }
}
