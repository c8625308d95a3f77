#pragma once
// The rules file (docs/rules-semantics.md) as a model, its parser/validator, and its canonical
// form.
#include "time/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gp {

enum class Since { closed, created, updated };
enum class Scope { contact, ticket };
enum class DeleteMode { hard, soft };

std::string_view to_string(Since since);
std::string_view to_string(Scope scope);
std::string_view to_string(DeleteMode mode);
// "hard" or "soft" (as to_string writes them); nothing for any other text. The one reading of a
// deletion mode: the rules, the plan's steps and the journal's lines go through it.
std::optional<DeleteMode> parse_delete_mode(std::string_view text);

inline constexpr std::size_t max_ticket_rules = 10;
inline constexpr std::int64_t min_older_than_seconds = seconds_per_day;         // 1d
inline constexpr std::int64_t max_older_than_seconds = 1460 * seconds_per_day;  // 4y

struct TicketRule {
    std::string name;
    std::vector<std::string>
        groups;  // names or numeric ids, as written (a JSON number becomes its digits)
    std::vector<std::string> types;
    std::vector<std::string> tags;
    Duration older_than;
    Since since = Since::closed;
    Scope scope = Scope::contact;
    friend bool operator==(const TicketRule&, const TicketRule&) = default;
};

struct ContactPolicy {
    bool keep_contact = true;
    DeleteMode delete_mode = DeleteMode::hard;         // meaningful when !keep_contact
    Duration delete_after{0, "immediate"};             // seconds == 0 means "immediate"
    std::optional<Duration> purge_soft_deleted_after;  // nullopt: never
    friend bool operator==(const ContactPolicy&, const ContactPolicy&) = default;
};

struct OrphanRule {
    Duration older_than;
    Since since = Since::updated;  // created or updated only
    friend bool operator==(const OrphanRule&, const OrphanRule&) = default;
};

struct Exceptions {
    std::vector<std::string> tags;
    std::vector<std::string> emails;
    std::vector<std::string> companies;   // names or ids
    std::vector<std::string> responders;  // agent emails
    friend bool operator==(const Exceptions&, const Exceptions&) = default;
};

struct Rules {
    int version = 1;
    std::vector<TicketRule> ticket_rules;
    ContactPolicy contact_policy;
    std::optional<OrphanRule> orphan_contacts;
    Exceptions exceptions;
    bool resolved_is_closed = false;  // closed_statuses contains "resolved"
    bool closed_is_closed = true;     // closed_statuses contains "closed"

    // Freshdesk status numbers: 4 Resolved, 5 Closed; everything else is open.
    bool counts_as_closed(int status) const {
        return (status == 4 && resolved_is_closed) || (status == 5 && closed_is_closed);
    }
    // The contact policy deletes contacts (hard or soft) rather than keeping them.
    bool deletes_contacts() const { return !contact_policy.keep_contact; }
    // The orphan rule applies: it is set and contacts are deleted.
    bool takes_orphans() const { return deletes_contacts() && orphan_contacts.has_value(); }
    // Some ticket rule selects by tag.
    bool has_tag_condition() const;
    // Some ticket rule counts its age from the close time.
    bool uses_close_time() const;
    // Field by field; parse_rules(canonical_json(r)) == r is the canonical form's promise.
    friend bool operator==(const Rules&, const Rules&) = default;
};

// One problem found in a rules file. `path` is a zero-based JSON path
// ("ticket_rules[2].older_than",
// "" for the document itself); `message` says what is wrong, and for a syntax error starts with
// "line L, column C:".
struct RulesProblem {
    std::string path;
    std::string message;
    friend bool operator==(const RulesProblem&, const RulesProblem&) = default;
};

struct RulesParseResult {
    std::optional<Rules> rules;  // set only when problems is empty
    std::vector<RulesProblem> problems;
};

// Parses and validates a rules document. Reports every problem, not only the first.
RulesParseResult parse_rules(std::string_view json_text);
// Reads a file and parses it; an unreadable file is a problem with an empty path.
RulesParseResult load_rules_file(const std::string& path);

// "ticket_rules[0].older_than: \"5y\" is longer than 4y" (path, then message; the path alone when
// the message is empty).
std::string to_string(const RulesProblem& problem);

// The canonical JSON text of parsed rules: every key present, fixed key order, no white space. It
// is what a plan embeds as "rules", and parse_rules(canonical_json(r)) gives r back.
std::string canonical_json(const Rules& rules);
// SHA-256 (hex) of canonical_json(rules): the plan's rules_sha256.
std::string rules_sha256(const Rules& rules);

}  // namespace gp
