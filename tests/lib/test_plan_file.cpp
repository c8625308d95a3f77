// StreamedPlan (lib/plan/plan_file.hpp): a plan file read entry by entry, hashed on the way, read
// again from the same open file, and refused when it changes between readings.
#include "plan/plan_file.hpp"
#include "plan_text.hpp"
#include "scratch_dir.hpp"
#include "util/sha256.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace gp;

namespace {

Rules small_rules() {
    auto result = parse_rules(R"({
      "version": 1,
      "ticket_rules": [{"name": "old", "older_than": "180d", "since": "closed",
                        "scope": "contact"}],
      "contact_policy": {"keep_contact": false, "delete_mode": "hard", "delete_after": "30d"}
    })");
    REQUIRE(result.problems.empty());
    return std::move(*result.rules);
}

// `count` entries, each deleting one ticket and its contact: big enough to span several of the
// reader's 64 KiB blocks when count is in the thousands.
Plan many_entries(int count) {
    Plan plan;
    plan.header.generated_at = "2026-11-29T04:00:03Z";
    plan.header.as_of = "2026-11-29T04:00:00Z";
    plan.header.account = "example.freshdesk.com";
    plan.header.rules = small_rules();
    plan.header.rules_sha256 = rules_sha256(plan.header.rules);
    for (int i = 1; i <= count; ++i) {
        Entry entry;
        entry.contact_id = 1000 + i;
        entry.email_masked = "a***@example.com";
        entry.rules = {"old"};
        entry.reason = "all tickets closed, older than 180d";
        entry.expect = {.ticket_ids = {i}, .contact_updated_at = "2026-04-02T10:00:00Z"};
        entry.steps = {
            {.action = StepAction::delete_tickets, .ticket_ids = {i}, .mode = {}, .since = {}},
            {.action = StepAction::delete_contact,
             .ticket_ids = {},
             .mode = DeleteMode::hard,
             .since = {}}};
        plan.entries.push_back(std::move(entry));
    }
    plan.header.summary.contacts_to_delete = count;
    plan.header.summary.tickets_to_delete = count;
    return plan;
}

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    REQUIRE(out.good());
}

std::vector<Entry> entries_of(const StreamedPlan& plan) {
    std::vector<Entry> entries;
    plan.for_each_entry([&](Entry&& entry) { entries.push_back(std::move(entry)); });
    return entries;
}

}  // namespace

TEST_CASE("StreamedPlan: the first reading outlines the plan and hashes its very bytes",
          "[plan][stream]") {
    const simtest::ScratchDir dir;
    const Plan plan = many_entries(3000);
    const std::string text = test::written(plan);
    REQUIRE(text.size() > 3 * 64 * 1024);  // several of the reader's blocks
    spit(dir.file("plan.json"), text);

    std::int64_t seen = 0;
    const StreamedPlan streamed(
        dir.file("plan.json"),
        {.on_header = {}, .on_entry = [&](Entry&&) { ++seen; }, .on_protected = {}});
    CHECK(streamed.outline().sha256 == sha256_hex(text));
    CHECK(streamed.outline().sha256 == sha256_file_hex(dir.file("plan.json")));
    CHECK(streamed.outline().entries == 3000);
    CHECK(seen == 3000);
    CHECK(streamed.outline().contact_deletions == 3000);
    CHECK(streamed.outline().header.account == "example.freshdesk.com");
    CHECK(streamed.path() == dir.file("plan.json"));
    // Every later reading gives the entries again, in order, as the whole plan has them.
    CHECK(entries_of(streamed) == plan.entries);
    CHECK(entries_of(streamed) == plan.entries);
}

TEST_CASE("StreamedPlan: a plan bad near its end is refused by the first reading",
          "[plan][stream]") {
    const simtest::ScratchDir dir;
    std::string text = test::written(many_entries(50));
    const std::size_t last = text.rfind("\"delete_contact\"");
    REQUIRE(last != std::string::npos);
    text.replace(last, 16, "\"delete_company\"");
    spit(dir.file("plan.json"), text);
    CHECK_THROWS_AS(StreamedPlan(dir.file("plan.json")), PlanFormatError);
}

TEST_CASE("StreamedPlan: a missing file is PlanUnreadable with its errno", "[plan][stream]") {
    const simtest::ScratchDir dir;
    try {
        const StreamedPlan plan(dir.file("none.json"));
        FAIL("a missing plan was opened");
    } catch (const PlanUnreadable& error) {
        CHECK(error.error() == ENOENT);
        CHECK(std::string(error.what()).find("none.json") != std::string::npos);
    }
}

TEST_CASE("StreamedPlan: a plan replaced by a rename is not seen, one changed in place is refused",
          "[plan][stream]") {
    const simtest::ScratchDir dir;
    const Plan plan = many_entries(20);
    const std::string path = dir.file("plan.json");
    spit(path, test::written(plan));
    const StreamedPlan streamed(path);

    SECTION("replaced by a rename: the open file is read") {
        spit(dir.file("other.json"), test::written(many_entries(5)));
        std::filesystem::rename(dir.file("other.json"), path);
        CHECK(entries_of(streamed) == plan.entries);
    }
    SECTION("grown in place: refused before any entry") {
        std::ofstream(path, std::ios::binary | std::ios::app) << " ";
        int handed = 0;
        CHECK_THROWS_WITH(streamed.for_each_entry([&](Entry&&) { ++handed; }),
                          Catch::Contains("changed while it was being used"));
        CHECK(handed == 0);
    }
    SECTION("the same size and times, other bytes: refused at the end of the reading") {
        struct stat before {};
        REQUIRE(::stat(path.c_str(), &before) == 0);
        std::string text = test::written(plan);
        const std::size_t at = text.find("a***@example.com");
        REQUIRE(at != std::string::npos);
        text[at] = 'b';
        spit(path, text);
        const timespec times[2] = {before.st_atim, before.st_mtim};
        REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
        CHECK_THROWS_WITH(streamed.for_each_entry([](Entry&&) {}),
                          Catch::Contains("changed while it was being used"));
    }
}
