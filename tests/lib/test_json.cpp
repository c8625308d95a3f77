#include "json/strict.hpp"

#include <catch2/catch.hpp>

#include <boost/json/serialize.hpp>

namespace {

gp::json::ParseFailure failure_of(std::string_view text) {
    auto result = gp::json::parse_strict(text);
    REQUIRE_FALSE(result.value);
    REQUIRE(result.failure);
    return *result.failure;
}

}  // namespace

TEST_CASE("parse_strict builds the value of a valid document", "[json]") {
    const auto result =
        gp::json::parse_strict(R"({"a": [1, -2, 3.5, "x\u00e9", true, null], "b": {"c": {}}})");
    REQUIRE(result.value);
    REQUIRE_FALSE(result.failure);
    CHECK(boost::json::serialize(*result.value) ==
          "{\"a\":[1,-2,3.5E0,\"x\xC3\xA9\",true,null],\"b\":{\"c\":{}}}");
}

TEST_CASE("parse_strict keeps big ids exact", "[json]") {
    const auto result = gp::json::parse_strict("[9007199254740993, 18446744073709551615]");
    REQUIRE(result.value);
    const auto& array = result.value->as_array();
    CHECK(array[0].as_int64() == 9007199254740993);
    CHECK(array[1].as_uint64() == 18446744073709551615ULL);
}

TEST_CASE("parse_strict accepts the same key in different objects", "[json]") {
    const auto result = gp::json::parse_strict(R"({"a": {"name": 1}, "b": {"name": 2}})");
    CHECK(result.value);
    CHECK_FALSE(result.failure);
}

TEST_CASE("a duplicate key is reported with its path, line and column", "[json]") {
    const auto failure = failure_of(
        "{\n  \"rules\": [\n    {\"name\": 1},\n"
        "    {\"name\": 2,\n     \"name\": 3}\n  ]\n}");
    CHECK(failure.path == "rules[1].name");
    CHECK(failure.line == 5);
    CHECK(failure.column == 6);
    CHECK(failure.message == "duplicate key \"name\"");
}

TEST_CASE("a duplicate key at the top level has the key as its path", "[json]") {
    const auto failure = failure_of(R"({"version": 1, "version": 2})");
    CHECK(failure.path == "version");
    CHECK(failure.line == 1);
    CHECK(failure.column == 16);
}

TEST_CASE("a duplicate key written with escapes is found and located", "[json]") {
    // "n\u0061me" is "name": the duplicate is found after decoding, located at its opening quote.
    const auto failure = failure_of(R"({"name": 1, "n\u0061me\"": 2, "n\u0061me": 3})");
    CHECK(failure.path == "name");
    CHECK(failure.column == 31);
}

TEST_CASE("odd keys are quoted in paths", "[json]") {
    CHECK(failure_of(R"({"a b": {"x": 1, "x": 2}})").path == R"(["a b"].x)");
    CHECK(gp::json::append_key("", "a") == "a");
    CHECK(gp::json::append_key("a", "b_c-1") == "a.b_c-1");
    CHECK(gp::json::append_key("a", "") == "a[\"\"]");
    CHECK(gp::json::append_index("a.b", 2) == "a.b[2]");
}

TEST_CASE("a syntax error says where, and what it found", "[json]") {
    const auto failure = failure_of("{\n  \"a\": 1,\n  \"b\": 2,\n}");
    CHECK(failure.path.empty());
    CHECK(failure.line == 4);
    CHECK(failure.column == 1);
    CHECK(failure.message == "syntax error at '}' (a comma before a closing bracket?)");
}

TEST_CASE("a missing comma is hinted at", "[json]") {
    const auto failure = failure_of("{\"a\": 1\n \"b\": 2}");
    CHECK(failure.line == 2);
    CHECK(failure.column == 2);
    CHECK(failure.message == "syntax error at '\"' (a missing comma before it?)");
    CHECK(failure_of("[1 2]").message == "syntax error at '2'");
}

TEST_CASE("white space around the document is fine", "[json]") {
    CHECK(gp::json::parse_strict(" \n{}\r\n\t ").value);
}

TEST_CASE("an incomplete document fails at its end", "[json]") {
    const auto failure = failure_of("{\"a\": [1, 2");
    CHECK(failure.line == 1);
    CHECK(failure.column == 12);
    CHECK_THAT(failure.message, Catch::Contains("end of the text"));
}

TEST_CASE("an empty document fails", "[json]") {
    const auto failure = failure_of("");
    CHECK(failure.line == 1);
    CHECK(failure.column == 1);
}

TEST_CASE("text after the document fails", "[json]") {
    const auto failure = failure_of("{}\n{}");
    CHECK(failure.line == 2);
    CHECK(failure.column == 1);
    CHECK_THAT(failure.message, Catch::Contains("after the end"));
}

TEST_CASE("comments, trailing commas and invalid UTF-8 are refused", "[json]") {
    CHECK(failure_of("{\"a\": 1 // note\n}").line == 1);
    CHECK(failure_of("[1, 2,]").column == 7);
    const auto utf8 = failure_of("[\"caf\xC3\"]");
    CHECK(utf8.column == 6);
    CHECK_THAT(utf8.message, Catch::Contains("UTF-8"));
}

TEST_CASE("a byte order mark is refused with a clear message", "[json]") {
    const auto failure = failure_of("\xEF\xBB\xBF{}");
    CHECK(failure.line == 1);
    CHECK(failure.column == 1);
    CHECK_THAT(failure.message, Catch::Contains("byte order mark"));
}

TEST_CASE("line_column counts lines and byte columns from 1", "[json]") {
    const std::string_view text = "ab\ncd\r\nef";
    CHECK(gp::json::line_column(text, 0) == std::pair<std::size_t, std::size_t>{1, 1});
    CHECK(gp::json::line_column(text, 2) == std::pair<std::size_t, std::size_t>{1, 3});
    CHECK(gp::json::line_column(text, 3) == std::pair<std::size_t, std::size_t>{2, 1});
    CHECK(gp::json::line_column(text, 7) == std::pair<std::size_t, std::size_t>{3, 1});
    CHECK(gp::json::line_column(text, 8) == std::pair<std::size_t, std::size_t>{3, 2});
    CHECK(gp::json::line_column(text, 100) == std::pair<std::size_t, std::size_t>{3, 3});
}

TEST_CASE("offset_of is line_column's inverse, npos past the last line", "[json]") {
    const std::string_view text = "ab\ncd\r\nef";
    for (std::size_t offset = 0; offset <= text.size(); ++offset) {
        const auto [line, column] = gp::json::line_column(text, offset);
        CHECK(gp::json::offset_of(text, line, column) == offset);
    }
    CHECK(gp::json::offset_of(text, 4, 1) == std::string_view::npos);
}
