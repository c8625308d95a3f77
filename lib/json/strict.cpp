#include "json/strict.hpp"

#include <cstdint>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <limits>
#include <unordered_set>
#include <vector>

namespace gp::json {

namespace bj = boost::json;

namespace {

// One open object or array. The path of the value being parsed is the chain of frames: an
// object frame contributes the key whose value comes next, an array frame the element's index.
struct Frame {
    bool is_object = false;
    std::size_t index = 0;
    std::string key;
    std::unordered_set<std::string> keys;
};

// The basic_parser handler: builds the value with a value_stack (as boost::json::parser does)
// and stops at the first key that repeats one of its object, remembering that key's path.
class StrictHandler {
  public:
    static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

    bool on_document_begin(bj::error_code&) {
        stack_.reset();
        return true;
    }
    bool on_document_end(bj::error_code&) { return true; }

    bool on_object_begin(bj::error_code&) {
        frames_.push_back(Frame{.is_object = true, .index = 0, .key = {}, .keys = {}});
        return true;
    }
    bool on_object_end(std::size_t n, bj::error_code&) {
        frames_.pop_back();
        stack_.push_object(n);
        return value_done();
    }
    bool on_array_begin(bj::error_code&) {
        frames_.push_back(Frame{.is_object = false, .index = 0, .key = {}, .keys = {}});
        return true;
    }
    bool on_array_end(std::size_t n, bj::error_code&) {
        frames_.pop_back();
        stack_.push_array(n);
        return value_done();
    }

    bool on_key_part(bj::string_view s, std::size_t, bj::error_code&) {
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(bj::string_view s, std::size_t, bj::error_code& ec) {
        key_.append(s.data(), s.size());
        Frame& object = frames_.back();
        object.key = key_;
        if (!object.keys.insert(key_).second) {
            duplicate_ = key_;
            ec = bj::error::exception;  // any error stops the parser; duplicate_ says which
            return false;
        }
        stack_.push_key(key_);
        key_.clear();
        return true;
    }

    bool on_string_part(bj::string_view s, std::size_t, bj::error_code&) {
        stack_.push_chars(s);
        return true;
    }
    bool on_string(bj::string_view s, std::size_t, bj::error_code&) {
        stack_.push_string(s);
        return value_done();
    }

    bool on_number_part(bj::string_view, bj::error_code&) { return true; }
    bool on_int64(std::int64_t i, bj::string_view, bj::error_code&) {
        stack_.push_int64(i);
        return value_done();
    }
    bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code&) {
        stack_.push_uint64(u);
        return value_done();
    }
    bool on_double(double d, bj::string_view, bj::error_code&) {
        stack_.push_double(d);
        return value_done();
    }
    bool on_bool(bool b, bj::error_code&) {
        stack_.push_bool(b);
        return value_done();
    }
    bool on_null(bj::error_code&) {
        stack_.push_null();
        return value_done();
    }
    // Comments are off in the parse options; these only satisfy the handler concept.
    bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
    bool on_comment(bj::string_view, bj::error_code&) { return true; }

    const std::optional<std::string>& duplicate() const { return duplicate_; }
    std::string current_path() const {
        std::string path;
        for (const Frame& frame : frames_) {
            path = frame.is_object ? append_key(path, frame.key) : append_index(path, frame.index);
        }
        return path;
    }
    bj::value release() { return stack_.release(); }

  private:
    bool value_done() {
        if (!frames_.empty() && !frames_.back().is_object) {
            ++frames_.back().index;
        }
        return true;
    }

    bj::value_stack stack_;
    std::vector<Frame> frames_;
    std::string key_;
    std::optional<std::string> duplicate_;
};

bool is_plain_word(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

// The parser stops on the closing quote of a key; messages point at its opening quote. Inside a
// JSON string every quote is escaped, so the first quote that is not is the opening one.
std::size_t key_start(std::string_view text, std::size_t closing_quote) {
    for (std::size_t i = std::min(closing_quote, text.size()); i-- > 0;) {
        if (text[i] != '"') {
            continue;
        }
        std::size_t backslashes = 0;
        while (backslashes < i && text[i - 1 - backslashes] == '\\') {
            ++backslashes;
        }
        if (backslashes % 2 == 0) {
            return i;
        }
    }
    return closing_quote;
}

// The two mistakes hand-edited JSON is full of, guessed from the character before the error.
const char* syntax_hint(std::string_view text, std::size_t offset) {
    const std::size_t before = text.find_last_not_of(" \t\r\n", offset == 0 ? 0 : offset - 1);
    if (offset == 0 || before == std::string_view::npos) {
        return "";
    }
    const char previous = text[before];
    const char c = text[offset];
    if (previous == ',' && (c == '}' || c == ']')) {
        return " (a comma before a closing bracket?)";
    }
    const bool value_ended = previous == '"' || previous == '}' || previous == ']' ||
                             previous == 'e' || previous == 'l' ||
                             (previous >= '0' && previous <= '9');
    if (value_ended && (c == '"' || c == '{' || c == '[')) {
        return " (a missing comma before it?)";
    }
    return "";
}

std::string syntax_message(std::string_view text, std::size_t offset) {
    if (offset >= text.size()) {
        return "syntax error: unexpected end of the text";
    }
    const char c = text[offset];
    if (c >= 0x20 && c < 0x7f) {
        return std::string("syntax error at '") + c + "'" + syntax_hint(text, offset);
    }
    return "syntax error: a control character or text that is not valid UTF-8";
}

std::string error_message(std::string_view text, std::size_t offset, const bj::error_code& ec) {
    if (ec == bj::error::syntax) {
        return syntax_message(text, offset);
    }
    if (ec == bj::error::incomplete) {
        return "unexpected end of the text (incomplete JSON)";
    }
    if (ec == bj::error::extra_data) {
        return "unexpected text after the end of the JSON document";
    }
    if (ec == bj::error::too_deep) {
        return "nested too deeply";
    }
    return ec.message();
}

ParseFailure failure_at(std::string_view text, std::size_t offset, std::string path,
                        std::string message) {
    const auto [line, column] = line_column(text, offset);
    return ParseFailure{std::move(path), line, column, std::move(message)};
}

}  // namespace

StrictParseResult parse_strict(std::string_view text) {
    // A BOM is legal in some tools but not in JSON (RFC 8259); say so instead of "syntax error".
    if (text.starts_with("\xEF\xBB\xBF")) {
        return {std::nullopt, failure_at(text, 0, "",
                                         "the text starts with a byte order mark (BOM); save it as "
                                         "UTF-8 without BOM")};
    }
    bj::basic_parser<StrictHandler> parser{bj::parse_options{}};
    bj::error_code ec;
    const std::size_t stopped = parser.write_some(false, text.data(), text.size(), ec);
    const StrictHandler& handler = parser.handler();
    if (handler.duplicate()) {
        return {std::nullopt, failure_at(text, key_start(text, stopped), handler.current_path(),
                                         "duplicate key " +
                                             bj::serialize(bj::string_view(*handler.duplicate())))};
    }
    if (ec) {
        return {std::nullopt, failure_at(text, stopped, "", error_message(text, stopped, ec))};
    }
    if (stopped < text.size()) {  // write_some stops after the first complete document
        return {std::nullopt,
                failure_at(text, stopped, "", error_message(text, stopped, bj::error::extra_data))};
    }
    return {parser.handler().release(), std::nullopt};
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
