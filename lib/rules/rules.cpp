// The rules model's names, its canonical JSON form and hash, and reading a rules file.
#include "rules/rules.hpp"

#include "util/sha256.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace gp {

namespace bj = boost::json;

namespace {

// Rules files are a few kilobytes; the cap keeps a wrong path (a device, a huge log) from
// being read into memory.
constexpr std::size_t max_rules_file_bytes = 4 * 1024 * 1024;

bj::array string_array(const std::vector<std::string>& items) {
    bj::array out;
    for (const auto& item : items) {
        out.emplace_back(item);
    }
    return out;
}

// A duration as the file would write it; a model built in code may leave `text` empty.
std::string duration_text(const Duration& duration) {
    if (!duration.text.empty()) {
        return duration.text;
    }
    return std::to_string(duration.seconds / seconds_per_day) + "d";
}

bj::object rule_json(const TicketRule& rule) {
    bj::object out;
    out["name"] = rule.name;
    out["groups"] = string_array(rule.groups);
    out["types"] = string_array(rule.types);
    out["tags"] = string_array(rule.tags);
    out["older_than"] = duration_text(rule.older_than);
    out["since"] = to_string(rule.since);
    out["scope"] = to_string(rule.scope);
    return out;
}

bj::object policy_json(const ContactPolicy& policy) {
    bj::object out;
    out["keep_contact"] = policy.keep_contact;
    out["delete_mode"] = to_string(policy.delete_mode);
    out["delete_after"] =
        policy.delete_after.seconds == 0 ? "immediate" : duration_text(policy.delete_after);
    if (policy.purge_soft_deleted_after) {
        out["purge_soft_deleted_after"] = duration_text(*policy.purge_soft_deleted_after);
    } else {
        out["purge_soft_deleted_after"] = nullptr;
    }
    return out;
}

bj::value orphan_json(const std::optional<OrphanRule>& orphan) {
    if (!orphan) {
        return nullptr;
    }
    bj::object out;
    out["older_than"] = duration_text(orphan->older_than);
    out["since"] = to_string(orphan->since);
    return out;
}

bj::object exceptions_json(const Exceptions& exceptions) {
    bj::object out;
    out["tags"] = string_array(exceptions.tags);
    out["emails"] = string_array(exceptions.emails);
    out["companies"] = string_array(exceptions.companies);
    out["responders"] = string_array(exceptions.responders);
    return out;
}

// In Freshdesk's status order: Resolved (4) before Closed (5).
bj::array closed_statuses_json(const Rules& rules) {
    bj::array out;
    if (rules.resolved_is_closed) {
        out.emplace_back("resolved");
    }
    if (rules.closed_is_closed) {
        out.emplace_back("closed");
    }
    return out;
}

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

RulesParseResult unreadable(const std::string& why) {
    return {std::nullopt, {{"", "cannot read the file: " + why}}};
}

}  // namespace

bool Rules::has_tag_condition() const {
    return std::any_of(ticket_rules.begin(), ticket_rules.end(),
                       [](const TicketRule& rule) { return !rule.tags.empty(); });
}

bool Rules::uses_close_time() const {
    return std::any_of(ticket_rules.begin(), ticket_rules.end(),
                       [](const TicketRule& rule) { return rule.since == Since::closed; });
}

std::string_view to_string(Since since) {
    switch (since) {
        case Since::closed:
            return "closed";
        case Since::created:
            return "created";
        case Since::updated:
            return "updated";
    }
    return "?";
}

std::string_view to_string(Scope scope) {
    return scope == Scope::contact ? "contact" : "ticket";
}

std::string_view to_string(DeleteMode mode) {
    return mode == DeleteMode::hard ? "hard" : "soft";
}

std::optional<DeleteMode> parse_delete_mode(std::string_view text) {
    for (const DeleteMode mode : {DeleteMode::hard, DeleteMode::soft}) {
        if (to_string(mode) == text) {
            return mode;
        }
    }
    return std::nullopt;
}

std::string to_string(const RulesProblem& problem) {
    if (problem.path.empty()) {
        return problem.message;
    }
    if (problem.message.empty()) {
        return problem.path;
    }
    return problem.path + ": " + problem.message;
}

std::string canonical_json(const Rules& rules) {
    bj::object out;
    out["version"] = rules.version;
    bj::array ticket_rules;
    for (const auto& rule : rules.ticket_rules) {
        ticket_rules.emplace_back(rule_json(rule));
    }
    out["ticket_rules"] = std::move(ticket_rules);
    out["contact_policy"] = policy_json(rules.contact_policy);
    out["orphan_contacts"] = orphan_json(rules.orphan_contacts);
    out["exceptions"] = exceptions_json(rules.exceptions);
    out["closed_statuses"] = closed_statuses_json(rules);
    return bj::serialize(out);
}

std::string rules_sha256(const Rules& rules) {
    return sha256_hex(canonical_json(rules));
}

RulesParseResult load_rules_file(const std::string& path) {
    errno = 0;
    const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        return unreadable(std::strerror(errno));
    }
    std::string text;
    char buffer[8192];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
        text.append(buffer, got);
        if (text.size() > max_rules_file_bytes) {
            return unreadable("larger than 4 MiB, which is no rules file");
        }
    }
    if (std::ferror(file.get()) != 0) {
        return unreadable(std::strerror(errno));  // a directory reports EISDIR here
    }
    return parse_rules(text);
}

}  // namespace gp
