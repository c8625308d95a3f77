// lib/archive/index.cpp: the archive index (docs/reading.md, "Archived tickets"): its lines, their
// replay, the torn last line, setting a bad file aside, the lock, modes and fsync.
#include "archive/index.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include "scratch_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace gp;
using namespace gp::archive;
namespace fs = std::filesystem;

namespace {

constexpr const char* account = "acme.freshdesk.com";
constexpr const char* header =
    R"({"format":"gdpr-purge-archive-index","version":1,"account":"acme.freshdesk.com"})"
    "\n";

// A scratch directory holding the index of `account`.
struct TempDir : simtest::ScratchDir {
    std::string dir() const { return path.string(); }
    std::string index_file() const { return index_path(dir(), account); }
};

using simtest::slurp;

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

TicketRecord archived_ticket(Id id, Id requester) {
    TicketRecord t;
    t.id = id;
    t.requester_id = requester;
    t.group_id = 5;
    t.type = "Question";
    t.tags = {"a", "b c"};
    t.status = status_closed;
    t.archived = true;
    t.created_at = *parse_timestamp("2026-01-01T00:00:00Z");
    t.updated_at = *parse_timestamp("2026-02-01T00:00:00Z");
    return t;
}

void require_same(const TicketRecord& a, const TicketRecord& b) {
    CHECK(a.id == b.id);
    CHECK(a.requester_id == b.requester_id);
    CHECK(a.responder_id == b.responder_id);
    CHECK(a.group_id == b.group_id);
    CHECK(a.type == b.type);
    CHECK(a.tags == b.tags);
    CHECK(a.status == b.status);
    CHECK(a.archived == b.archived);
    CHECK(a.spam == b.spam);
    CHECK(a.deleted == b.deleted);
    CHECK(a.created_at == b.created_at);
    CHECK(a.updated_at == b.updated_at);
    CHECK(a.closed_at == b.closed_at);
}

std::unique_ptr<Index> open_index(const TempDir& dir, std::vector<std::string>& warnings) {
    return Index::open(dir.dir(), account, warnings);
}

std::unique_ptr<Index> open_quiet(const TempDir& dir) {
    std::vector<std::string> warnings;
    auto index = open_index(dir, warnings);
    CHECK(warnings.empty());
    return index;
}

// The files named <index file>.set-aside-yyyymmddThhmmssZ in the directory. (No std::regex: GCC 12
// warns inside it under the sanitizers.)
bool is_set_aside_name(const std::string& name) {
    const std::string prefix = "acme.freshdesk.com.archive.jsonl.set-aside-";
    if (name.rfind(prefix, 0) != 0 || name.size() != prefix.size() + 16) {
        return false;
    }
    const std::string stamp = name.substr(prefix.size());  // yyyymmddThhmmssZ
    for (std::size_t i = 0; i < stamp.size(); ++i) {
        const bool ok = i == 8    ? stamp[i] == 'T'
                        : i == 15 ? stamp[i] == 'Z'
                                  : stamp[i] >= '0' && stamp[i] <= '9';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> set_aside_files(const TempDir& dir) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir.path)) {
        if (is_set_aside_name(entry.path().filename().string())) {
            out.push_back(entry.path().string());
        }
    }
    return out;
}

