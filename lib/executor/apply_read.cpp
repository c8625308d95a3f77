// Apply's re-read of one contact (docs/apply.md, "Per entry", step 1): its view, its live tickets,
// for an orphan its tickets in the trash and spam, and what the archive index knows. A contact
// whose tickets list answers that no such requester exists is gone for good: that is a fact of
// the re-read, never a failure.
#include "executor/apply_detail.hpp"

#include "freshdesk/read.hpp"

#include <algorithm>

namespace gp::executor::detail {

namespace {

bool by_id(const TicketRecord& a, const TicketRecord& b) {
    return a.id < b.id;
}

// The contact is gone for good (its tickets list knows no such requester): whatever its view
// said a moment before (deleted since), the re-check sees a contact that no longer answers.
void requester_gone(Fresh& fresh) {
    fresh.contact.reset();
    fresh.blocked = false;
    fresh.live.clear();
    fresh.trash_and_spam.clear();
    fresh.requester_gone = true;
}

// The contact's live tickets; false when the tickets list knows no such requester.
bool read_live(const Entry& entry, const FreshRead& read, Fresh& fresh) {
    freshdesk::TicketQuery query;
    query.requester_id = entry.contact_id;
    const bool deletes_tickets = !planned_ticket_ids(entry).empty();
    query.stats_from =
        fresh.contact && deletes_tickets && read.rules.uses_close_time() ? 0 : no_time;
    std::vector<std::size_t> untagged;  // list items without tags (an unsure variant)
    try {
        freshdesk::for_each_ticket(read.client, query, [&](freshdesk::ListedTicket&& ticket) {
            if (!ticket.has_tags) {
                untagged.push_back(fresh.live.size());
            }
            fresh.live.push_back(std::move(ticket.record));
        });
    } catch (const freshdesk::RequesterGone&) {
        return false;
    }
    if (fresh.contact && deletes_tickets && read.rules.has_tag_condition()) {
        for (std::size_t i : untagged) {
            fresh.live[i].tags = freshdesk::ticket_tags(read.client, fresh.live[i].id);
        }
    }
    std::sort(fresh.live.begin(), fresh.live.end(), by_id);
    return true;
}

// A planned ticket no longer listed may have been archived since the plan (not deleted): the
// re-check then skips the entry rather than record a deletion that did not happen.
void probe_planned(const Entry& entry, const FreshRead& read, Fresh& fresh) {
    for (Id id : planned_ticket_ids(entry)) {
        const auto same = [id](const TicketRecord& t) { return t.id == id; };
        if (std::none_of(fresh.live.begin(), fresh.live.end(), same) &&
            std::none_of(fresh.archived.begin(), fresh.archived.end(), same)) {
            freshdesk::ArchivedProbe probe = freshdesk::probe_archived(read.client, id);
            if (probe.answer == freshdesk::ArchivedAnswer::archived) {
                if (read.archived_found) {
                    read.archived_found(probe.ticket);
                }
                fresh.archived.push_back(std::move(probe.ticket));
            }
        }
    }
    std::sort(fresh.archived.begin(), fresh.archived.end(), by_id);
}

// docs/rules.md, "Orphan contacts": an orphan has no ticket in the trash or in spam either; false
// when the tickets list knows no such requester.
bool read_trash_and_spam(const Entry& entry, const FreshRead& read, Fresh& fresh) {
    freshdesk::TicketQuery query;
    query.requester_id = entry.contact_id;
    try {
        for (const auto filter :
             {freshdesk::TicketFilter::deleted, freshdesk::TicketFilter::spam}) {
            query.filter = filter;
            freshdesk::for_each_ticket(read.client, query, [&](freshdesk::ListedTicket&& ticket) {
                fresh.trash_and_spam.push_back(std::move(ticket.record));
            });
        }
    } catch (const freshdesk::RequesterGone&) {
        return false;
    }
    return true;
}

}  // namespace

Fresh read_fresh(const Entry& entry, const FreshRead& read) {
    Fresh fresh;
    if (auto view = freshdesk::view_contact(read.client, entry.contact_id)) {
        fresh.contact = std::move(view->contact);
        fresh.blocked = view->blocked || read.blocked;
    }
    fresh.archived = read.archived;
    // Also for a contact that answers 404: its tickets list tells a hard deletion (no such
    // requester; or, on accounts that answer so, no live ticket) from an agent or a merge (some).
    if (!read_live(entry, read, fresh)) {
        requester_gone(fresh);
        return fresh;
    }
    if (fresh.contact && read.probe_archived) {
        probe_planned(entry, read, fresh);
    }
    const bool orphan = rules_name(entry, EngineRule::orphan_contacts);
    if (fresh.contact && orphan && !read_trash_and_spam(entry, read, fresh)) {
        requester_gone(fresh);
    }
    return fresh;
}

}  // namespace gp::executor::detail
