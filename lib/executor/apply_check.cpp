// Apply's re-check (docs/apply.md): before the first step of an entry, the contact's fresh facts
// must give the plan's decision again; an entry that an earlier run began is resumed when the
// fresh facts differ from the plan only by this plan's own steps. Pure: no I/O.
#include "executor/apply_detail.hpp"

#include "engine/engine.hpp"
#include "util/sorted.hpp"

#include <algorithm>
#include <iterator>
#include <set>

namespace gp::executor::detail {

namespace {

std::vector<Id> step_ids(const Entry& entry, StepAction action, std::size_t from) {
    std::vector<Id> ids;
    for (std::size_t k = from; k < entry.steps.size(); ++k) {
        if (entry.steps[k].action == action) {
            ids.insert(ids.end(), entry.steps[k].ticket_ids.begin(),
                       entry.steps[k].ticket_ids.end());
        }
    }
    sort_unique(ids);
    return ids;
}

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

std::string id_list(const std::vector<Id>& ids) {
    std::string out;
    for (Id id : ids) {
        out += (out.empty() ? "" : ", ") + std::to_string(id);
    }
    return out;
}

bool contains_id(const std::vector<TicketRecord>& tickets, Id id) {
    return std::any_of(tickets.begin(), tickets.end(),
                       [&](const TicketRecord& t) { return t.id == id; });
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
        // Live tickets of a contact that answers 404: an agent since the run began, a merge, or
        // a contact that was once an agent (its hard deletion keeps its tickets:
        // docs/rules-semantics.md, settled 21). Nothing is done on a guess.
        return skip(
            "the contact no longer answers but has live tickets (an agent now, merged, "
            "or once an agent)");
    }
    if (!planned_archived_ids(entry, next_step).empty()) {
        // Whether its archived tickets went with it is not known (a contact that was once an
        // agent keeps them): they are neither deleted on a guess nor claimed gone.
        return skip(
            "the contact no longer answers; the archived tickets the plan deletes are "
            "left for a new plan to decide");
    }
    // Its tickets list knows no such requester: gone for good (hard-deleted by an interrupted run
    // of this plan or by someone else, or merged away). Or, where the list answers so, a 404 with
    // no live ticket: hard-deleted.
    const std::string gone =
        std::string("the contact no longer exists") +
        (fresh.requester_gone ? " (the tickets list knows no such requester)" : "");
    if (takes_contact_for_good(entry, next_step)) {
        return {Verdict::done_already,
                fresh.requester_gone ? "already so: " + gone
                                     : "already so: the contact no longer exists (hard-deleted), "
                                       "none of its tickets is live"};
    }
    // A soft deletion, tickets alone, a pending mark: not done by this plan, and not to be
    // recorded as done (undo-soft would try to restore it).
    return skip(gone + ", and this entry does not delete it for good");
}

bool is_subject(const Entry& entry) {
    return rules_are(entry, EngineRule::subject);
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

// The planned archived tickets (of the steps from next_step on) against the archive index: each
// must still be known archived, unless an earlier run began the step (then the missing ones are
// this plan's own deletions). A planned live ticket archived since the plan stops the entry: its
// DELETE /tickets/{id} would answer 404 and leave it.
std::optional<Check> check_archived(const Entry& entry, std::size_t next_step, const Fresh& fresh,
                                    const RecheckContext& context) {
    for (Id id : step_ids(entry, StepAction::delete_tickets, next_step)) {
        if (contains_id(fresh.archived, id) && !contains_id(fresh.live, id)) {
            return skip("ticket " + std::to_string(id) +
                        " was archived since the plan: the contact waits for the next plan");
        }
    }
    const std::vector<Id> planned = planned_archived_ids(entry, next_step);
    std::vector<Id> unknown;
    std::copy_if(planned.begin(), planned.end(), std::back_inserter(unknown),
                 [&](Id id) { return !contains_id(fresh.archived, id); });
    if (unknown.empty() || context.begun) {
        return std::nullopt;
    }
    if (unknown.size() == planned.size()) {
        return skip("the archive index knows none of the archived tickets the plan deletes (" +
                    id_list(unknown) +
                    "): apply with the state directory the plan was made with, or make a new "
                    "plan");
    }
    return skip("archived ticket " + std::to_string(unknown.front()) +
                " is no longer archived per the archive index (gone before this run): the "
                "contact waits for the next plan");
}

std::string protection_text(const ProtectedContact& reason) {
    std::string text = "protected now: " + std::string(to_string(reason.reason));
    return reason.detail.empty() ? text : text + " (" + reason.detail + ")";
}

// This plan's own effects on the contact, visible before the step `next_step`: tickets of its
// delete_tickets steps already in the trash, archived ones of a begun step no longer archived, the
// contact soft-deleted or tagged by its deletion.
bool own_effects_visible(const Entry& entry, std::size_t next_step, const Fresh& fresh,
                         const RecheckContext& context) {
    if (next_step > 0) {
        return true;
    }
    const Contact& contact = *fresh.contact;
    for (Id id : planned_ticket_ids(entry)) {
        if (!contains_id(fresh.live, id)) {
            return true;
        }
    }
    for (Id id : planned_archived_ids(entry)) {
        if (context.begun && !contains_id(fresh.archived, id)) {
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

// A planned ticket still live, or a planned archived one (of a step not done) still archived.
bool any_planned_current(const Entry& entry, std::size_t next_step, const Fresh& fresh) {
    const std::vector<Id> planned = planned_ticket_ids(entry);
    const std::vector<Id> archived = planned_archived_ids(entry, next_step);
    const auto in = [](const std::vector<Id>& ids) {
        return [&ids](const TicketRecord& t) {
            return std::binary_search(ids.begin(), ids.end(), t.id);
        };
    };
    return std::any_of(fresh.live.begin(), fresh.live.end(), in(planned)) ||
           std::any_of(fresh.archived.begin(), fresh.archived.end(), in(archived));
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

// The planned tickets of `action` that are still there (live, or archived) must be selected again
// by the fresh decision's step of the same action; the first that is not, if any.
std::optional<Id> not_selected_again(const Entry& entry, const std::optional<Entry>& now,
                                     StepAction action, const std::vector<TicketRecord>& there) {
    const Step* planned = find_step(entry, action);
    if (planned == nullptr) {
        return std::nullopt;
    }
    const Step* fresh_step = now ? find_step(*now, action) : nullptr;
    for (Id id : planned->ticket_ids) {
        if (contains_id(there, id) &&
            (fresh_step == nullptr || !std::binary_search(fresh_step->ticket_ids.begin(),
                                                          fresh_step->ticket_ids.end(), id))) {
            return id;
        }
    }
    return std::nullopt;
}

// The fresh decision must be the plan's: every planned ticket still live, and every planned
// archived ticket still archived, selected again (a subset of a qualifying set qualifies too), and
// the same fate for the contact; for an entry without tickets, the same steps.
Check compare(const Entry& entry, const std::optional<Entry>& now, const Fresh& fresh) {
    if (find_step(entry, StepAction::delete_tickets) == nullptr &&
        find_step(entry, StepAction::delete_archived_tickets) == nullptr) {
        return now && now->steps == entry.steps ? Check{} : skip(now_planned(now));
    }
    if (auto id = not_selected_again(entry, now, StepAction::delete_tickets, fresh.live)) {
        return skip("ticket " + std::to_string(*id) +
                    " no longer qualifies under the plan's rules (changed since the plan); " +
                    now_planned(now));
    }
    if (auto id =
            not_selected_again(entry, now, StepAction::delete_archived_tickets, fresh.archived)) {
        return skip("archived ticket " + std::to_string(*id) +
                    " no longer qualifies under the plan's rules; " + now_planned(now));
    }
    if (contact_step(entry) && contact_step(entry) != (now ? contact_step(*now) : std::nullopt)) {
        return skip(now_planned(now));
    }
    return {};
}

}  // namespace

namespace {

// The protection that stops the entry: archive_incomplete is a hold the plan was made under (the
// fresh entry leaves out what it holds), not a protection.
const ProtectedContact* stopping_protection(const ContactVerdict& verdict) {
    for (const ProtectedContact& p : verdict.protection) {
        if (p.reason != ProtectionReason::archive_incomplete) {
            return &p;
        }
    }
    return nullptr;
}

}  // namespace

bool writes_contact_tags(const Entry& entry) {
    return std::any_of(entry.steps.begin(), entry.steps.end(), [](const Step& step) {
        return step.action == StepAction::mark_pending ||
               step.action == StepAction::clear_pending ||
               (step.action == StepAction::delete_contact && step.mode == DeleteMode::soft);
    });
}

std::vector<Id> planned_ticket_ids(const Entry& entry) {
    return step_ids(entry, StepAction::delete_tickets, 0);
}

std::vector<Id> planned_archived_ids(const Entry& entry, std::size_t from) {
    return step_ids(entry, StepAction::delete_archived_tickets, from);
}

Check recheck(const Entry& entry, std::size_t next_step, const Fresh& read, const Snapshot& names,
              const Rules& rules, UnixTime as_of, const RecheckContext& context) {
    // The archived tickets of steps recorded done are gone (this plan deleted them), whatever an
    // index not yet updated says.
    Fresh fresh = read;
    // `begun` speaks of the step next_step only: for the archived tickets, when it is theirs.
    RecheckContext own = context;
    own.begun = context.begun && next_step < entry.steps.size() &&
                entry.steps[next_step].action == StepAction::delete_archived_tickets;
    const std::vector<Id> deleted = step_ids(entry, StepAction::delete_archived_tickets, 0);
    const std::vector<Id> to_delete = planned_archived_ids(entry, next_step);
    std::erase_if(fresh.archived, [&](const TicketRecord& t) {
        return std::binary_search(deleted.begin(), deleted.end(), t.id) &&
               !std::binary_search(to_delete.begin(), to_delete.end(), t.id);
    });
    if (!fresh.contact) {
        return check_missing(entry, next_step, fresh, names);
    }
    if (fresh.blocked) {
        return skip("the contact is blocked");
    }
    if (auto problem = check_tickets(entry, fresh, rules)) {
        return *problem;
    }
    if (auto problem = check_archived(entry, next_step, fresh, own)) {
        return *problem;
    }
    Snapshot snapshot = names;
    snapshot.archive_complete = own.archive_complete;
    snapshot.contacts.push_back(*fresh.contact);
    for (const auto* list : {&fresh.live, &fresh.trash_and_spam}) {
        for (const TicketRecord& ticket : *list) {
            snapshot.add_ticket(ticket);
        }
    }
    for (TicketRecord ticket : fresh.archived) {
        ticket.archived = true;
        snapshot.add_ticket(ticket);
    }
    const ContactVerdict now = evaluate_contact(snapshot, rules, entry.contact_id, as_of);
    if (const ProtectedContact* protection = stopping_protection(now)) {
        return skip(protection_text(*protection));
    }
    if (is_subject(entry)) {
        return {};  // an erasure request holds while the contact is unprotected
    }
    if (find_step(entry, StepAction::clear_pending) != nullptr &&
        !pending_since(fresh.contact->tags)) {
        return {Verdict::done_already, "already so: no pending tag"};
    }
    if (!any_planned_current(entry, next_step, fresh) &&
        own_effects_visible(entry, next_step, fresh, own)) {
        return {};  // a begun entry whose tickets are gone resumes with its contact step
    }
    return compare(entry, now.entry, fresh);
}

}  // namespace gp::executor::detail
