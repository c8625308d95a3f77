// Apply's re-check (docs/apply.md): before the first step of an entry, the contact's fresh facts
// must give the plan's decision again; an entry that an earlier run began is resumed when the
// fresh facts differ from the plan only by this plan's own steps. Pure: no I/O.
#include "executor/apply_detail.hpp"

#include "engine/engine.hpp"

#include <algorithm>
#include <set>

namespace gp::executor::detail {

namespace {

bool takes_contact_for_good(const Entry& entry, std::size_t from) {
    return std::any_of(
        entry.steps.begin() + static_cast<std::ptrdiff_t>(from), entry.steps.end(),
        [](const Step& step) {
            return step.action == StepAction::purge_soft_deleted ||
                   (step.action == StepAction::delete_contact && step.mode == DeleteMode::hard);
        });
}

Check skip(std::string reason) {
    return {Verdict::skip, std::move(reason)};
}

// A contact that the plan's contact lookup no longer finds.
Check check_missing(const Entry& entry, std::size_t next_step, const Fresh& fresh,
                    const Snapshot& names) {
    const bool agent = std::any_of(names.agents.begin(), names.agents.end(),
                                   [&](const Agent& a) { return a.id == entry.contact_id; });
    if (agent) {
        return skip("contact " + std::to_string(entry.contact_id) + " is now an agent");
    }
    if (!fresh.live.empty()) {
        // A hard-deleted contact's tickets go with it; live ones mean an agent since the run
        // began, or a merge: nothing is done on a guess.
        return skip("the contact no longer answers but has live tickets (an agent now, or merged)");
    }
    if (takes_contact_for_good(entry, next_step)) {
        return {Verdict::done_already, "already so: the contact no longer exists (hard-deleted)"};
    }
    return skip("the contact no longer exists");
}

bool is_subject(const Entry& entry) {
    return entry.rules == std::vector<std::string>{"subject"};
}

// No new ticket, no planned ticket gone another way, no ticket of a rule's contact reopened.
std::optional<Check> check_tickets(const Entry& entry, const Fresh& fresh, const Rules& rules) {
    const bool subject = is_subject(entry);  // an erasure request takes open tickets too
    const std::set<Id> expected(entry.expect.ticket_ids.begin(), entry.expect.ticket_ids.end());
    const std::vector<Id> planned = planned_ticket_ids(entry);
    const bool deletes_by_rule = !subject && !planned.empty();
    std::set<Id> live;
    for (const TicketRecord& ticket : fresh.live) {
        live.insert(ticket.id);
        if (!expected.contains(ticket.id)) {
            return skip("new ticket " + std::to_string(ticket.id) + " since the plan");
        }
        // A rule acts only on a contact without open tickets: any open one stops the entry.
        if (deletes_by_rule && !rules.counts_as_closed(ticket.status)) {
            return skip("ticket " + std::to_string(ticket.id) + " was reopened (status " +
                        std::to_string(ticket.status) + ")");
        }
    }
    for (Id id : entry.expect.ticket_ids) {
        if (!live.contains(id) && !std::binary_search(planned.begin(), planned.end(), id)) {
            return skip("ticket " + std::to_string(id) +
                        " is no longer live (deleted, merged or marked spam since the plan)");
        }
    }
    return std::nullopt;
}

std::string protection_text(const ProtectedContact& reason) {
    std::string text = "protected now: " + std::string(to_string(reason.reason));
    return reason.detail.empty() ? text : text + " (" + reason.detail + ")";
}

// This plan's own effects on the contact, visible before the step `next_step`: tickets of its
// delete_tickets steps already in the trash, the contact soft-deleted or tagged by its deletion.
bool own_effects_visible(const Entry& entry, std::size_t next_step, const Fresh& fresh) {
    if (next_step > 0) {
        return true;
    }
    const Contact& contact = *fresh.contact;
    for (Id id : planned_ticket_ids(entry)) {
        const bool live = std::any_of(fresh.live.begin(), fresh.live.end(),
                                      [&](const TicketRecord& t) { return t.id == id; });
        if (!live) {
            return true;
        }
    }
    const Step& first = entry.steps.front();
    if (first.action != StepAction::delete_contact) {
        return false;
    }
    if (first.mode == DeleteMode::soft) {
        return has_tag(contact.tags, deleted_tag);  // soft-deleted by someone else is not ours
    }
    return contact.state == ContactState::soft_deleted;  // the hard path's first call
}

bool any_planned_live(const Entry& entry, const Fresh& fresh) {
    const std::vector<Id> planned = planned_ticket_ids(entry);
    return std::any_of(fresh.live.begin(), fresh.live.end(), [&](const TicketRecord& t) {
        return std::binary_search(planned.begin(), planned.end(), t.id);
    });
}

const Step* find_step(const Entry& entry, StepAction action) {
    const auto it = std::find_if(entry.steps.begin(), entry.steps.end(),
                                 [&](const Step& step) { return step.action == action; });
    return it == entry.steps.end() ? nullptr : &*it;
}

// What decides the contact's fate after its tickets: delete_contact (with its mode) or
// mark_pending; nothing when the entry leaves the contact.
std::optional<Step> contact_step(const Entry& entry) {
    for (const Step& step : entry.steps) {
        if (step.action == StepAction::delete_contact || step.action == StepAction::mark_pending) {
            return step;
        }
    }
    return std::nullopt;
}

std::string now_planned(const std::optional<Entry>& fresh) {
    if (!fresh) {
        return "the contact's current facts no longer give the plan's decision (nothing would be "
               "done now)";
    }
    return "the contact's current facts give another decision now: " + fresh->reason;
}

// The fresh decision must be the plan's: every planned ticket still live selected again (a subset
// of a qualifying set qualifies too), and the same fate for the contact; for an entry without
// tickets, the same steps.
Check compare(const Entry& entry, const std::optional<Entry>& now, const Fresh& fresh) {
    const Step* planned = find_step(entry, StepAction::delete_tickets);
    if (planned == nullptr) {
        return now && now->steps == entry.steps ? Check{} : skip(now_planned(now));
    }
    const Step* fresh_step = now ? find_step(*now, StepAction::delete_tickets) : nullptr;
    for (Id id : planned->ticket_ids) {
        const bool live = std::any_of(fresh.live.begin(), fresh.live.end(),
                                      [&](const TicketRecord& t) { return t.id == id; });
        if (live &&
            (fresh_step == nullptr || !std::binary_search(fresh_step->ticket_ids.begin(),
                                                          fresh_step->ticket_ids.end(), id))) {
            return skip("ticket " + std::to_string(id) +
                        " no longer qualifies under the plan's rules (changed since the plan); " +
                        now_planned(now));
        }
    }
    if (contact_step(entry) && contact_step(entry) != (now ? contact_step(*now) : std::nullopt)) {
        return skip(now_planned(now));
    }
    return {};
}

}  // namespace

std::vector<Id> planned_ticket_ids(const Entry& entry) {
    std::vector<Id> ids;
    for (const Step& step : entry.steps) {
        if (step.action == StepAction::delete_tickets) {
            ids.insert(ids.end(), step.ticket_ids.begin(), step.ticket_ids.end());
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

Check recheck(const Entry& entry, std::size_t next_step, const Fresh& fresh, const Snapshot& names,
              const Rules& rules, UnixTime as_of) {
    if (!fresh.contact) {
        return check_missing(entry, next_step, fresh, names);
    }
    if (fresh.blocked) {
        return skip("the contact is blocked");
    }
    if (auto problem = check_tickets(entry, fresh, rules)) {
        return *problem;
    }
    Snapshot snapshot = names;
    snapshot.contacts.push_back(*fresh.contact);
    for (const TicketRecord& ticket : fresh.live) {
        snapshot.add_ticket(ticket);
    }
    for (const TicketRecord& ticket : fresh.trash_and_spam) {
        snapshot.add_ticket(ticket);
    }
    const ContactVerdict now = evaluate_contact(snapshot, rules, entry.contact_id, as_of);
    if (!now.protection.empty()) {
        return skip(protection_text(now.protection.front()));
    }
    if (is_subject(entry)) {
        return {};  // an erasure request holds while the contact is unprotected
    }
    if (find_step(entry, StepAction::clear_pending) != nullptr &&
        !pending_since(fresh.contact->tags)) {
        return {Verdict::done_already, "already so: no pending tag"};
    }
    if (!any_planned_live(entry, fresh) && own_effects_visible(entry, next_step, fresh)) {
        return {};  // a begun entry whose tickets are gone resumes with its contact step
    }
    return compare(entry, now.entry, fresh);
}

}  // namespace gp::executor::detail
