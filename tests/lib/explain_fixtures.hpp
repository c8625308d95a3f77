#pragma once
// What the tests of lib/explain share: a small rules value that each test changes in one place,
// and its Markdown schedule in English and in French.
#include "explain/explain.hpp"
#include "rules/rules.hpp"

#include <string>

namespace explain_test {

inline gp::Duration duration(const std::string& text) {
    return gp::parse_duration(text).value();
}

// One scope-contact rule with no condition, contacts deleted hard at once, nothing else.
inline gp::Rules base() {
    gp::Rules rules;
    gp::TicketRule rule;
    rule.name = "support";
    rule.older_than = duration("180d");
    rule.since = gp::Since::closed;
    rule.scope = gp::Scope::contact;
    rules.ticket_rules.push_back(rule);
    rules.contact_policy.keep_contact = false;
    rules.contact_policy.delete_mode = gp::DeleteMode::hard;
    return rules;
}

inline std::string en(const gp::Rules& rules) {
    return gp::explain::render_schedule(rules, gp::explain::Format::markdown,
                                        gp::explain::Language::en);
}
inline std::string fr(const gp::Rules& rules) {
    return gp::explain::render_schedule(rules, gp::explain::Format::markdown,
                                        gp::explain::Language::fr);
}

}  // namespace explain_test
