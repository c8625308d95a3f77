#pragma once
// The plan (docs/plan.md): the model, its deterministic JSON writer and its strict, streaming
// reader.
#include "rules/rules.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gp {

using Id = std::int64_t;

inline constexpr std::string_view plan_format_name = "gdpr-purge-plan";
inline constexpr int plan_format_version = 1;

enum class StepAction {
    delete_tickets,
    delete_archived_tickets,  // permanent: archived tickets have no trash
    delete_contact,
    mark_pending,
    clear_pending,
    purge_soft_deleted
};
std::string_view to_string(StepAction action);
// The inverse of to_string: nothing for a name that is not an action.
std::optional<StepAction> parse_step_action(std::string_view name);

struct Step {
    StepAction action = StepAction::delete_tickets;
    std::vector<Id> ticket_ids;          // delete_tickets, delete_archived_tickets: ascending
    DeleteMode mode = DeleteMode::hard;  // delete_contact only
    std::string since;                   // mark_pending only: "YYYY-MM-DD"
    friend bool operator==(const Step&, const Step&) = default;
};

struct Expect {
    std::vector<Id> ticket_ids;      // the contact's live tickets when planned, ascending
    std::string contact_updated_at;  // "YYYY-MM-DDTHH:MM:SSZ"
    friend bool operator==(const Expect&, const Expect&) = default;
};

// What decided an entry other than the ticket rules (docs/plan.md, `rules`): a soft-deleted
// contact's purge, a due or cleared pending tag, an orphan, an erasure request.
enum class EngineRule { orphan_contacts, pending, purge_soft_deleted, subject };
inline constexpr std::array<EngineRule, 4> engine_rules{
    EngineRule::orphan_contacts, EngineRule::pending, EngineRule::purge_soft_deleted,
    EngineRule::subject};
std::string_view to_string(EngineRule rule);
// The inverse of to_string: nothing for a name that is no engine rule (a ticket rule's, say).
std::optional<EngineRule> parse_engine_rule(std::string_view name);

struct Entry {
    Id contact_id = 0;
    std::string email_masked;        // "" is written as null (a contact without email)
    std::vector<std::string> rules;  // ticket rule names, or one EngineRule's name
    std::string reason;
    Expect expect;
    std::vector<Step> steps;
    friend bool operator==(const Entry&, const Entry&) = default;
};

// The entry's rules are exactly `rule`'s name (an erasure request's entry names "subject" alone).
bool rules_are(const Entry& entry, EngineRule rule);
// The entry's rules name `rule`.
bool rules_name(const Entry& entry, EngineRule rule);

// archive_incomplete is no protection but a hold (docs/rules-semantics.md, settled 19): a
// contact-level step that waits until the archive index is complete. It is listed like one.
enum class ProtectionReason {
    agent,
    exception_tag,
    exception_email,
    exception_company,
    responder,
    archive_incomplete
};
inline constexpr std::size_t protection_reason_count = 6;
std::string_view to_string(ProtectionReason reason);
std::optional<ProtectionReason> parse_protection_reason(std::string_view name);

struct ProtectedContact {
    Id contact_id = 0;
    ProtectionReason reason = ProtectionReason::agent;
    std::string detail;  // the tag, masked email or company name that matched; "" for agents
    friend bool operator==(const ProtectedContact&, const ProtectedContact&) = default;
};

struct RuleCount {
    std::string rule;
    std::int64_t contacts = 0;
    std::int64_t tickets = 0;
    friend bool operator==(const RuleCount&, const RuleCount&) = default;
};

struct Summary {
    std::int64_t contacts_read = 0;
    std::int64_t tickets_read = 0;
    std::int64_t contacts_to_delete = 0;          // delete_contact steps
    std::int64_t tickets_to_delete = 0;           // ids in delete_tickets steps
    std::int64_t archived_tickets_to_delete = 0;  // ids in delete_archived_tickets steps
    std::int64_t contacts_to_mark = 0;            // mark_pending steps
    std::int64_t marks_to_clear = 0;              // clear_pending steps
    std::int64_t soft_deleted_to_purge = 0;
    std::array<std::int64_t, protection_reason_count> protected_counts{};  // by ProtectionReason
    std::vector<RuleCount> by_rule;  // in the rules file's order
    friend bool operator==(const Summary&, const Summary&) = default;
};

// The summary's counts, in the plan's key order (docs/plan.md, `summary`): the one list that the
// plan's writer and reader, the command's summary line, the report and the metrics go through.
struct SummaryCount {
    std::string_view key;
    std::int64_t Summary::*member;
    std::string_view help;    // the metric's help: "Contacts the last plan read."
    bool read_count = false;  // what the plan read, not what it would do
    bool optional = false;    // absent from plans written before archived tickets were read: 0
};
inline constexpr std::array<SummaryCount, 8> summary_counts{{
    {.key = "contacts_read",
     .member = &Summary::contacts_read,
     .help = "Contacts the last plan read.",
     .read_count = true,
     .optional = false},
    {.key = "tickets_read",
     .member = &Summary::tickets_read,
     .help = "Tickets the last plan read.",
     .read_count = true,
     .optional = false},
    {.key = "contacts_to_delete",
     .member = &Summary::contacts_to_delete,
     .help = "Contacts the last plan would delete.",
     .read_count = false,
     .optional = false},
    {.key = "tickets_to_delete",
     .member = &Summary::tickets_to_delete,
     .help = "Tickets the last plan would move to the trash.",
     .read_count = false,
     .optional = false},
    {.key = "archived_tickets_to_delete",
     .member = &Summary::archived_tickets_to_delete,
     .help = "Archived tickets the last plan would delete permanently.",
     .read_count = false,
     .optional = true},
    {.key = "contacts_to_mark",
     .member = &Summary::contacts_to_mark,
     .help = "Contacts the last plan would mark for deletion after the wait.",
     .read_count = false,
     .optional = false},
    {.key = "marks_to_clear",
     .member = &Summary::marks_to_clear,
     .help = "Pending deletion marks the last plan would clear.",
     .read_count = false,
     .optional = false},
    {.key = "soft_deleted_to_purge",
     .member = &Summary::soft_deleted_to_purge,
     .help = "Soft-deleted contacts the last plan would purge.",
     .read_count = false,
     .optional = false},
}};

