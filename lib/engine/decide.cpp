// What the rules decide for one contact, as if it were unprotected (docs/rules.md): the purge of
// a soft-deleted contact, the pending wait, orphans, and the ticket rules with the contact policy.
// "The contact's tickets" are its current ones: live or archived. An archived ticket is closed
// whatever closed_statuses says, and its close time is its updated_at. While the archive index is
// incomplete (docs/rules-semantics.md, settled 19) every contact-level step is held.
#include "engine/evaluator.hpp"

#include "util/text.hpp"

#include <algorithm>

namespace gp::engine_detail {

Entry new_entry(const Contact& contact, const ContactTickets& tickets,
                std::optional<EngineRule> rule) {
    Entry entry;
    entry.contact_id = contact.id;
    entry.email_masked = mask_email(contact.email);
    if (rule) {
        entry.rules.emplace_back(to_string(*rule));
    }
    // The live tickets only: apply re-reads the ones the lists show (docs/apply.md).
    for (const Ticket* t : tickets.live) {
        entry.expect.ticket_ids.push_back(t->id);
    }
    entry.expect.contact_updated_at =
        contact.updated_at == no_time ? "" : format_timestamp(contact.updated_at);
    return entry;
}

Step delete_contact_step(DeleteMode mode) {
    Step step;
    step.action = StepAction::delete_contact;
    step.mode = mode;
    return step;
}

Step delete_tickets_step(StepAction action, std::vector<Id> ids) {
    Step step;
    step.action = action;
    step.ticket_ids = std::move(ids);
    return step;
}

UnixTime reference_time(const Ticket& ticket, Since since) {
    switch (since) {
        case Since::closed:
            if (ticket.archived) {
                return ticket.updated_at;  // never changed after archiving: its close time
            }
            return ticket.closed_at != no_time ? ticket.closed_at : ticket.updated_at;
        case Since::created:
            return ticket.created_at;
        case Since::updated:
            return ticket.updated_at;
    }
    return no_time;
}

namespace {

// A decision whose every step waits for the archive index: listed, not written.
Decision held_whole(const Contact& contact, const ContactTickets& tickets, std::string what) {
    Decision d{.entry = new_entry(contact, tickets, std::nullopt),
               .takes = true,
               .selection = {},
               .held = std::move(what)};
    return d;
}

// The same for an entry the engine rule `rule` decided: the hold names the rule.
Decision held_whole(const Contact& contact, const ContactTickets& tickets, EngineRule rule) {
    return held_whole(contact, tickets, std::string(to_string(rule)));
}

std::string contact_step_text(const Step& step) {
    std::string text(to_string(step.action));
    if (step.action == StepAction::delete_contact) {
        text += " (" + std::string(to_string(step.mode)) + ")";
    }
    return text;
}

// The close time of a live ticket without stats.closed_at is its updated_at, "at or before".
bool close_time_unknown(const Ticket& ticket, Since since) {
    return since == Since::closed && !ticket.archived && ticket.closed_at == no_time;
}

std::string_view newest_word(Since since) {
    switch (since) {
        case Since::closed:
            return "last closed";
        case Since::created:
            return "newest created";
        case Since::updated:
            return "last updated";
    }
    return "";
}

}  // namespace

std::optional<Decision> Evaluator::decide(const Contact& contact,
                                          const ContactTickets& tickets) const {
    if (contact.state == ContactState::soft_deleted) {
        return decide_purge(contact, tickets);
    }
    if (auto since = pending_since(contact.tags)) {
        return decide_pending(contact, tickets, *since);
    }
    // Only a live ticket can be open: an archived one is closed for good.
    const bool any_open =
        std::any_of(tickets.live.begin(), tickets.live.end(),
                    [&](const Ticket* t) { return !rules_.counts_as_closed(t->status); });
    if (any_open) {
        return std::nullopt;  // "if a ticket remains open, the rule is not applied"
    }
    if (tickets.current.empty()) {
        return decide_orphan(contact, tickets);
    }
    return decide_rules(contact, tickets);
}

std::optional<Decision> Evaluator::decide_purge(const Contact& contact,
                                                const ContactTickets& tickets) const {
    const auto& after = rules_.contact_policy.purge_soft_deleted_after;
    if (!deletes_contacts() || !after || !has_tag(contact.tags, deleted_tag) ||
        !aged(contact.updated_at, *after)) {
        return std::nullopt;
    }
    if (!tickets.current.empty()) {
        return std::nullopt;  // a ticket again (archived too): rules-semantics.md, settled 7
    }
    if (holding()) {
        return held_whole(contact, tickets, EngineRule::purge_soft_deleted);
    }
    Decision d{.entry = new_entry(contact, tickets, EngineRule::purge_soft_deleted),
               .takes = true,
               .selection = {},
               .held = {}};
    d.entry.reason = "soft-deleted by gdpr-purge, last updated " +
                     format_timestamp(contact.updated_at) + ", longer ago than " + after->text;
    d.entry.steps.push_back({StepAction::purge_soft_deleted, {}, DeleteMode::hard, {}});
    return d;
}

std::optional<Decision> Evaluator::decide_pending(const Contact& contact,
                                                  const ContactTickets& tickets,
                                                  UnixTime since) const {
    if (!tickets.current.empty()) {
        // Clearing the tag deletes nothing: never held.
        Decision d{.entry = new_entry(contact, tickets, EngineRule::pending),
                   .takes = false,
                   .selection = {},
                   .held = {}};
        d.entry.reason = "waiting since " + format_date(since) + ", has " +
                         std::to_string(tickets.current.size()) +
                         " ticket(s) again (first: " + std::to_string(tickets.current.front()->id) +
                         "): the wait is cancelled";
        d.entry.steps.push_back({StepAction::clear_pending, {}, DeleteMode::hard, {}});
        return d;
    }
    const auto& policy = rules_.contact_policy;
    const UnixTime due = since + policy.delete_after.seconds;
    if (!deletes_contacts() || as_of_ < due) {
        return std::nullopt;
    }
    if (holding()) {
        return held_whole(contact, tickets, EngineRule::pending);
    }
    Decision d{.entry = new_entry(contact, tickets, EngineRule::pending),
               .takes = true,
               .selection = {},
               .held = {}};
    d.entry.reason = "waiting since " + format_date(since) + " with no ticket left, due " +
                     format_date(due) + " (delete_after " + policy.delete_after.text + ")";
    d.entry.steps.push_back(delete_contact_step(policy.delete_mode));
    return d;
}

std::optional<Decision> Evaluator::decide_orphan(const Contact& contact,
                                                 const ContactTickets& tickets) const {
    const auto& orphan = rules_.orphan_contacts;
    // No ticket at all: live, trash, spam or archived.
    if (!rules_.takes_orphans() || !tickets.all.empty()) {
        return std::nullopt;
    }
    const UnixTime reference =
        orphan->since == Since::created ? contact.created_at : contact.updated_at;
    if (!aged(reference, orphan->older_than)) {
        return std::nullopt;
    }
    if (holding()) {
        return held_whole(contact, tickets, EngineRule::orphan_contacts);
    }
    Decision d{.entry = new_entry(contact, tickets, EngineRule::orphan_contacts),
               .takes = true,
               .selection = {},
               .held = {}};
    d.entry.reason = "no ticket at all, " + std::string(to_string(orphan->since)) + " " +
                     format_timestamp(reference) + ", older than " + orphan->older_than.text;
    d.entry.steps.push_back(delete_contact_step(rules_.contact_policy.delete_mode));
    return d;
}

std::optional<Decision> Evaluator::decide_rules(const Contact& contact,
                                                const ContactTickets& tickets) const {
    Selection selection = select(tickets.current);
    if (selection.size() == 0) {
        return std::nullopt;
    }
    if (holding()) {
        // A scope contact rule judged the contact as a whole, which an unknown archived ticket
        // may change: its entry is held whole (docs/rules-semantics.md, settled 19).
        std::string held;
        for (std::size_t r : selection.rules) {
            if (rules_.ticket_rules[r].scope == Scope::contact) {
                held += (held.empty() ? "rule " : ", rule ") + rules_.ticket_rules[r].name +
                        " (scope contact)";
            }
        }
        if (!held.empty()) {
            return held_whole(contact, tickets, std::move(held));
        }
    }
    Decision d{.entry = new_entry(contact, tickets, std::nullopt),
               .takes = true,
               .selection = {},
               .held = {}};
    for (std::size_t r : selection.rules) {
        d.entry.rules.push_back(rules_.ticket_rules[r].name);
    }
    std::string reason;
    for (const auto& part : selection.reasons) {
        reason += (reason.empty() ? "" : "; ") + part;
    }
    if (!selection.ticket_ids.empty()) {
        d.entry.steps.push_back(
            delete_tickets_step(StepAction::delete_tickets, selection.ticket_ids));
    }
    if (!selection.archived_ticket_ids.empty()) {
        reason += "; " + std::to_string(selection.archived_ticket_ids.size()) +
                  " archived ticket(s) deleted permanently (no trash, no undo)";
        d.entry.steps.push_back(delete_tickets_step(StepAction::delete_archived_tickets,
                                                    selection.archived_ticket_ids));
    }
    if (deletes_contacts() && selection.size() == tickets.current.size()) {
        add_contact_step(d, reason);
    }
    d.entry.reason = std::move(reason);
    d.selection = std::move(selection);
    return d;
}

// The contact policy once every current ticket is selected; held while the archive index is
// incomplete.
void Evaluator::add_contact_step(Decision& d, std::string& reason) const {
    const auto& policy = rules_.contact_policy;
    Step step = policy.delete_after.seconds == 0
                    ? delete_contact_step(policy.delete_mode)
                    : Step{StepAction::mark_pending, {}, DeleteMode::hard, format_date(as_of_)};
    if (holding()) {
        d.held = contact_step_text(step) + " waits for the archive index";
        reason += "; no ticket left: " + d.held;
        return;
    }
    if (step.action == StepAction::delete_contact) {
        reason += "; no ticket left: contact deleted (" +
                  std::string(to_string(policy.delete_mode)) + ")";
    } else {
        reason += "; no ticket left: contact deleted " + policy.delete_after.text + " from " +
                  format_date(as_of_) + " unless a new ticket comes";
    }
    d.entry.steps.push_back(std::move(step));
}

bool Evaluator::in_scope(const Ticket& ticket, const ResolvedRule& rule) const {
    if (!rule.groups.accepts(ticket.group_id) || !rule.types.accepts(ticket.type)) {
        return false;
    }
    if (rule.tags.any) {
        return true;
    }
    const auto tags = snapshot_.tags_of(ticket);
    return std::any_of(tags.begin(), tags.end(),
                       [&](NameRef tag) { return rule.tags.allowed.contains(tag); });
}

// Every rule alone against the contact's current tickets (all closed); a ticket selected by
// several rules counts once, for the first of them.
Selection Evaluator::select(const std::vector<const Ticket*>& current) const {
    Selection out;
    out.first_counts.assign(resolved_.ticket_rules.size(), 0);
    std::vector<bool> taken(current.size(), false);
    for (std::size_t r = 0; r < resolved_.ticket_rules.size(); ++r) {
        const ResolvedRule& rule = resolved_.ticket_rules[r];
        const TicketRule& spec = *rule.rule;
        std::vector<std::size_t> picked;
        UnixTime newest = no_time;
        bool newest_close_unknown = false;  // the newest time is an updated_at standing in
        for (std::size_t i = 0; i < current.size(); ++i) {
            const UnixTime reference = reference_time(*current[i], spec.since);
            const bool scoped = in_scope(*current[i], rule);
            if (reference > newest) {
                newest = reference;
                newest_close_unknown = close_time_unknown(*current[i], spec.since);
            }
            if (scoped && (spec.scope == Scope::contact || aged(reference, spec.older_than))) {
                picked.push_back(i);
            }
        }
        if (spec.scope == Scope::contact &&
            (picked.size() != current.size() || !aged(newest, spec.older_than))) {
            continue;  // one ticket out of scope, or one recent ticket, keeps the whole contact
        }
        if (picked.empty()) {
            continue;
        }
        out.rules.push_back(r);
        for (std::size_t i : picked) {
            if (!taken[i]) {
                taken[i] = true;
                ++out.first_counts[r];
            }
        }
        if (spec.scope == Scope::contact) {
            out.reasons.push_back(spec.name + ": all " + std::to_string(current.size()) +
                                  " tickets closed, " + std::string(newest_word(spec.since)) +
                                  (newest_close_unknown ? " at or before " : " ") +
                                  format_timestamp(newest) + ", older than " +
                                  spec.older_than.text);
        } else {
            out.reasons.push_back(spec.name + ": " + std::to_string(picked.size()) + " of " +
                                  std::to_string(current.size()) + " tickets closed and " +
                                  std::string(to_string(spec.since)) + " longer ago than " +
                                  spec.older_than.text);
        }
    }
    for (std::size_t i = 0; i < current.size(); ++i) {
        if (taken[i]) {
            (current[i]->archived ? out.archived_ticket_ids : out.ticket_ids)
                .push_back(current[i]->id);
        }
    }
    return out;
}

}  // namespace gp::engine_detail
