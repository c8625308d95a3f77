#include "plan/plan_read_values.hpp"

#include "time/time.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <span>

namespace gp::plan_read {

namespace bj = boost::json;

void fail(std::string_view path, std::string_view problem) {
    std::string message{path};
    message += path.empty() ? "" : ": ";
    message += problem;
    throw PlanFormatError(message);
}

std::string describe(const bj::value& value) {
    if (value.is_object()) {
        return "an object";
    }
    if (value.is_array()) {
        return "an array";
    }
    constexpr std::size_t longest = 60;
    std::string text = bj::serialize(value);
    if (text.size() > longest) {
        text = text.substr(0, longest) + "...";
    }
    return text;
}

Id to_id(const bj::value& value, const std::string& path) {
    if (!value.is_int64() || value.get_int64() <= 0) {
        fail(path, "expected a positive integer id, got " + describe(value));
    }
    return value.get_int64();
}

std::int64_t to_count(const bj::value& value, const std::string& path) {
    if (!value.is_int64() || value.get_int64() < 0) {
        fail(path, "expected a count (a non-negative integer), got " + describe(value));
    }
    return value.get_int64();
}

const bj::array& to_array(const bj::value& value, const std::string& path) {
    if (!value.is_array()) {
        fail(path, "expected an array, got " + describe(value));
    }
    return value.get_array();
}

namespace {

// Ascending without repeats: the order the writer gives, and what lets apply compare id lists.
std::vector<Id> to_ascending_ids(const bj::value& value, const std::string& path) {
    const auto& array = to_array(value, path);
    std::vector<Id> ids;
    ids.reserve(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        const Id id = to_id(array[i], json::append_index(path, i));
        if (!ids.empty() && id <= ids.back()) {
            fail(json::append_index(path, i), id == ids.back()
                                                  ? "duplicate id " + std::to_string(id)
                                                  : "ids must be ascending: " + std::to_string(id) +
                                                        " follows " + std::to_string(ids.back()));
        }
        ids.push_back(id);
    }
    return ids;
}

// "" stands for null, as the writer writes it.
std::string to_text_or_null(const bj::value& value, const std::string& path) {
    return value.is_null() ? std::string{} : to_text(value, path);
}

std::vector<std::string> to_rule_names(const bj::value& value, const std::string& path,
                                       const std::vector<std::string>& known_rules) {
    const auto& array = to_array(value, path);
    if (array.empty()) {
        fail(path, "empty: an entry names the rules that decided it");
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < array.size(); ++i) {
        std::string name = to_text(array[i], json::append_index(path, i));
        if (std::find(known_rules.begin(), known_rules.end(), name) == known_rules.end()) {
            fail(json::append_index(path, i),
                 "unknown rule " + describe(array[i]) +
                     ": neither a ticket rule of the plan's rules nor one "
                     "of orphan_contacts, pending, purge_soft_deleted, subject");
        }
        if (std::find(names.begin(), names.end(), name) != names.end()) {
            fail(json::append_index(path, i), "duplicate rule " + describe(array[i]));
        }
        names.push_back(std::move(name));
    }
    return names;
}

Expect to_expect(const bj::value& value, const std::string& path) {
    Fields fields(value, path);
    fields.allow_only({"ticket_ids", "contact_updated_at"});
    Expect expect;
    expect.ticket_ids = to_ascending_ids(fields.at("ticket_ids"), fields.path("ticket_ids"));
    const auto& updated_at = fields.at("contact_updated_at");
    if (!updated_at.is_null()) {
        expect.contact_updated_at = to_timestamp(updated_at, fields.path("contact_updated_at"));
    }
    return expect;
}

std::string_view field_of(StepAction action) {
    switch (action) {
        case StepAction::delete_tickets:
        case StepAction::delete_archived_tickets:
            return "ticket_ids";
        case StepAction::delete_contact:
            return "mode";
        case StepAction::mark_pending:
            return "since";
        case StepAction::clear_pending:
        case StepAction::purge_soft_deleted:
            break;
    }
    return {};
}

DeleteMode to_mode(const bj::value& value, const std::string& path) {
    const std::optional<DeleteMode> mode = parse_delete_mode(to_text(value, path));
    if (!mode) {
        fail(path, "unknown mode " + describe(value) + " (hard or soft)");
    }
    return *mode;
}

std::vector<Id> to_ticket_ids(const bj::value& value, const std::string& path, StepAction action,
                              const Expect& expect) {
    auto ids = to_ascending_ids(value, path);
    if (ids.empty()) {
        fail(path,
             "empty: a " + std::string(to_string(action)) + " step deletes at least one ticket");
    }
    const bool archived = action == StepAction::delete_archived_tickets;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        // Apply re-checks exactly expect.ticket_ids (the live tickets): a live ticket outside it
        // would be deleted unchecked, and an archived ticket is never a live one.
        const bool expected =
            std::binary_search(expect.ticket_ids.begin(), expect.ticket_ids.end(), ids[i]);
        if (!archived && !expected) {
            fail(json::append_index(path, i),
                 "ticket " + std::to_string(ids[i]) + " is not in the entry's expect.ticket_ids");
        }
        if (archived && expected) {
            fail(json::append_index(path, i),
                 "ticket " + std::to_string(ids[i]) +
                     " is in the entry's expect.ticket_ids (live tickets): "
                     "not an archived ticket");
        }
    }
    return ids;
}

Step to_step(const bj::value& value, const std::string& path, const Expect& expect) {
    Fields fields(value, path);
    const auto& action_value = fields.at("action");
    const auto action = parse_step_action(to_text(action_value, fields.path("action")));
    if (!action) {
        fail(fields.path("action"), "unknown action " + describe(action_value));
    }
    Step step;
    step.action = *action;
    const std::string_view field = field_of(*action);
    const std::array<std::string_view, 2> allowed{"action", field};
    fields.allow_only(std::span(allowed.data(), field.empty() ? 1 : 2),
                      "not a field of a " + std::string(to_string(*action)) + " step");
    if (field == "ticket_ids") {
        step.ticket_ids = to_ticket_ids(fields.at(field), fields.path(field), *action, expect);
    } else if (field == "mode") {
        step.mode = to_mode(fields.at(field), fields.path(field));
    } else if (field == "since") {
        step.since = to_text(fields.at(field), fields.path(field));
        if (!parse_date(step.since)) {
            fail(fields.path(field),
                 "expected a date YYYY-MM-DD, got " + describe(fields.at(field)));
        }
    }
    return step;
}

std::vector<Step> to_steps(const bj::value& value, const std::string& path, const Expect& expect) {
    const auto& array = to_array(value, path);
    if (array.empty()) {
        fail(path, "empty: an entry has at least one step");
    }
    std::vector<Step> steps;
    steps.reserve(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        steps.push_back(to_step(array[i], json::append_index(path, i), expect));
    }
    return steps;
}

}  // namespace

