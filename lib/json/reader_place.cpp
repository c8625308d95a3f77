// Where the strict reader's failures are placed, and what a syntax error says (reader.cpp).
#include "json/reader_detail.hpp"

#include <boost/json/error.hpp>

#include <algorithm>

namespace gp::json::detail {

namespace bj = boost::json;

namespace {

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

}  // namespace

// The position of `offset` in `text`, whose first byte is at `start`.
Position position_in(std::string_view text, std::size_t offset, Position start) {
    const std::string_view before = text.substr(0, std::min(offset, text.size()));
    const std::size_t newline = before.rfind('\n');
    if (newline == std::string_view::npos) {
        return {start.line, start.column + before.size()};
    }
    const auto lines = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    return {start.line + lines, before.size() - newline};
}

// The parser stops on the closing quote of a key (or inside a key or string too long); messages
// point at its opening quote. Inside a JSON string every quote is escaped, so the last quote
// before that is not is the opening one.
std::optional<std::size_t> key_start(std::string_view text, std::size_t closing_quote) {
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
    return std::nullopt;
}

// A text that is not UTF-8 fails at the first byte of the bad sequence; but when the sequence
// began in a chunk before, the parser has taken those bytes, and up to the sequence's length
// after them, already. Back to where the sequence began, as when the text comes whole.
std::size_t sequence_start(std::string_view text, std::size_t offset) {
    // The first lead byte of the last three whose sequence is not whole before `offset`.
    for (std::size_t back = std::min<std::size_t>(3, offset); back > 0; --back) {
        const std::size_t start = offset - back;
        const auto byte = static_cast<unsigned char>(text[start]);
        if (byte < 0xC0) {
            continue;  // ASCII or a continuation byte
        }
        const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
        if (start + length > offset) {
            return start;  // the sequence runs into the byte the parser stopped at
        }
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[start + k]) & 0xC0) != 0x80) {
                return start;
            }
        }
    }
    return offset;
}

// A misspelt true, false or null fails at its first letter when the whole word is in the chunk;
// when it is not, the parser has taken the letters that fit and stops at the first that does not.
// Back to the first letter, as when the text comes whole.
std::size_t literal_start(std::string_view text, std::size_t offset) {
    std::size_t start = std::min(offset, text.size());
    while (start > 0 && text[start - 1] >= 'a' && text[start - 1] <= 'z') {
        --start;
    }
    const std::string_view letters = text.substr(start, std::min(offset, text.size()) - start);
    for (const std::string_view word : {"true", "false", "null"}) {
        if (!letters.empty() && letters.size() < word.size() && word.starts_with(letters)) {
            return start;
        }
    }
    return offset;
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

}  // namespace gp::json::detail
