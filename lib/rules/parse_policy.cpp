// The document's sections after the ticket rules: contact_policy, orphan_contacts, exceptions and
// closed_statuses (docs/rules-semantics.md, "The file").
#include "rules/parse_detail.hpp"

#include <algorithm>

namespace gp::rules_detail {

namespace {

constexpr std::string_view policy_path = "contact_policy";

// delete_after takes four exact values, not any duration: a Freshdesk-like choice list.
std::optional<Duration> read_delete_after(const bj::value& value, const std::string& path,
                                          Problems& problems) {
    static constexpr std::array<std::string_view, 4> choices{"immediate", "30d", "60d", "90d"};
    const std::string allowed = quoted_choices({"immediate", "30d", "60d", "90d"});
    const auto text = read_string(value, path, "one of " + allowed, problems);
    if (!text) {
        return std::nullopt;
    }
    if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
        problems.push_back({path, shown(value) + " is not allowed: use " + allowed});
        return std::nullopt;
    }
    if (*text == "immediate") {
        return Duration{0, *text};
    }
    return parse_duration(*text);
}

// delete_mode and delete_after: required only when contacts may be deleted, checked whenever given.
void read_deletion(const bj::object& object, std::optional<bool> keep_contact,
                   ContactPolicy& policy, Problems& problems) {
    static constexpr std::array mode_choices{DeleteMode::hard, DeleteMode::soft};
    const std::string path(policy_path);
    const bool needed = keep_contact == false;
    const bj::value* mode = object.if_contains("delete_mode");
    if (mode != nullptr) {
        policy.delete_mode =
            read_enum(*mode, json::append_key(path, "delete_mode"), mode_choices, problems)
                .value_or(policy.delete_mode);
    } else if (needed) {
        problems.push_back({json::append_key(path, "delete_mode"),
                            "is missing (required when keep_contact is false: \"hard\" or "
                            "\"soft\")"});
    }
    const bj::value* after = object.if_contains("delete_after");
    if (after != nullptr) {
        if (auto d = read_delete_after(*after, json::append_key(path, "delete_after"), problems)) {
            policy.delete_after = std::move(*d);
        }
    } else if (needed) {
        problems.push_back({json::append_key(path, "delete_after"),
                            "is missing (required when keep_contact is false: " +
                                quoted_choices({"immediate", "30d", "60d", "90d"}) + ")"});
    }
}

}  // namespace

void read_contact_policy(const bj::object& root, ContactPolicy& policy, Problems& problems) {
    const std::string path(policy_path);
    const bj::value* value = required(root, path, "", "an object with keep_contact", problems);
    const bj::object* object =
        value ? read_object(*value, path, "an object with keep_contact", problems) : nullptr;
    if (object == nullptr) {
        return;
    }
    check_keys(*object, path,
               {"keep_contact", "delete_mode", "delete_after", "purge_soft_deleted_after"},
               problems);
    std::optional<bool> keep;
    if (const bj::value* v = required(*object, "keep_contact", path, "true or false", problems)) {
        keep = read_bool(*v, json::append_key(path, "keep_contact"), problems);
        policy.keep_contact = keep.value_or(policy.keep_contact);
    }
    read_deletion(*object, keep, policy, problems);
    const bj::value* purge = object->if_contains("purge_soft_deleted_after");
    if (purge != nullptr && !purge->is_null()) {
        policy.purge_soft_deleted_after =
            read_duration(*purge, json::append_key(path, "purge_soft_deleted_after"), problems);
    }
}

void read_orphan_contacts(const bj::object& root, Rules& rules, Problems& problems) {
    static constexpr std::array since_choices{Since::created, Since::updated};
    const std::string path = "orphan_contacts";
    const bj::value* value = root.if_contains(path);
    // null reads as absent: no orphan rule (it is how the canonical form writes "none").
    if (value == nullptr || value->is_null()) {
        return;
    }
    const bj::object* object =
        read_object(*value, path, "an object {\"older_than\", \"since\"} or null", problems);
    if (object == nullptr) {
        return;
    }
    check_keys(*object, path, {"older_than", "since"}, problems);
    OrphanRule orphan;
    if (const bj::value* v = required(*object, "older_than", path,
                                      "a duration from 1d to 4y such as \"2y\"", problems)) {
        orphan.older_than = read_duration(*v, json::append_key(path, "older_than"), problems)
                                .value_or(orphan.older_than);
    }
    if (const bj::value* v =
            required(*object, "since", path, "\"created\" or \"updated\"", problems)) {
        orphan.since = read_enum(*v, json::append_key(path, "since"), since_choices, problems)
                           .value_or(orphan.since);
    }
    rules.orphan_contacts = std::move(orphan);
}

void read_exceptions(const bj::object& root, Exceptions& exceptions, Problems& problems) {
    static constexpr ListKind tags{.items = "tags", .item = "a tag", .ids = false, .emails = false};
    static constexpr ListKind emails{
        .items = "email addresses", .item = "an email address", .ids = false, .emails = true};
    static constexpr ListKind companies{.items = "company names or ids",
                                        .item = "a company name or id",
                                        .ids = true,
                                        .emails = false};
    static constexpr ListKind responders{.items = "agent email addresses",
                                         .item = "an agent's email address",
                                         .ids = false,
                                         .emails = true};
    const std::string path = "exceptions";
    const bj::value* value = root.if_contains(path);
    const bj::object* object =
        value ? read_object(*value, path, "an object of lists", problems) : nullptr;
    if (object == nullptr) {
        return;
    }
    check_keys(*object, path, {"tags", "emails", "companies", "responders"}, problems);
    const auto list = [&](std::string_view key, const ListKind& kind) {
        const bj::value* v = object->if_contains(key);
        return v ? read_name_list(*v, json::append_key(path, key), kind, problems)
                 : std::vector<std::string>{};
    };
    exceptions.tags = list("tags", tags);
    exceptions.emails = list("emails", emails);
    exceptions.companies = list("companies", companies);
    exceptions.responders = list("responders", responders);
}

void read_closed_statuses(const bj::object& root, Rules& rules, Problems& problems) {
    const std::string path = "closed_statuses";
    const bj::value* value = root.if_contains(path);
    if (value == nullptr) {
        return;  // the model's default: ["closed"]
    }
    const std::string what = "a list of \"resolved\", \"closed\" or both";
    const bj::array* list = value->if_array();
    if (list == nullptr || list->empty()) {
        problems.push_back({path, "must be " + what + ", got " + shown(*value)});
        return;
    }
    rules.resolved_is_closed = false;
    rules.closed_is_closed = false;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string item_path = json::append_index(path, i);
        const auto status =
            read_string((*list)[i], item_path, "\"resolved\" or \"closed\"", problems);
        bool* flag = !status                 ? nullptr
                     : *status == "resolved" ? &rules.resolved_is_closed
                     : *status == "closed"   ? &rules.closed_is_closed
                                             : nullptr;
        if (status && flag == nullptr) {
            problems.push_back(
                {item_path, shown((*list)[i]) + " is not allowed: use \"resolved\" or \"closed\""});
        } else if (flag != nullptr && *flag) {
            problems.push_back({item_path, shown((*list)[i]) + " is listed twice"});
        } else if (flag != nullptr) {
            *flag = true;
        }
    }
}

}  // namespace gp::rules_detail