std::string to_text(const bj::value& value, const std::string& path) {
    if (!value.is_string()) {
        fail(path, "expected a string, got " + describe(value));
    }
    return std::string(value.get_string());
}

std::string to_timestamp(const bj::value& value, const std::string& path) {
    std::string text = to_text(value, path);
    if (!parse_timestamp(text)) {
        fail(path, "expected a UTC time YYYY-MM-DDTHH:MM:SSZ, got " + describe(value));
    }
    return text;
}

Rules to_rules(const bj::value& value, const std::string& path) {
    if (!value.is_object()) {
        fail(path, "expected an object, got " + describe(value));
    }
    // The rules parser is the one judge of a rules document; the captured value is small.
    auto result = parse_rules(bj::serialize(value));
    if (result.problems.empty() && result.rules) {
        return std::move(*result.rules);
    }
    std::string message;
    for (const auto& problem : result.problems) {
        message += message.empty() ? "" : "; ";
        // problem.path is already a path ("ticket_rules[1].older_than"), not a key to quote.
        message += path;
        message += problem.path.empty() || problem.path.front() == '[' ? "" : ".";
        message += problem.path + ": " + problem.message;
    }
    throw PlanFormatError(message.empty() ? path + ": not valid rules" : message);
}

Summary to_summary(const bj::value& value, const std::string& path) {
    Fields fields(value, path);
    std::array<std::string_view, summary_counts.size() + 2> keys{};
    for (std::size_t i = 0; i < summary_counts.size(); ++i) {
        keys[i] = summary_counts[i].key;
    }
    keys[summary_counts.size()] = "protected";
    keys[summary_counts.size() + 1] = "by_rule";
    fields.allow_only(keys, "unknown key");
    Summary summary;
    for (const SummaryCount& count : summary_counts) {
        if (count.optional &&
            !fields.object().contains(bj::string_view(count.key.data(), count.key.size()))) {
            continue;  // 0
        }
        summary.*count.member = to_count(fields.at(count.key), fields.path(count.key));
    }
    Fields reasons(fields.at("protected"), fields.path("protected"));
    std::array<std::string_view, protection_reason_count> reason_keys;
    for (std::size_t r = 0; r < protection_reason_count; ++r) {
        reason_keys[r] = to_string(static_cast<ProtectionReason>(r));
    }
    reasons.allow_only(reason_keys, "unknown protection reason");
    for (std::size_t r = 0; r < protection_reason_count; ++r) {
        const auto key = reason_keys[r];
        if (static_cast<ProtectionReason>(r) == ProtectionReason::archive_incomplete &&
            !reasons.object().contains(bj::string_view(key.data(), key.size()))) {
            continue;  // optional, as above
        }
        summary.protected_counts[r] = to_count(reasons.at(key), reasons.path(key));
    }
    Fields by_rule(fields.at("by_rule"), fields.path("by_rule"));
    for (const auto& item : by_rule.object()) {
        const std::string name(item.key());
        Fields count(item.value(), by_rule.path(name));
        count.allow_only({"contacts", "tickets"});
        summary.by_rule.push_back({name, to_count(count.at("contacts"), count.path("contacts")),
                                   to_count(count.at("tickets"), count.path("tickets"))});
    }
    return summary;
}

