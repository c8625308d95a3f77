// The rules parser (lib/rules: parse_rules) on any text. Invalid rules are problems in the result,
// never an exception; valid rules must come back from their canonical form (rules.hpp's promise).
// And the strict JSON reader under it (lib/json/reader.hpp), fed the same text in two chunks split
// where the first byte says, must fail where and as it fails on the whole text (parse_strict).
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
    if (read != whole.value.has_value() || describe(reader.failure()) != describe(whole.failure)) {
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