// Sets the variable for the test's lifetime, then puts back what was there.
struct EnvVar {
    std::string name;
    std::optional<std::string> old;
    EnvVar(std::string n, const char* value) : name(std::move(n)) {
        if (const char* v = std::getenv(name.c_str())) {
            old = v;
        }
        if (value != nullptr) {
            ::setenv(name.c_str(), value, 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
    ~EnvVar() {
        if (old) {
            ::setenv(name.c_str(), old->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
};

}  // namespace

TEST_CASE("archive index: a new index is a header line, written 0600 in a 0700 directory") {
    TempDir tmp;
    const std::string state = (tmp.path / "state" / "gdpr-purge").string();
    std::vector<std::string> warnings;
    const auto index = Index::open(state, account, warnings);
    CHECK(warnings.empty());
    CHECK_FALSE(index->read_only());
    CHECK(index->path() == state + "/acme.freshdesk.com.archive.jsonl");
    CHECK(slurp(index->path()) == header);

    struct stat st {};
    REQUIRE(::stat(index->path().c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    REQUIRE(::stat(state.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
    REQUIRE(::stat((tmp.path / "state").c_str(), &st) == 0);  // a parent made here too
    CHECK((st.st_mode & 07777) == 0700);
}

TEST_CASE("archive index: the lines are exactly the documented ones") {
    TempDir tmp;
    {
        const auto index = open_quiet(tmp);
        TicketRecord t = archived_ticket(12, 1);
        t.tags = {"a"};
        index->add_archived(t);
        TicketRecord bare = archived_ticket(15, 0);
        bare.group_id = no_id;
        bare.type.reset();
        bare.tags.clear();
        index->add_archived(bare);
        index->add_gone(13);
        index->add_gone(14);
        index->drop(14);
    }
    CHECK(slurp(tmp.index_file()) ==
          std::string(header) +
              R"({"id":12,"archived":{"requester_id":1,"responder_id":null,"group_id":5,)"
              R"("type":"Question","tags":["a"],"status":5,"created_at":"2026-01-01T00:00:00Z",)"
              R"("updated_at":"2026-02-01T00:00:00Z"}})"
              "\n"
              R"({"id":15,"archived":{"requester_id":null,"responder_id":null,"group_id":null,)"
              R"("type":null,"tags":[],"status":5,"created_at":"2026-01-01T00:00:00Z",)"
              R"("updated_at":"2026-02-01T00:00:00Z"}})"
              "\n"
              R"({"id":13,"gone":true})"
              "\n"
              R"({"id":14,"gone":true})"
              "\n"
              R"({"id":14,"drop":true})"
              "\n");
}

TEST_CASE("archive index: every record kind survives a reopen") {
    TempDir tmp;
    TicketRecord full = archived_ticket(12, 7);
    full.responder_id = 99;
    TicketRecord bare = archived_ticket(20, 7);
    bare.group_id = no_id;
    bare.type.reset();
    bare.tags.clear();
    bare.status = 6;
    {
        const auto index = open_quiet(tmp);
        index->add_archived(full);
        index->add_archived(bare);
        index->add_gone(13);
        index->add_gone(30);
        index->drop(30);   // known, then dropped
        index->drop(500);  // unknown: nothing written
        CHECK(index->highest_id() == 30);
    }
    const auto index = open_quiet(tmp);
    CHECK(index->archived_count() == 2);
    CHECK(index->gone_count() == 1);
    REQUIRE(index->archived(12) != nullptr);
    require_same(*index->archived(12), full);
    REQUIRE(index->archived(20) != nullptr);
    require_same(*index->archived(20), bare);
    CHECK(index->knows(12));
    CHECK_FALSE(index->gone(12));
    CHECK(index->gone(13));
    CHECK(index->knows(13));
    CHECK(index->archived(13) == nullptr);
    CHECK_FALSE(index->knows(30));
    CHECK_FALSE(index->knows(500));
    CHECK(index->highest_id() == 30);
    CHECK(slurp(index->path()).find("\"id\":500") == std::string::npos);
}

TEST_CASE("archive index: later lines win") {
    TempDir tmp;
    SECTION("archived, then gone; gone, then drop (written by the index)") {
        {
            const auto index = open_quiet(tmp);
            index->add_archived(archived_ticket(12, 1));
            index->add_gone(12);
            CHECK(index->archived(12) == nullptr);
            CHECK(index->archived_of(1).empty());
            index->add_gone(13);
            index->drop(13);
            index->add_gone(14);
            index->add_archived(archived_ticket(14, 2));  // gone, then archived
        }
        const auto index = open_quiet(tmp);
        CHECK(index->gone(12));
        CHECK(index->archived(12) == nullptr);
        CHECK(index->archived_of(1).empty());
        CHECK_FALSE(index->knows(13));
        CHECK_FALSE(index->gone(14));
        REQUIRE(index->archived(14) != nullptr);
        CHECK(index->archived_of(2).size() == 1);
        CHECK(index->archived_count() == 1);
        CHECK(index->gone_count() == 1);
    }
    SECTION("a file written by hand is replayed in order") {
        spit(tmp.index_file(),
             std::string(header) +
                 R"({"id":12,"archived":{"requester_id":1,"responder_id":null,"group_id":null,)"
                 R"("type":null,"tags":[],"status":5,"created_at":"2026-01-01T00:00:00Z",)"
                 R"("updated_at":"2026-02-01T00:00:00Z"}})"
                 "\n"
                 R"({"id":12,"gone":true})"
                 "\n"
                 R"({"id":13,"gone":true})"
                 "\n"
                 R"({"id":13,"drop":true})"
                 "\n"
                 R"({"id":15,"archived":{"requester_id":1,"responder_id":null,"group_id":null,)"
                 R"("type":null,"tags":[],"status":5,"created_at":"2026-01-01T00:00:00Z",)"
                 R"("updated_at":"2026-02-01T00:00:00Z"}})"
                 "\n"
                 R"({"id":15,"archived":{"requester_id":2,"responder_id":null,"group_id":null,)"
                 R"("type":"Incident","tags":[],"status":5,"created_at":"2026-01-01T00:00:00Z",)"
                 R"("updated_at":"2026-03-01T00:00:00Z"}})"
                 "\n");
        const auto index = open_quiet(tmp);
        CHECK(index->gone(12));
        CHECK(index->archived(12) == nullptr);
        CHECK_FALSE(index->knows(13));
        REQUIRE(index->archived(15) != nullptr);
        CHECK(index->archived(15)->requester_id == 2);
        CHECK(index->archived(15)->type == "Incident");
        CHECK(index->archived_of(1).empty());
        CHECK(index->archived_of(2).size() == 1);
        CHECK(index->archived_count() == 1);
        CHECK(index->gone_count() == 1);
    }
}

TEST_CASE("archive index: a torn last line is dropped and cut off the file") {
    TempDir tmp;
    const std::string good = std::string(header) + R"({"id":13,"gone":true})" + "\n";
    spit(tmp.index_file(), good + R"({"id":14,"go)");
    {
        std::vector<std::string> warnings;
        const auto index = open_index(tmp, warnings);
        CHECK(warnings.empty());
        CHECK(index->gone(13));
        CHECK_FALSE(index->knows(14));
        CHECK(slurp(tmp.index_file()) == good);  // cut at once, before any append
        index->add_gone(15);
    }
    CHECK(slurp(tmp.index_file()) == good + R"({"id":15,"gone":true})" + "\n");
    CHECK(set_aside_files(tmp).empty());
    const auto index = open_quiet(tmp);
    CHECK(index->gone(15));
    CHECK(index->gone_count() == 2);
}

TEST_CASE("archive index: a torn header is a new index") {
    TempDir tmp;
    spit(tmp.index_file(), R"({"format":"gdpr-purge-arch)");
    const auto index = open_quiet(tmp);
    CHECK(slurp(tmp.index_file()) == header);
    CHECK(set_aside_files(tmp).empty());
}

TEST_CASE("archive index: a bad line in the middle sets the file aside") {
    TempDir tmp;
    const std::string old = std::string(header) + R"({"id":13,"gone":true})" + "\n" +
                            R"({"id":14,"gone":false})" + "\n" + R"({"id":15,"gone":true})" + "\n";
    spit(tmp.index_file(), old);
    std::vector<std::string> warnings;
    const auto index = open_index(tmp, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find(tmp.index_file()) != std::string::npos);
    CHECK(warnings[0].find("line 3") != std::string::npos);
    CHECK(warnings[0].find("set aside") != std::string::npos);
    CHECK(index->gone_count() == 0);  // a new index: nothing of the old one
    CHECK(index->archived_count() == 0);
    CHECK_FALSE(index->knows(13));
    CHECK(slurp(tmp.index_file()) == header);
    const auto aside = set_aside_files(tmp);
    REQUIRE(aside.size() == 1);
    CHECK(slurp(aside[0]) == old);
    CHECK(warnings[0].find(aside[0]) != std::string::npos);
    index->add_gone(16);  // the new index works
    CHECK(slurp(tmp.index_file()) == std::string(header) + R"({"id":16,"gone":true})" + "\n");
}

TEST_CASE("archive index: every field is checked strictly") {
    const std::string facts_ok =
        R"("requester_id":1,"responder_id":null,"group_id":null,"type":null,"tags":[],)"
        R"("status":5,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-02-01T00:00:00Z")";
    const std::string bad = GENERATE_COPY(
        std::string("not json"), std::string("[1,2]"), std::string(R"({"id":0,"gone":true})"),
        std::string(R"({"id":-3,"gone":true})"), std::string(R"({"id":"13","gone":true})"),
        std::string(R"({"id":1.5,"gone":true})"), std::string(R"({"id":13})"),
        std::string(R"({"id":13,"gone":true,"drop":true})"),
        std::string(R"({"id":13,"gone":true,"id":14})"),  // duplicate key
        std::string(R"({"id":13,"gone":1})"), std::string(R"({"id":13,"drop":false})"),
        std::string(R"({"id":13,"lost":true})"),
        std::string(R"({"id":13,"archived":{)" + facts_ok + R"(,"name":"x"}})"),
        std::string(R"({"id":13,"archived":{"requester_id":1}})"),
        std::string(R"({"id":13,"archived":{)" + facts_ok + R"(,"status":5}})"),
        std::string(R"({"id":13,"archived":{"requester_id":0,)" + facts_ok.substr(17) + "}}"),
        std::string(R"({"id":13,"archived":{"requester_id":"1",)" + facts_ok.substr(17) + "}}"),
        std::string(R"({"id":13,"archived":true})"));
    CAPTURE(bad);
    TempDir tmp;
    spit(tmp.index_file(), std::string(header) + bad + "\n" + R"({"id":20,"gone":true})" + "\n");
    std::vector<std::string> warnings;
    const auto index = open_index(tmp, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("line 2") != std::string::npos);
    CHECK_FALSE(index->knows(20));
    CHECK(set_aside_files(tmp).size() == 1);
}

TEST_CASE("archive index: a good archived line with every field passes the strict reading") {
    TempDir tmp;
    spit(tmp.index_file(),
         std::string(header) +
             R"({"id":13,"archived":{"requester_id":1,"responder_id":2,"group_id":3,)"
             R"("type":"Question","tags":["x","y"],"status":5,"created_at":null,)"
             R"("updated_at":"2026-02-01T00:00:00Z"}})"
             "\n");
    const auto index = open_quiet(tmp);
    REQUIRE(index->archived(13) != nullptr);
    CHECK(index->archived(13)->created_at == no_time);
    CHECK(index->archived(13)->responder_id == 2);
    CHECK(index->archived(13)->tags == std::vector<std::string>{"x", "y"});
    CHECK(set_aside_files(tmp).empty());
}

TEST_CASE("archive index: another account's, format's or version's file is set aside") {
    const std::string other = GENERATE(
        std::string(
            R"({"format":"gdpr-purge-archive-index","version":1,"account":"other.freshdesk.com"})"),
        std::string(
            R"({"format":"gdpr-purge-archive-index","version":2,"account":"acme.freshdesk.com"})"),
        std::string(
            R"({"format":"gdpr-purge-journal","version":1,"account":"acme.freshdesk.com"})"),
        std::string(R"({"format":"gdpr-purge-archive-index","version":1})"),
        std::string(R"({"id":13,"gone":true})"));
    CAPTURE(other);
    TempDir tmp;
    const std::string old = other + "\n" + R"({"id":13,"gone":true})" + "\n";
    spit(tmp.index_file(), old);
    std::vector<std::string> warnings;
    const auto index = open_index(tmp, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("line 1") != std::string::npos);
    CHECK_FALSE(index->knows(13));
    CHECK(slurp(tmp.index_file()) == header);
    const auto aside = set_aside_files(tmp);
    REQUIRE(aside.size() == 1);
    CHECK(slurp(aside[0]) == old);
}

TEST_CASE("archive index: the version and account of a set-aside file are named") {
    TempDir tmp;
    spit(tmp.index_file(),
         R"({"format":"gdpr-purge-archive-index","version":7,"account":"acme.freshdesk.com"})"
         "\n");
    std::vector<std::string> warnings;
    open_index(tmp, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("version 7") != std::string::npos);

    TempDir tmp2;
    spit(tmp2.index_file(),
         R"({"format":"gdpr-purge-archive-index","version":1,"account":"other.freshdesk.com"})"
         "\n");
    warnings.clear();
    open_index(tmp2, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("other.freshdesk.com") != std::string::npos);
}

TEST_CASE("archive index: a second open while the first holds it is read-only") {
    TempDir tmp;
    const auto first = open_quiet(tmp);
    first->add_gone(13);
    first->flush();
    std::vector<std::string> warnings;
    const auto second = open_index(tmp, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("in use") != std::string::npos);
    CHECK(warnings[0].find(tmp.index_file()) != std::string::npos);
    CHECK(second->read_only());
    CHECK(second->gone(13));  // read all the same
    const std::string before = slurp(tmp.index_file());
    second->add_gone(14);
    second->add_archived(archived_ticket(15, 1));
    second->drop(13);
    second->flush();
    CHECK(slurp(tmp.index_file()) == before);  // nothing written
    CHECK(second->gone(14));                   // but known for this run
    CHECK(second->archived(15) != nullptr);
    CHECK_FALSE(first->read_only());
    first->add_gone(16);  // the holder still writes
    CHECK(slurp(tmp.index_file()) == before + R"({"id":16,"gone":true})" + "\n");
}

TEST_CASE("archive index: the lock is released when the index is destroyed") {
    TempDir tmp;
    { const auto first = open_quiet(tmp); }
    const auto second = open_quiet(tmp);
    CHECK_FALSE(second->read_only());
}

TEST_CASE("archive index: archived_of lists a requester's tickets by ascending id") {
    Index index;  // in memory
    index.add_archived(archived_ticket(40, 7));
    index.add_archived(archived_ticket(3, 7));
    index.add_archived(archived_ticket(25, 8));
    index.add_archived(archived_ticket(17, 7));
    index.add_archived(archived_ticket(9, 7));
    std::vector<Id> ids;
    for (const TicketRecord& t : index.archived_of(7)) {
        ids.push_back(t.id);
    }
    CHECK(ids == std::vector<Id>{3, 9, 17, 40});
    CHECK(index.archived_of(99).empty());

    index.add_archived(archived_ticket(9, 8));  // moved to another requester
    index.drop(40);
    ids.clear();
    for (const TicketRecord& t : index.archived_of(7)) {
        ids.push_back(t.id);
    }
    CHECK(ids == std::vector<Id>{3, 17});
    std::vector<Id> all;
    index.for_each_archived([&](const TicketRecord& t) { all.push_back(t.id); });
    CHECK(all == std::vector<Id>{3, 9, 17, 25});
}

TEST_CASE("archive index: an in-memory index writes nothing") {
    Index index;
    CHECK(index.read_only());
    CHECK(index.path().empty());
    index.add_gone(5);
    index.add_archived(archived_ticket(6, 1));
    index.flush();
    CHECK(index.gone(5));
    CHECK(index.archived_count() == 1);
    CHECK(index.sync_count() == 0);
}

TEST_CASE("archive index: what cannot be stored is refused") {
    Index index;
    TicketRecord live = archived_ticket(6, 1);
    live.archived = false;
    CHECK_THROWS_AS(index.add_archived(live), std::invalid_argument);
    CHECK_THROWS_AS(index.add_archived(archived_ticket(0, 1)), std::invalid_argument);
    CHECK_THROWS_AS(index.add_archived(archived_ticket(6, -1)), std::invalid_argument);
    TicketRecord odd = archived_ticket(6, 1);
    odd.status = 70000;
    CHECK_THROWS_AS(index.add_archived(odd), std::invalid_argument);
    CHECK_THROWS_AS(index.add_gone(0), std::invalid_argument);
    CHECK(index.archived_count() == 0);
    CHECK(index.gone_count() == 0);

    // What a line does not hold is not kept: spam, trash, closed_at.
    TicketRecord extra = archived_ticket(7, 1);
    extra.closed_at = extra.updated_at;
    extra.spam = true;
    index.add_archived(extra);
    REQUIRE(index.archived(7) != nullptr);
    CHECK(index.archived(7)->closed_at == no_time);
    CHECK_FALSE(index.archived(7)->spam);
}

TEST_CASE("archive index: index_path keeps only [A-Za-z0-9._-] of the account") {
    CHECK(index_path("/s", "acme.freshdesk.com") == "/s/acme.freshdesk.com.archive.jsonl");
    CHECK(index_path("/s", "Ac-me_1.freshdesk.com") == "/s/Ac-me_1.freshdesk.com.archive.jsonl");
    CHECK(index_path("/s/", "a/../b c:d") == "/s/a_.._b_c_d.archive.jsonl");
    CHECK(index_path("/s", "caf\xc3\xa9") == "/s/caf__.archive.jsonl");
}

TEST_CASE("archive index: default_state_dir follows XDG_STATE_HOME, then HOME") {
    SECTION("XDG_STATE_HOME") {
        const EnvVar xdg("XDG_STATE_HOME", "/x/state");
        const EnvVar home("HOME", "/home/u");
        CHECK(default_state_dir() == "/x/state/gdpr-purge");
    }
    SECTION("HOME") {
        const EnvVar xdg("XDG_STATE_HOME", nullptr);
        const EnvVar home("HOME", "/home/u");
        CHECK(default_state_dir() == "/home/u/.local/state/gdpr-purge");
    }
    SECTION("an empty or relative XDG_STATE_HOME is ignored") {
        const EnvVar xdg("XDG_STATE_HOME", GENERATE("", "rel/state"));
        const EnvVar home("HOME", "/home/u");
        CHECK(default_state_dir() == "/home/u/.local/state/gdpr-purge");
    }
    SECTION("neither") {
        const EnvVar xdg("XDG_STATE_HOME", nullptr);
        const EnvVar home("HOME", nullptr);
        CHECK(default_state_dir().empty());
        std::vector<std::string> warnings;
        CHECK_THROWS_AS(Index::open(default_state_dir(), account, warnings), IndexError);
    }
}

TEST_CASE("archive index: flush() fsyncs, and the data is in the file before close") {
    TempDir tmp;
    const auto index = open_quiet(tmp);
    const std::int64_t at_open = index->sync_count();
    index->add_gone(13);
    index->add_archived(archived_ticket(14, 1));
    CHECK(index->sync_count() == at_open);  // batched
    index->flush();
    CHECK(index->sync_count() == at_open + 1);
    index->flush();  // nothing new: no sync
    CHECK(index->sync_count() == at_open + 1);
    const std::string text = slurp(tmp.index_file());  // the index is still open
    CHECK(text.find(R"({"id":13,"gone":true})") != std::string::npos);
    CHECK(text.find(R"({"id":14,"archived":)") != std::string::npos);

    for (Id id = 100; id < 100 + 256; ++id) {  // every 256 appends without flush()
        index->add_gone(id);
    }
    CHECK(index->sync_count() == at_open + 2);
    index->add_gone(13);  // already gone: no line
    index->flush();
    CHECK(index->sync_count() == at_open + 2);
}

TEST_CASE("archive index: appends from several threads all land") {
    TempDir tmp;
    {
        const auto index = open_quiet(tmp);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&index, t] {
                for (Id i = 1; i <= 500; ++i) {
                    const Id id = i * 4 + t;
                    if (id % 3 == 0) {
                        index->add_archived(archived_ticket(id, id % 10 + 1));
                    } else {
                        index->add_gone(id);
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        CHECK(index->archived_count() + index->gone_count() == 2000);
    }
    const auto index = open_quiet(tmp);
    CHECK(index->archived_count() == 666);
    CHECK(index->gone_count() == 1334);
    CHECK(index->highest_id() == 2003);
}

TEST_CASE("archive index: an unwritable state directory is an IndexError") {
    if (::geteuid() == 0) {
        SUCCEED("root writes anywhere");
        return;
    }
    TempDir tmp;
    const fs::path locked = tmp.path / "locked";
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    std::vector<std::string> warnings;
    CHECK_THROWS_AS(Index::open((locked / "sub").string(), account, warnings), IndexError);
    CHECK_THROWS_AS(Index::open(locked.string(), account, warnings), IndexError);
    fs::permissions(locked, fs::perms::owner_all);
}
