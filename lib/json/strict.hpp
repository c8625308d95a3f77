#pragma once
// Strict JSON reading for user files: duplicate keys are errors, and errors say where (line:column
// and the JSON path of the offending key).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace gp::json {

struct ParseFailure {
    std::string path;        // zero-based JSON path where known ("ticket_rules[1].name"), else ""
    std::size_t line = 0;    // 1-based
    std::size_t column = 0;  // 1-based, in bytes
    std::string message;     // "duplicate key \"name\"", "syntax error", ...
};

struct StrictParseResult {
    std::optional<boost::json::value> value;
    std::optional<ParseFailure> failure;
};

// Parses a whole document. Fails on syntax errors, trailing content and duplicate object keys.
StrictParseResult parse_strict(std::string_view text);

// One line of a JSON Lines file (the journal, the archive index): a JSON object, read strictly.
// On failure `error` says what ("not JSON (duplicate key \"x\" at column 12)", "not a JSON
// object") without quoting the line, and nothing is returned.
std::optional<boost::json::object> parse_object_line(std::string_view line, std::string& error);

// A JSON number that is a whole 64-bit signed integer (Boost.JSON keeps large positive ones as
// uint64); nothing for any other value.
std::optional<std::int64_t> integer_of(const boost::json::value& value);

// 1-based line and column of a byte offset in text.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset);
// The inverse: the byte offset of a 1-based line and column; npos when text has no such line.
std::size_t offset_of(std::string_view text, std::size_t line, std::size_t column);

// JSON paths as messages show them: append_key("", "a") is "a", append_key("a", "b") is "a.b",
// append_index("a.b", 2) is "a.b[2]". A key that is not a plain word (letters, digits, '_', '-')
// is quoted: a["odd key"].
std::string append_key(std::string_view path, std::string_view key);
std::string append_index(std::string_view path, std::size_t index);

}  // namespace gp::json
