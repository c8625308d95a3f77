// Where a plan's problems are (docs/plan.md): every message of the plan reader names the line and
// column, and a path written as for every other JSON file (json::append_key, json::append_index).
#include "plan/plan.hpp"
#include "plan_text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

using namespace gp;

namespace {

std::string sample_text() {
    std::ifstream in(GP_TEST_DATA_DIR "/plans/sample_v1.json", std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string replaced(std::string text, std::string_view what, std::string_view by) {
    const auto at = text.find(what);
    REQUIRE(at != std::string::npos);
    return text.replace(at, what.size(), by);
}

// "line L, column C" of a byte offset, counted independently of the reader.
std::string place(const std::string& text, std::size_t offset) {
    const auto begin = text.begin();
    const auto end = begin + static_cast<std::ptrdiff_t>(offset);
    const auto line = std::count(begin, end, '\n') + 1;
    const auto newline = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const auto column = newline == std::string::npos || offset == 0 ? offset + 1 : offset - newline;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string format_error(const std::string& text) {
    try {
        test::read_text(text);
    } catch (const PlanFormatError& error) {
        return error.what();
    }
    FAIL("the plan was accepted");
    return {};
}

}  // namespace

TEST_CASE("a semantic error of a plan names the line and column where the reader stood") {
    const std::string sample = sample_text();
    // An entry is judged whole: the place is its closing brace.
    const std::string action = replaced(sample, R"("clear_pending"})", R"("clear_everything"})");
    const auto entry_end = action.find("\n    }", action.find("clear_everything")) + 5;
    CHECK(format_error(action) ==
          "entries[3].steps[0].action: unknown action \"clear_everything\" (" +
              place(action, entry_end) + ")");
    // A header value: its last character.
    const std::string as_of = replaced(sample, R"("2026-11-29T04:00:00Z")", R"("yesterday")");
    CHECK(format_error(as_of) ==
          "as_of: expected a UTC time YYYY-MM-DDTHH:MM:SSZ, got \"yesterday\" (" +
              place(as_of, as_of.find("yesterday") + 9) + ")");
    // A key out of place: the key.
    const std::string unknown = replaced(sample, R"("summary": {)", R"("bogus": 1, "summary": {)");
    CHECK(format_error(unknown) ==
          "bogus: unknown key (" + place(unknown, unknown.find("\"bogus")) + ")");
    // What is not a plan, and a plan of another version, say where too.
    CHECK(format_error("[1]") ==
          "not a gdpr-purge plan: the document is not a JSON object (line 1, column 1)");
    try {
        test::read_text(replaced(sample, R"("format_version": 1)", R"("format_version": 2)"));
        FAIL("a version 2 plan was accepted");
    } catch (const PlanVersionError& error) {
        CHECK_THAT(error.what(), Catch::Contains("reads format_version 1") &&
                                     Catch::EndsWith("(line 3, column 22)"));
    }
}

TEST_CASE("a plan and a rules file with the same duplicate key name it alike") {
    // The plan's rules are a rules document: the same key repeated gives the same path (under
    // "rules") and the same message, placed at the repeated key in each file.
    const std::string rules = R"({"version": 1, "ticket_rules": [{"name": "a", "name": "b"}]})";
    const auto parsed = parse_rules(rules);
    REQUIRE(parsed.problems.size() == 1);
    CHECK(parsed.problems[0].path == "ticket_rules[0].name");
    CHECK(parsed.problems[0].message == "line 1, column 47: duplicate key \"name\"");

    const std::string plan = replaced(sample_text(), R"({"name":"escalation-questions",)",
                                      R"({"name":"escalation-questions","name":"b",)");
    const auto repeated = plan.find(R"("name":"b")");
    CHECK(format_error(plan) == "rules." + parsed.problems[0].path + ": duplicate key \"name\" (" +
                                    place(plan, repeated) + ")");
    // A key that is not a plain word is quoted the same way in both.
    const auto odd = parse_rules(R"({"version": 1, "x y": 1, "x y": 2})");
    REQUIRE(odd.problems.size() == 1);
    CHECK(odd.problems[0].path == R"(["x y"])");
    const std::string odd_plan =
        replaced(sample_text(), R"({"version":1,)", R"({"version":1,"x y":1,"x y":2,)");
    CHECK_THAT(format_error(odd_plan), Catch::StartsWith(R"(rules["x y"]: duplicate key "x y" ()"));
}

TEST_CASE("places in a plan are right across the 64 KiB chunks it is read in") {
    constexpr std::size_t chunk = 64 * 1024;
    Plan plan = test::read_text(sample_text());
    const Entry model = plan.entries[0];
    plan.entries.clear();
    for (Id id = 1; id <= 600; ++id) {
        Entry entry = model;
        entry.contact_id = id;
        plan.entries.push_back(entry);
    }
    const std::string text = test::written(plan);
    REQUIRE(text.size() > 2 * chunk);

    // A repeated key that begins in the first chunk and ends in the second: placed at its
    // opening quote, in the first.
    const auto reason = text.rfind("\"reason\":", chunk - 100);
    const auto line_end = text.find('\n', reason);
    const std::size_t pad = chunk - 3 - (line_end + 1);
    std::string split = text;
    split.insert(line_end + 1, std::string(pad, ' ') + "\"reason\": \"again\",\n");
    REQUIRE(split.substr(chunk - 3, 8) == "\"reason\"");
    const auto lines_before =
        std::count(split.begin(), split.begin() + static_cast<std::ptrdiff_t>(chunk), '\n');
    const std::string at =
        "line " + std::to_string(lines_before + 1) + ", column " + std::to_string(pad + 1);
    CHECK(place(split, chunk - 3) == at);
    std::size_t entry = 0;
    for (auto key = text.find("\"contact_id\""); key < reason;
         key = text.find("\"contact_id\"", key + 1)) {
        ++entry;
    }
    CHECK(format_error(split) == "entries[" + std::to_string(entry - 1) +
                                     "].reason: duplicate key \"reason\" (" + at + ")");

    // A semantic error in the third chunk: its line counts the lines of the chunks before.
    const auto last = text.rfind(R"("mode": "hard")");
    REQUIRE(last > 2 * chunk);
    const std::string late = text.substr(0, last) + R"("mode": "firm")" + text.substr(last + 14);
    const auto entry_end = late.find("\n    }", last) + 5;
    CHECK(format_error(late) ==
          "entries[599].steps[1].mode: unknown mode \"firm\" (hard or soft) (" +
              place(late, entry_end) + ")");
}

TEST_CASE("an exception of the visitor's own comes out of read_plan as it is") {
    PlanVisitor visitor;
    visitor.on_entry = [](Entry&& entry) {
        if (entry.contact_id == 1002) {
            throw std::logic_error("stop at 1002");
        }
    };
    std::istringstream in(sample_text());
    CHECK_THROWS_MATCHES(read_plan(in, visitor), std::logic_error, Catch::Message("stop at 1002"));
}

TEST_CASE("a plan keeps its limits, and a value past one is named with its path and place") {
    const std::string sample = sample_text();
    const std::string huge(std::size_t{1} << 20, 'x');
    const std::string long_reason =
        replaced(sample, "\"all tickets closed, older than 180d\"", '"' + huge + "x\"");
    // Placed where the reader noticed, in the string (its opening quote is chunks behind).
    const std::string noticed = format_error(long_reason);
    CHECK_THAT(noticed, Catch::StartsWith("entries[0].reason: a string longer than 1048576 bytes "
                                          "(line 28, column "));
    const auto column = std::stoul(noticed.substr(noticed.rfind(' ') + 1));
    CHECK(column > huge.size());
    CHECK(column <= huge.size() + 64 * 1024);
    const std::string long_key =
        replaced(sample, "\"email_masked\"", '"' + std::string(4097, 'k') + '"');
    CHECK(format_error(long_key) == "entries[0]: a key longer than 4096 bytes (" +
                                        place(long_key, long_key.find("kkkk") - 1) + ")");
    CHECK_NOTHROW(test::read_text(
        replaced(sample, "\"all tickets closed, older than 180d\"", '"' + huge + '"')));
}