// What the plan knows of archived tickets (docs/plan.md, `archive`). Filled by the reader, not
// the engine. Absent from plans written before archived tickets were read.
struct ArchiveCoverage {
    std::optional<bool> feature;      // the account archives; nothing: nothing was asked
    bool complete = true;             // every id that may hide an archived ticket is known
    std::int64_t highest_id = 0;      // the highest ticket id the lists showed
    std::int64_t archived_known = 0;  // ids the index knows archived
    std::int64_t gone_known = 0;      // ids the index knows gone for good
    std::int64_t unprobed = 0;        // ids that may hide an archived ticket, not probed yet
    std::int64_t probes = 0;          // /tickets/archived/ calls of this run
    std::int64_t budget = -1;         // this run's --archive-budget; -1: all
    friend bool operator==(const ArchiveCoverage&, const ArchiveCoverage&) = default;
};

// What `plan` saw of the account's tickets for one ticket rule (docs/plan.md, `ticket_ages`): the
// closed tickets that the rule's groups, types and tags accept, by age counted as the rule counts
// it, in buckets of a quarter of its threshold (bucket 4 starts at the threshold), the rest in
// `older`; its open tickets, never touched, in `open`. For the review page's chart.
struct AgeChart {
    std::string rule;
    Since since = Since::closed;
    std::int64_t threshold_days = 0;
    std::int64_t bucket_days = 0;
    std::vector<std::int64_t> counts;  // age_chart_buckets buckets, youngest first
    std::int64_t older = 0;
    std::int64_t open = 0;
    friend bool operator==(const AgeChart&, const AgeChart&) = default;
};
inline constexpr std::size_t age_chart_buckets = 16;

// What the rules would take on one coming day (docs/plan.md, `forecast`), if a run happened each
// day and nothing else changed in the account.
struct ForecastDay {
    std::string date;                   // "YYYY-MM-DD"
    std::int64_t tickets = 0;           // ids of delete_tickets steps
    std::int64_t archived_tickets = 0;  // ids of delete_archived_tickets steps
    std::int64_t contacts = 0;          // delete_contact steps
    std::int64_t marked = 0;            // mark_pending steps
    std::int64_t purged = 0;            // purge_soft_deleted steps
    friend bool operator==(const ForecastDay&, const ForecastDay&) = default;
};
inline constexpr int max_forecast_days = 366;

struct PlanHeader {
    int format_version = plan_format_version;
    std::string generated_at;
    std::string as_of;
    // A time at or before the account's reading began, by the account's clock (docs/plan.md):
    // apply looks for the changes made since. "" (absent): a plan of an earlier version, or not
    // read from an account; apply then re-reads every contact.
    std::string read_started_at;
    // The highest ticket id the reading saw (0: not known; with read_started_at): apply looks at
    // the ids above it, the tickets created since.
    Id highest_ticket_id = 0;
    std::string account;
    std::string rules_sha256;
    Rules rules;
    Summary summary;
    std::optional<ArchiveCoverage> archive;
    // Both optional (format_version 1 grew them): absent from plans of earlier versions, and from
    // plans of erasure requests (no ticket_ages) or made without --forecast.
    std::optional<std::vector<AgeChart>> ticket_ages;
    std::optional<std::vector<ForecastDay>> forecast;  // one per day after as_of's day
};

struct Plan {
    PlanHeader header;
    std::vector<Entry> entries;                        // ascending contact_id
    std::vector<ProtectedContact> protected_contacts;  // ascending contact_id, then reason
};

// Writes the plan as JSON: fixed key order, two-space indentation, entries in the order given.
// Streams entry by entry; nothing is built twice.
void write_plan(std::ostream& out, const Plan& plan);

// A malformed plan: syntax, missing or unknown keys, wrong types, unsorted entries, a rules_sha256
// that does not match the rules, or a file of another format ("not a gdpr-purge plan: ..."). The
// message says where ("entries[3].steps[0].action: ...").
class PlanFormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A gdpr-purge plan of an unknown major format version.
class PlanVersionError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Receives a plan as it is read: the header once, before the first entry, then each entry and each
// protected contact in file order. Memory stays bounded by one entry.
struct PlanVisitor {
    std::function<void(const PlanHeader&)> on_header;
    std::function<void(Entry&&)> on_entry;
    std::function<void(ProtectedContact&&)> on_protected;
};

// Reads a plan strictly. "format" and "format_version" must come first (the writer puts them
// there), so that no entry is handed out before the version is known. Throws PlanFormatError or
// PlanVersionError.
void read_plan(std::istream& in, const PlanVisitor& visitor);
// Convenience: the whole plan in memory.
Plan read_plan(std::istream& in);
Plan read_plan_file(const std::string& path);

}  // namespace gp
