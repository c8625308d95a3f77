// parse_strict and parse_object_line are clients of the one strict reader (json/reader.hpp).
#include "json/strict.hpp"

#include "json/reader.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>

namespace gp::json {

namespace bj = boost::json;

namespace {

// The whole document, captured as one value.
class WholeDocument : public ReaderClient {
  public:
    bool begin(std::size_t, const std::string&, bj::kind) override { return true; }
    void key(std::size_t, const std::string&) override {}
    void value(std::size_t, const std::string&, bj::value&& value) override {
        value_ = std::move(value);
    }
    void end(std::size_t, bj::kind) override {}

    std::optional<bj::value> value_;
};

bool is_plain_word(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

}  // namespace

StrictParseResult parse_strict(std::string_view text) {
    WholeDocument document;
    StrictReader reader(document);
    if (!reader.write(text, true)) {
        return {std::nullopt, reader.failure()};
    }
    return {std::move(document.value_), std::nullopt};
}

std::optional<boost::json::object> parse_object_line(std::string_view line, std::string& error) {
    StrictParseResult parsed = parse_strict(line);
    if (parsed.failure) {
        error = "not JSON (" + parsed.failure->message + " at column " +
                std::to_string(parsed.failure->column) + ")";
        return std::nullopt;
    }
    if (!parsed.value->is_object()) {
        error = "not a JSON object";
        return std::nullopt;
    }
    return std::move(parsed.value->get_object());
}

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
    const std::string_view before = text.substr(0, std::min(offset, text.size()));
    const std::size_t newline = before.rfind('\n');
    const auto lines = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t column =
        newline == std::string_view::npos ? before.size() + 1 : before.size() - newline;
    return {lines + 1, column};
}

std::size_t offset_of(std::string_view text, std::size_t line, std::size_t column) {
    std::size_t line_start = 0;
    for (std::size_t l = 1; l < line; ++l) {
        const std::size_t newline = text.find('\n', line_start);
        if (newline == std::string_view::npos) {
            return std::string_view::npos;
        }
        line_start = newline + 1;
    }
    return line_start + column - 1;
}

std::string append_key(std::string_view path, std::string_view key) {
    std::string out(path);
    if (is_plain_word(key)) {
        out += out.empty() ? "" : ".";
        out += key;
    } else {
        out += "[" + bj::serialize(bj::string_view(key.data(), key.size())) + "]";
    }
    return out;
}

std::string append_index(std::string_view path, std::size_t index) {
    return std::string(path) + "[" + std::to_string(index) + "]";
}

std::optional<std::int64_t> integer_of(const boost::json::value& value) {
    if (value.is_int64()) {
        return value.get_int64();
    }
    if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(value.get_uint64());
    }
    return std::nullopt;
}

}  // namespace gp::json
