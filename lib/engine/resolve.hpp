#pragma once
// Rules resolved against one account: names become the ids and interned names the snapshot uses.
// Internal to the engine.
#include "account/account.hpp"
#include "rules/rules.hpp"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gp::engine_detail {

// A condition on a set of values: "any" when the rule lists nothing, else membership.
template <typename T>
struct Condition {
    bool any = true;
    std::unordered_set<T> allowed;
    bool accepts(const T& value) const { return any || allowed.contains(value); }
};

struct ResolvedRule {
    const TicketRule* rule = nullptr;
    Condition<Id> groups;
    Condition<NameRef> types;
    Condition<NameRef> tags;  // accepts a ticket carrying at least one of them
};

struct ResolvedExceptions {
    std::unordered_map<std::string, std::string> tags;  // normalized -> as written in the rules
    std::unordered_set<std::string> emails;             // normalized
    std::unordered_map<Id, std::string> companies;      // id -> name for messages
    std::unordered_map<Id, std::string> responders;     // agent id -> email
};

struct ResolvedRules {
    std::vector<ResolvedRule> ticket_rules;
    ResolvedExceptions exceptions;
    std::unordered_set<Id> agent_ids;
    std::unordered_set<std::string> agent_emails;  // normalized
};

// Throws RulesResolutionError listing every name the account does not have.
ResolvedRules resolve(const Snapshot& snapshot, const Rules& rules);

}  // namespace gp::engine_detail
