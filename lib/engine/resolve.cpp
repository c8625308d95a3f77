#include "engine/resolve.hpp"

#include "engine/engine.hpp"
#include "util/text.hpp"

#include <charconv>

namespace gp::engine_detail {

namespace {

std::optional<Id> parse_id(std::string_view digits) {
    Id id = 0;
    const auto* end = digits.data() + digits.size();
    const auto [ptr, ec] = std::from_chars(digits.data(), end, id);
    if (ec != std::errc{} || ptr != end || id <= 0) {
        return std::nullopt;
    }
    return id;
}

// A name from the rules file against the account's names, or a numeric id (rules-semantics.md,
// settled 10).
std::optional<Id> resolve_name_or_id(const std::vector<NamedId>& named, const std::string& text) {
    const auto wanted = normalize_name(text);
    for (const auto& item : named) {
        if (normalize_name(item.name) == wanted) {
            return item.id;
        }
    }
    if (is_all_digits(wanted)) {
        return parse_id(wanted);
    }
    return std::nullopt;
}

std::string item_path(const std::string& list_path, std::size_t index) {
    return list_path + "[" + std::to_string(index) + "]";
}

// Names no ticket carries cannot match: they are simply left out of the allowed set.
Condition<NameRef> interned_condition(const Snapshot& snapshot,
                                      const std::vector<std::string>& names) {
    Condition<NameRef> condition;
    condition.any = names.empty();
    for (const auto& name : names) {
        if (auto ref = snapshot.find_name(name)) {
            condition.allowed.insert(*ref);
        }
    }
    return condition;
}

class Resolver {
  public:
    Resolver(const Snapshot& snapshot, const Rules& rules) : snapshot_(snapshot), rules_(rules) {}

    ResolvedRules run() {
        for (const auto& agent : snapshot_.agents) {
            out_.agent_ids.insert(agent.id);
            if (!trim(agent.email).empty()) {
                out_.agent_emails.insert(normalize_name(agent.email));
            }
        }
        for (std::size_t i = 0; i < rules_.ticket_rules.size(); ++i) {
            add_rule(i);
        }
        add_exceptions();
        return std::move(out_);
    }
    std::vector<RulesProblem>& problems() { return problems_; }

  private:
    void add_rule(std::size_t index) {
        const TicketRule& rule = rules_.ticket_rules[index];
        ResolvedRule resolved;
        resolved.rule = &rule;
        resolved.groups.any = rule.groups.empty();
        const auto groups_path = "ticket_rules[" + std::to_string(index) + "].groups";
        for (std::size_t g = 0; g < rule.groups.size(); ++g) {
            if (auto id = resolve_name_or_id(snapshot_.groups, rule.groups[g])) {
                resolved.groups.allowed.insert(*id);
            } else {
                problems_.push_back(
                    {item_path(groups_path, g),
                     "group \"" + rule.groups[g] + "\" does not exist in the account"});
            }
        }
        resolved.types = interned_condition(snapshot_, rule.types);
        resolved.tags = interned_condition(snapshot_, rule.tags);
        out_.ticket_rules.push_back(std::move(resolved));
    }

    void add_exceptions() {
        const Exceptions& ex = rules_.exceptions;
        for (const auto& tag : ex.tags) {
            out_.exceptions.tags.emplace(normalize_name(tag), tag);
        }
        for (const auto& email : ex.emails) {
            out_.exceptions.emails.insert(normalize_name(email));
        }
        for (std::size_t i = 0; i < ex.companies.size(); ++i) {
            if (auto id = resolve_name_or_id(snapshot_.companies, ex.companies[i])) {
                out_.exceptions.companies.emplace(*id, company_name(*id, ex.companies[i]));
            } else {
                problems_.push_back(
                    {item_path("exceptions.companies", i),
                     "company \"" + ex.companies[i] + "\" does not exist in the account"});
            }
        }
        for (std::size_t i = 0; i < ex.responders.size(); ++i) {
            add_responder(i);
        }
    }

    // The account's name for the company, for the plan's protected list; an id unknown to the
    // account keeps the text of the rules.
    std::string company_name(Id id, const std::string& written) const {
        for (const auto& company : snapshot_.companies) {
            if (company.id == id) {
                return company.name;
            }
        }
        return written;
    }

    // A responder is an agent; an email that is no agent's would protect nothing, so it is refused
    // like an unknown group (a typo must not silently remove a protection).
    void add_responder(std::size_t index) {
        const auto& email = rules_.exceptions.responders[index];
        const auto wanted = normalize_name(email);
        bool found = false;
        for (const auto& agent : snapshot_.agents) {
            if (normalize_name(agent.email) == wanted) {
                out_.exceptions.responders.emplace(agent.id, agent.email);
                found = true;
            }
        }
        if (!found) {
            problems_.push_back(
                {item_path("exceptions.responders", index),
                 "responder \"" + mask_email(email) + "\" is no agent of the account"});
        }
    }

    const Snapshot& snapshot_;
    const Rules& rules_;
    ResolvedRules out_;
    std::vector<RulesProblem> problems_;
};

}  // namespace

ResolvedRules resolve(const Snapshot& snapshot, const Rules& rules) {
    Resolver resolver(snapshot, rules);
    ResolvedRules out = resolver.run();
    if (!resolver.problems().empty()) {
        throw RulesResolutionError(std::move(resolver.problems()));
    }
    return out;
}

}  // namespace gp::engine_detail

namespace gp {

std::vector<RulesProblem> unresolved_names(const Snapshot& names, const Rules& rules) {
    engine_detail::Resolver resolver(names, rules);
    (void)resolver.run();
    return std::move(resolver.problems());
}

void require_resolved(const Snapshot& names, const Rules& rules) {
    std::vector<RulesProblem> problems = unresolved_names(names, rules);
    if (!problems.empty()) {
        throw RulesResolutionError(std::move(problems));
    }
}

}  // namespace gp
