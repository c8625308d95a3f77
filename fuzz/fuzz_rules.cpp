// The rules parser (lib/rules: parse_rules) on any text. Invalid rules are problems in the result,
// never an exception; valid rules must come back from their canonical form (rules.hpp's promise).
#include "fuzz_support.hpp"
#include "rules/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
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