ArchiveCoverage to_archive(const bj::value& value, const std::string& path) {
    Fields fields(value, path);
    fields.allow_only({"feature", "complete", "highest_id", "archived_known", "gone_known",
                       "unprobed", "probes", "budget"});
    ArchiveCoverage archive;
    const auto& feature = fields.at("feature");
    if (!feature.is_null() && !feature.is_bool()) {
        fail(fields.path("feature"), "expected true, false or null, got " + describe(feature));
    }
    if (feature.is_bool()) {
        archive.feature = feature.get_bool();
    }
    const auto& complete = fields.at("complete");
    if (!complete.is_bool()) {
        fail(fields.path("complete"), "expected true or false, got " + describe(complete));
    }
    archive.complete = complete.get_bool();
    const std::pair<std::string_view, std::int64_t*> counts[] = {
        {"highest_id", &archive.highest_id}, {"archived_known", &archive.archived_known},
        {"gone_known", &archive.gone_known}, {"unprobed", &archive.unprobed},
        {"probes", &archive.probes},
    };
    for (const auto& [key, count] : counts) {
        *count = to_count(fields.at(key), fields.path(key));
    }
    const auto& budget = fields.at("budget");
    if (budget.is_string() && budget.get_string() == "all") {
        archive.budget = -1;
    } else if (budget.is_int64() && budget.get_int64() >= 0) {
        archive.budget = budget.get_int64();
    } else {
        fail(fields.path("budget"),
             "expected a count (a non-negative integer) or \"all\", got " + describe(budget));
    }
    return archive;
}

Entry to_entry(const bj::value& value, const std::string& path,
               const std::vector<std::string>& known_rules) {
    Fields fields(value, path);
    fields.allow_only({"contact_id", "email_masked", "rules", "reason", "expect", "steps"});
    Entry entry;
    entry.contact_id = to_id(fields.at("contact_id"), fields.path("contact_id"));
    entry.email_masked = to_text_or_null(fields.at("email_masked"), fields.path("email_masked"));
    entry.rules = to_rule_names(fields.at("rules"), fields.path("rules"), known_rules);
    entry.reason = to_text(fields.at("reason"), fields.path("reason"));
    entry.expect = to_expect(fields.at("expect"), fields.path("expect"));
    entry.steps = to_steps(fields.at("steps"), fields.path("steps"), entry.expect);
    return entry;
}

ProtectedContact to_protected(const bj::value& value, const std::string& path) {
    Fields fields(value, path);
    fields.allow_only({"contact_id", "reason", "detail"});
    ProtectedContact contact;
    contact.contact_id = to_id(fields.at("contact_id"), fields.path("contact_id"));
    const auto& reason_value = fields.at("reason");
    const auto reason = parse_protection_reason(to_text(reason_value, fields.path("reason")));
    if (!reason) {
        fail(fields.path("reason"), "unknown protection reason " + describe(reason_value));
    }
    contact.reason = *reason;
    contact.detail = to_text(fields.at("detail"), fields.path("detail"));
    return contact;
}

}  // namespace gp::plan_read
