#pragma once
// Private to lib/engine: the evaluator behind evaluate(), evaluate_subjects() and
// evaluate_contact(). engine.cpp holds the runs, the protection and the plan's bookkeeping;
// decide.cpp what the rules decide for one contact (docs/rules.md).
#include "engine/engine.hpp"
#include "engine/resolve.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gp::engine_detail {

struct ContactTickets {
    std::vector<const Ticket*> all;      // every ticket read: live, trash, spam, archived
    std::vector<const Ticket*> live;     // shown by the lists; ascending id
    std::vector<const Ticket*> current;  // live or archived: "the contact's tickets"; ascending id
};

// What the rules select among a contact's current tickets (all closed).
struct Selection {
    std::vector<Id> ticket_ids;              // live ones: delete_tickets
    std::vector<Id> archived_ticket_ids;     // archived ones: delete_archived_tickets
    std::vector<std::size_t> rules;          // indices of the rules that selected at least one
    std::vector<std::int64_t> first_counts;  // per rule: tickets it selected first
    std::vector<std::string> reasons;
    std::size_t size() const { return ticket_ids.size() + archived_ticket_ids.size(); }
};

// A decision taken as if the contact were unprotected.
struct Decision {
    Entry entry;         // without steps when everything it would do is held
    bool takes = false;  // deletes something (as opposed to clearing a pending tag)
    Selection selection;
    // What waits for the archive index (docs/rules-semantics.md, settled 19); "" when nothing.
    std::string held;
};

class Evaluator {
  public:
    Evaluator(const Snapshot& snapshot, const Rules& rules, UnixTime as_of);

    Plan run();
    Plan run_subjects(std::vector<Id> subject_ids);
    ContactVerdict run_contact(Id contact_id);
    std::vector<AgeChart> age_charts() const;  // ages.cpp

  private:
    // engine.cpp
    Plan new_plan() const;
    std::vector<const Contact*> sorted_contacts() const;
    void record_protected(Plan& plan, std::vector<ProtectedContact>&& reasons) const;
    void index_tickets();
    ContactTickets tickets_of(Id contact_id) const;
    std::vector<ProtectedContact> protection(const Contact& contact,
                                             const ContactTickets& tickets) const;
    void record(Plan& plan, Decision&& decision);
    void protect_agents(Plan& plan, const std::vector<const Contact*>& contacts) const;

    // decide.cpp
    std::optional<Decision> decide(const Contact& contact, const ContactTickets& tickets) const;
    std::optional<Decision> decide_purge(const Contact& contact,
                                         const ContactTickets& tickets) const;
    std::optional<Decision> decide_pending(const Contact& contact, const ContactTickets& tickets,
                                           UnixTime since) const;
    std::optional<Decision> decide_orphan(const Contact& contact,
                                          const ContactTickets& tickets) const;
    std::optional<Decision> decide_rules(const Contact& contact,
                                         const ContactTickets& tickets) const;
    void add_contact_step(Decision& d, std::string& reason) const;
    Selection select(const std::vector<const Ticket*>& current) const;
    bool in_scope(const Ticket& ticket, const ResolvedRule& rule) const;

    bool aged(UnixTime reference, const Duration& age) const {
        return age.passed(reference, as_of_);
    }
    bool deletes_contacts() const { return rules_.deletes_contacts(); }
    // docs/rules-semantics.md, settled 19: contact-level steps wait while the archive index is
    // incomplete.
    bool holding() const { return !snapshot_.archive_complete; }

    const Snapshot& snapshot_;
    const Rules& rules_;
    UnixTime as_of_;
    ResolvedRules resolved_;
    std::vector<std::uint32_t> by_requester_;  // ticket indices sorted by (requester, id)
};

// An entry for the contact, without steps: its expected live tickets and update time, and `rule`
// in its rules (nothing: the caller names the ticket rules, or the entry is held).
Entry new_entry(const Contact& contact, const ContactTickets& tickets,
                std::optional<EngineRule> rule);
Step delete_contact_step(DeleteMode mode);
Step delete_tickets_step(StepAction action, std::vector<Id> ids);
// The time a ticket's age is counted from, for a rule counting `since` it (docs/rules.md).
UnixTime reference_time(const Ticket& ticket, Since since);

}  // namespace gp::engine_detail
