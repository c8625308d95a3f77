#pragma once
// evaluate(snapshot, rules, as_of) -> plan: every rule of docs/rules-semantics.md lives here. Pure:
// no I/O, no clock. The caller fills the plan header's generated_at and account.
#include "account/account.hpp"
#include "plan/plan.hpp"
#include "rules/rules.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gp {

// The rules name something the account does not have (an unknown group, company or responder).
// Every such problem is listed, with its path in the rules file.
class RulesResolutionError : public std::runtime_error {
  public:
    explicit RulesResolutionError(std::vector<RulesProblem> problems);
    const std::vector<RulesProblem>& problems() const { return problems_; }

  private:
    std::vector<RulesProblem> problems_;
};

// The pending marker: "gdpr-purge-pending-YYYY-MM-DD", and the soft-deletion marker.
inline constexpr std::string_view pending_tag_prefix = "gdpr-purge-pending-";
inline constexpr std::string_view deleted_tag = "gdpr-purge-deleted";
std::string pending_tag(UnixTime day);
// Whether the tags hold `tag`, compared as rules.md compares names (case-insensitive, trimmed).
bool has_tag(const std::vector<std::string>& tags, std::string_view tag);
// The latest valid pending date among the tags (case-insensitive prefix); nothing when none is
// valid.
std::optional<UnixTime> pending_since(const std::vector<std::string>& tags);

// The contact's tags after a step (apply writes them; the forecast makes the same edits), from
// its current tags: every other tag kept as it is (order and case). Nothing when the tags would
// not change (the step is already so). A pending tag is one pending_since() reads.
std::optional<std::vector<std::string>> tags_marked(const std::vector<std::string>& tags,
                                                    const std::string& since);
std::optional<std::vector<std::string>> tags_cleared(const std::vector<std::string>& tags);
std::optional<std::vector<std::string>> tags_soft_deleted(const std::vector<std::string>& tags);

// Throws RulesResolutionError.
Plan evaluate(const Snapshot& snapshot, const Rules& rules, UnixTime as_of);

// The rules' names (groups, types, companies, responders) that the snapshot's account lacks: what
// evaluate() would refuse, found on the names alone (the snapshot need hold no contact or ticket).
std::vector<RulesProblem> unresolved_names(const Snapshot& names, const Rules& rules);
// Throws RulesResolutionError when unresolved_names() finds any: before the costly reads or steps.
void require_resolved(const Snapshot& names, const Rules& rules);

// An erasure request (GDPR Art. 17) instead of the rules: for each subject contact in the
// snapshot, all its live tickets (delete_tickets), all its archived tickets
// (delete_archived_tickets) and the contact itself, hard, whatever the contact policy says, and
// never held for an incomplete archive index;
// a protected subject (agent, exceptions) is listed as protected instead. The rules supply the
// exceptions only. Entries name the rule "subject". Ids that are no contact of the snapshot are
// ignored. Throws RulesResolutionError.
Plan evaluate_subjects(const Snapshot& snapshot, const Rules& rules,
                       const std::vector<Id>& subject_ids, UnixTime as_of);

// docs/plan.md, `ticket_ages`: for each ticket rule, in the rules' order, the current (live or
// archived) tickets its groups, types and tags accept, closed ones by age as the rule counts it,
// open ones apart. What the review page draws against the rule's threshold. Throws
// RulesResolutionError.
std::vector<AgeChart> ticket_ages(const Snapshot& snapshot, const Rules& rules, UnixTime as_of);

// docs/plan.md, `forecast`: what the rules would take on each of the `days` days after as_of
// (runs at as_of plus whole days) if a run happened every day, each doing what its plan says, and
// nothing else changed in the account. `today` is evaluate(snapshot, rules, as_of): its effects
// come first. The snapshot is taken by value: it becomes the account as the runs leave it, each
// day evaluated by evaluate() itself. Tickets moved to the trash stay there (Freshdesk empties
// its trash after 30 days; the forecast does not). Throws RulesResolutionError.
std::vector<ForecastDay> forecast(Snapshot snapshot, const Rules& rules, UnixTime as_of, int days,
                                  const Plan& today);

// One contact as evaluate() sees it, for apply's re-check of a planned entry against a fresh read
// (the snapshot then holds that contact, its live tickets, its archived tickets known to the
// archive index and the account's names and agents).
struct ContactVerdict {
    // The entry evaluate() would write for the contact if it were unprotected; nothing when no
    // rule, orphan, pending or purge decision applies, or when the snapshot's archive index is
    // incomplete and everything the decision would do is held (docs/rules-semantics.md, settled
    // 19). The hold shows only in the entry (its contact step missing): archive_incomplete is
    // never in `protection`.
    std::optional<Entry> entry;
    // Every protection that holds for the contact now (rules.md "protected"), decision or not.
    std::vector<ProtectedContact> protection;
};
// Throws RulesResolutionError, and std::invalid_argument when the snapshot lacks the contact.
ContactVerdict evaluate_contact(const Snapshot& snapshot, const Rules& rules, Id contact_id,
                                UnixTime as_of);

}  // namespace gp
