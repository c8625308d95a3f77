#include "plan/plan.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace gp {

namespace {

// One table per enum, so that to_string and its inverse cannot drift apart.
constexpr std::array<std::pair<StepAction, std::string_view>, 6> action_names{{
    {StepAction::delete_tickets, "delete_tickets"},
    {StepAction::delete_archived_tickets, "delete_archived_tickets"},
    {StepAction::delete_contact, "delete_contact"},
    {StepAction::mark_pending, "mark_pending"},
    {StepAction::clear_pending, "clear_pending"},
    {StepAction::purge_soft_deleted, "purge_soft_deleted"},
}};

constexpr std::array<std::pair<ProtectionReason, std::string_view>, protection_reason_count>
    reason_names{{
        {ProtectionReason::agent, "agent"},
        {ProtectionReason::exception_tag, "exception_tag"},
        {ProtectionReason::exception_email, "exception_email"},
        {ProtectionReason::exception_company, "exception_company"},
        {ProtectionReason::responder, "responder"},
        {ProtectionReason::archive_incomplete, "archive_incomplete"},
    }};

constexpr std::array<std::pair<EngineRule, std::string_view>, engine_rules.size()>
    engine_rule_names{{
        {EngineRule::orphan_contacts, "orphan_contacts"},
        {EngineRule::pending, "pending"},
        {EngineRule::purge_soft_deleted, "purge_soft_deleted"},
        {EngineRule::subject, "subject"},
    }};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         Enum value) {
    for (const auto& [item, name] : table) {
        if (item == value) {
            return name;
        }
    }
    return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view name) {
    for (const auto& [item, item_name] : table) {
        if (item_name == name) {
            return item;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(StepAction action) {
    return name_of(action_names, action);
}

std::optional<StepAction> parse_step_action(std::string_view name) {
    return value_of(action_names, name);
}

std::string_view to_string(EngineRule rule) {
    return name_of(engine_rule_names, rule);
}

std::optional<EngineRule> parse_engine_rule(std::string_view name) {
    return value_of(engine_rule_names, name);
}

bool rules_are(const Entry& entry, EngineRule rule) {
    return entry.rules.size() == 1 && entry.rules.front() == to_string(rule);
}

bool rules_name(const Entry& entry, EngineRule rule) {
    return std::find(entry.rules.begin(), entry.rules.end(), to_string(rule)) != entry.rules.end();
}

std::string_view to_string(ProtectionReason reason) {
    return name_of(reason_names, reason);
}

std::optional<ProtectionReason> parse_protection_reason(std::string_view name) {
    return value_of(reason_names, name);
}

}  // namespace gp
