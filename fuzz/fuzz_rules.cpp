// The rules parser (lib/rules: parse_rules) on any text. Invalid rules are problems in the result,
// never an exception; valid rules must come back from their canonical form (rules.hpp's promise).
// And the strict JSON reader under it (lib/json/reader.hpp), fed the same text in two chunks split
// where the first byte says, must fail where and as it fails on the whole text (parse_strict),
// but for a syntax error in a \u escape (close_syntax_errors says why).
#include "fuzz_support.hpp"
#include "json/reader.hpp"
#include "rules/rules.hpp"

#include <algorithm>

namespace {

// Walks into the document and captures what is under it, as the plan reader does.
class Walker : public gp::json::ReaderClient {
  public:
    bool begin(std::size_t depth, const std::string&, boost::json::kind) override {
        return depth >= 1;
    }
    void key(std::size_t, const std::string&) override {}
    void value(std::size_t, const std::string&, boost::json::value&&) override {}
    void end(std::size_t, boost::json::kind) override {}
};

std::string describe(const std::optional<gp::json::ParseFailure>& failure) {
    if (!failure) {
        return "no failure";
    }
    return failure->path + " at " + std::to_string(failure->line) + ":" +
           std::to_string(failure->column) + ": " + failure->message;
}

// Boost.JSON 1.81 places some syntax errors differently when the text comes in chunks: a bad \u
// escape (or surrogate pair) cut by a chunk boundary fails a few bytes on, sometimes with another
// message, and on the next line when the byte that ends the escape is a newline
// (tests/data/fuzz-regressions/fuzz_rules/escape-newline). The reader puts misspelt words and bad
// UTF-8 back in place (the unit tests check it); anything else must be named and placed
// identically.
bool close_syntax_errors(std::string_view text, const gp::json::ParseFailure& split,
                         const gp::json::ParseFailure& whole) {
    constexpr std::size_t longest_escape = 12;  // \uD83D\uDE00
    const std::size_t at = gp::json::offset_of(text, whole.line, whole.column);
    const std::size_t split_at = gp::json::offset_of(text, split.line, split.column);
    if (!split.path.empty() || !whole.path.empty() || at == std::string_view::npos ||
        split_at == std::string_view::npos) {
        return false;
    }
    const std::size_t apart = split_at > at ? split_at - at : at - split_at;
    if (apart > longest_escape) {
        return false;
    }
    const std::size_t from = at > longest_escape ? at - longest_escape : 0;
    return text.substr(from, 2 * longest_escape).find('\\') != std::string_view::npos;
}

void check_split(std::string_view text) {
    const gp::json::StrictParseResult whole = gp::json::parse_strict(text);
    std::size_t split = text.empty() ? 0 : static_cast<unsigned char>(text[0]) * text.size() / 256;
    if (text.starts_with('\xEF')) {
        split = std::max<std::size_t>(split, 3);  // a BOM is recognised in the first chunk only
    }
    split = std::min(split, text.size());
    Walker walker;
    gp::json::StrictReader reader(walker);
    const bool read = reader.write(text.substr(0, split), false) &&
                      reader.write(text.substr(split), false) && reader.write({}, true);
    if (read != whole.value.has_value()) {
        std::fprintf(stderr, "split at %zu: %s, whole: %s\n", split,
                     describe(reader.failure()).c_str(), describe(whole.failure).c_str());
        std::abort();
    }
    if (!read && close_syntax_errors(text, *reader.failure(), *whole.failure)) {
        return;
    }
    if (describe(reader.failure()) != describe(whole.failure)) {
        std::fprintf(stderr, "split at %zu: %s, whole: %s\n", split,
                     describe(reader.failure()).c_str(), describe(whole.failure).c_str());
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    check_split(gp::fuzz::as_text(data, size));
    const gp::RulesParseResult parsed = gp::parse_rules(gp::fuzz::as_text(data, size));
    if (!parsed.rules) {
        for (const gp::RulesProblem& problem : parsed.problems) {
            (void)gp::to_string(problem);
        }
        return 0;
    }
    const std::string canonical = gp::canonical_json(*parsed.rules);
    const gp::RulesParseResult again = gp::parse_rules(canonical);
    if (!again.rules || !(*again.rules == *parsed.rules) ||
        gp::canonical_json(*again.rules) != canonical) {
        std::fprintf(stderr, "canonical form does not read back: %s\n", canonical.c_str());
        std::abort();
    }
    (void)gp::rules_sha256(*parsed.rules);
    return 0;
}
