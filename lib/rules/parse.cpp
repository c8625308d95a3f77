// parse_rules: the document, its version and its ticket rules (docs/rules-semantics.md, "The
// file").
#include "rules/parse_detail.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>

namespace gp {

namespace {

using namespace rules_detail;

constexpr std::size_t max_name_length = 48;

bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// [a-z0-9][a-z0-9_-]{0,47}
bool is_valid_rule_name(std::string_view name) {
    if (name.empty() || name.size() > max_name_length || !is_name_start(name.front())) {
        return false;
    }
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return is_name_start(c) || c == '_' || c == '-'; });
}

void read_version(const bj::object& root, Rules& rules, Problems& problems) {
    const bj::value* version = required(root, "version", "", "the integer 1", problems);
    if (version == nullptr) {
        return;
    }
    if (!version->is_int64() && !version->is_uint64()) {
        problems.push_back({"version", "must be the integer 1, got " + shown(*version)});
    } else if (!version->is_int64() || version->get_int64() != 1) {
        problems.push_back(
            {"version", shown(*version) + " is not supported: this gdpr-purge reads version 1"});
    } else {
        rules.version = 1;
    }
}

void read_rule_name(const bj::object& object, const std::string& path, TicketRule& rule,
                    Problems& problems) {
    const std::string what = "a rule name such as \"old-questions\"";
    const bj::value* value = required(object, "name", path, what, problems);
    if (value == nullptr) {
        return;
    }
    const std::string name_path = json::append_key(path, "name");
    auto name = read_string(*value, name_path, what, problems);
    if (!name) {
        return;
    }
    if (!is_valid_rule_name(*name)) {
        problems.push_back({name_path, shown(*value) +
                                           " is not a valid rule name: use 1 to 48 characters "
                                           "a-z, 0-9, '_' and '-', starting with a-z or 0-9"});
    }
    rule.name = std::move(*name);
}

void read_rule_lists(const bj::object& object, const std::string& path, TicketRule& rule,
                     Problems& problems) {
    static constexpr ListKind groups{
        .items = "group names or ids", .item = "a group name or id", .ids = true, .emails = false};
    static constexpr ListKind types{
        .items = "ticket types", .item = "a ticket type", .ids = false, .emails = false};
    static constexpr ListKind tags{.items = "tags", .item = "a tag", .ids = false, .emails = false};
    if (const bj::value* value = object.if_contains("groups")) {
        rule.groups = read_name_list(*value, json::append_key(path, "groups"), groups, problems);
    }
    if (const bj::value* value = object.if_contains("types")) {
        rule.types = read_name_list(*value, json::append_key(path, "types"), types, problems);
    }
    if (const bj::value* value = object.if_contains("tags")) {
        rule.tags = read_name_list(*value, json::append_key(path, "tags"), tags, problems);
    }
}

void read_rule_timing(const bj::object& object, const std::string& path, TicketRule& rule,
                      Problems& problems) {
    static constexpr std::array since_choices{Since::closed, Since::created, Since::updated};
    static constexpr std::array scope_choices{Scope::contact, Scope::ticket};
    const auto at = [&](std::string_view key) { return json::append_key(path, key); };
    if (const auto* v = required(object, "older_than", path,
                                 "a duration from 1d to 4y such as "
                                 "\"180d\"",
                                 problems)) {
        if (auto d = read_duration(*v, at("older_than"), problems)) {
            rule.older_than = std::move(*d);
        }
    }
    if (const auto* v =
            required(object, "since", path, "\"closed\", \"created\" or \"updated\"", problems)) {
        rule.since = read_enum(*v, at("since"), since_choices, problems).value_or(rule.since);
    }
    if (const auto* v = required(object, "scope", path, "\"contact\" or \"ticket\"", problems)) {
        rule.scope = read_enum(*v, at("scope"), scope_choices, problems).value_or(rule.scope);
    }
}

TicketRule read_ticket_rule(const bj::value& value, const std::string& path, Problems& problems) {
    TicketRule rule;
    const bj::object* object = read_object(value, path, "a rule object", problems);
    if (object == nullptr) {
        return rule;
    }
    check_keys(*object, path, {"name", "groups", "types", "tags", "older_than", "since", "scope"},
               problems);
    read_rule_name(*object, path, rule, problems);
    read_rule_lists(*object, path, rule, problems);
    read_rule_timing(*object, path, rule, problems);
    return rule;
}

void read_ticket_rules(const bj::object& root, Rules& rules, Problems& problems) {
    const bj::value* value =
        required(root, "ticket_rules", "", "a list of 1 to 10 rules", problems);
    if (value == nullptr) {
        return;
    }
    const bj::array* list = value->if_array();
    if (list == nullptr) {
        problems.push_back(
            {"ticket_rules", "must be a list of 1 to 10 rules, got " + shown(*value)});
        return;
    } else if (list->empty()) {
        problems.push_back({"ticket_rules", "is empty: give at least 1 rule (at most 10)"});
    } else if (list->size() > max_ticket_rules) {
        problems.push_back({"ticket_rules", "has " + std::to_string(list->size()) +
                                                " rules: at most 10 are allowed"});
    }
    std::map<std::string, std::size_t, std::less<>> first_index;  // name -> first rule with it
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = json::append_index("ticket_rules", i);
        rules.ticket_rules.push_back(read_ticket_rule((*list)[i], path, problems));
        const std::string& name = rules.ticket_rules.back().name;
        const auto [it, added] = first_index.emplace(name, i);
        if (!added && !name.empty()) {
            problems.push_back({json::append_key(path, "name"),
                                bj::serialize(bj::string_view(name)) +
                                    " is already the name of ticket_rules[" +
                                    std::to_string(it->second) + "]: names must be unique"});
        }
    }
}

Rules read_document(const bj::value& document, Problems& problems) {
    Rules rules;
    const bj::object* root = document.if_object();
    if (root == nullptr) {
        problems.push_back({"",
                            "the document must be a JSON object with \"version\", "
                            "\"ticket_rules\" and \"contact_policy\", got " +
                                shown(document)});
        return rules;
    }
    check_keys(*root, "",
               {"version", "ticket_rules", "contact_policy", "orphan_contacts", "exceptions",
                "closed_statuses"},
               problems);
    read_version(*root, rules, problems);
    read_ticket_rules(*root, rules, problems);
    read_contact_policy(*root, rules.contact_policy, problems);
    read_orphan_contacts(*root, rules, problems);
    read_exceptions(*root, rules.exceptions, problems);
    read_closed_statuses(*root, rules, problems);
    return rules;
}

}  // namespace

RulesParseResult parse_rules(std::string_view json_text) {
    auto parsed = json::parse_strict(json_text);
    if (parsed.failure) {
        const json::ParseFailure& failure = *parsed.failure;
        return {std::nullopt,
                {{failure.path, "line " + std::to_string(failure.line) + ", column " +
                                    std::to_string(failure.column) + ": " + failure.message}}};
    }
    Problems problems;
    Rules rules = read_document(*parsed.value, problems);
    if (!problems.empty()) {
        return {std::nullopt, std::move(problems)};
    }
    return {std::move(rules), {}};
}

}  // namespace gp
