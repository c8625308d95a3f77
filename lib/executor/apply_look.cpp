// Apply's look for changes (docs/apply.md, "The look for changes"): the account's changes since the
// plan's reading, listed in bulk, tell which contacts changed; only those are re-read one by one.
#include "executor/apply_detail.hpp"

#include "freshdesk/write.hpp"
#include "util/text.hpp"

#include <algorithm>

namespace gp::executor::detail {

namespace {

enum Cursor : std::size_t { live, trash, spam, contacts, soft_deleted };

struct Enough {};  // the census passed its pages: views are cheaper

}  // namespace

void Looks::Expected::add(const Entry& entry) {
    // An unreadable time compares unequal to every contact's: the contact counts as changed.
    contact_updated[entry.contact_id] =
        parse_timestamp(entry.expect.contact_updated_at).value_or(no_time);
    for (Id id : entry.expect.ticket_ids) {
        owner[id] = entry.contact_id;
    }
    for (const Step& step : entry.steps) {
        for (Id id : step.ticket_ids) {
            owner[id] = entry.contact_id;
        }
    }
}

Looks::Looks(freshdesk::Client& client, Expected expected, const Settings& settings)
    : client_(client),
      settings_(settings),
      owner_(std::move(expected.owner)),
      contact_updated_(std::move(expected.contact_updated)),
      highest_(settings.highest_ticket_id) {
    cursors_.fill(settings.from);
}

Looks::Seen Looks::check(Id contact_id) {
    const auto age = [this]() -> std::optional<std::chrono::steady_clock::duration> {
        std::lock_guard lock(mutex_);
        if (!last_look_) {
            return std::nullopt;
        }
        return std::chrono::steady_clock::now() - *last_look_;
    };
    const auto stale = [&] {
        const auto a = age();
        return !a || *a > settings_.max_age;
    };
    if (stale()) {
        // Too old to rely on: wait for the look (made here, or by the thread already making it).
        // A look that took longer than max_age itself (rate-limit waits: the plan's minute) is
        // stale when it ends: one more, at once.
        std::lock_guard look_lock(look_mutex_);
        if (!census_done_) {
            census();
        }
        for (int tries = 0; tries < 2 && stale(); ++tries) {
            look();
        }
    } else if (const auto a = age(); a && *a > settings_.max_age / 2) {
        // Half its age gone: one thread makes the next look while the others go on with this one.
        std::unique_lock look_lock(look_mutex_, std::try_to_lock);
        if (look_lock.owns_lock() && age() > settings_.max_age / 2) {
            look();
        }
    }
    std::lock_guard lock(mutex_);
    Seen seen;
    seen.look_started = *last_look_;
    seen.changed = changed_.contains(contact_id);
    seen.known = listed_.contains(contact_id);
    return seen;
}

bool Looks::agent_email(const std::string& email) const {
    std::lock_guard lock(mutex_);
    return !email.empty() && agent_emails_.contains(normalize_name(email));
}

std::vector<Agent> Looks::agents() const {
    std::lock_guard lock(mutex_);
    return agents_;
}

bool Looks::blocked(Id contact_id) const {
    std::lock_guard lock(mutex_);
    return blocked_.contains(contact_id);
}

std::int64_t Looks::looks() const {
    std::lock_guard lock(mutex_);
    return looks_;
}

void Looks::mark(Id contact_id) {
    std::lock_guard lock(mutex_);
    changed_.insert(contact_id);
}

// A listed contact of an entry: changed when its record is not the plan's; its email is kept for
// the agents' (an agent with its email protects it: docs/rules.md).
void Looks::note_contact(const freshdesk::ContactItem& contact) {
    const auto it = contact_updated_.find(contact.id);
    if (it == contact_updated_.end()) {
        return;
    }
    if (it->second != contact.updated_at) {
        mark(contact.id);
    }
    std::lock_guard lock(mutex_);
    emails_[contact.id] = normalize_name(contact.email);
}

// Before the first look: every contact, live and soft-deleted, within settings_.listing_pages pages
// (a page is 100 contacts, a credit). Complete: an entry's contact that neither list shows is gone
// (hard-deleted, merged away, an agent now). Else the contacts it did show are known, and the
// others are viewed before their first write. The looks' contacts lists then start where it began.
void Looks::census() {
    const std::optional<UnixTime> clock = client_.account_clock();
    if (settings_.listing_pages > 0 && list_every_contact() && clock) {
        std::lock_guard lock(mutex_);
        cursors_[contacts] = *clock;
        cursors_[soft_deleted] = *clock;
    }
    census_done_ = true;
}

bool Looks::list_every_contact() {
    std::int64_t rows = 0;
    const std::int64_t most = settings_.listing_pages * 100;
    try {
        for (const bool deleted : {false, true}) {
            freshdesk::ContactQuery query;
            query.deleted = deleted;
            freshdesk::for_each_contact(client_, query, [&](freshdesk::ContactItem&& contact) {
                if (++rows > most) {
                    throw Enough{};
                }
                note_contact(contact);
                if (contact_updated_.contains(contact.id)) {
                    std::lock_guard lock(mutex_);
                    listed_.insert(contact.id);
                }
            });
        }
    } catch (const Enough&) {
        return false;
    }
    std::lock_guard lock(mutex_);
    for (const auto& [id, updated] : contact_updated_) {
        if (!listed_.contains(id)) {
            changed_.insert(id);  // not listed: no longer a live or soft-deleted contact
        }
    }
    return true;
}

// Ticket ids are given in order: every live ticket above the plan's highest id is one created
// since. The ids above it that no list of this look showed (a ticket created with an earlier time,
// one in the trash or spam that the plan did not read, or one gone again) are looked at one by one,
// and so is the next id above the highest known, until one answers 404.
void Looks::probe_new_ids(const std::unordered_set<Id>& listed) {
    if (highest_ == 0) {
        return;  // a plan that does not say (hand-made): the lists alone
    }
    Id top = highest_;
    for (Id id : listed) {
        top = std::max(top, id);
    }
    const auto look_at = [&](Id id) {
        const freshdesk::TicketLookup lookup = freshdesk::view_ticket_state(client_, id);
        if (freshdesk::stops_run(lookup.result.http_status, lookup.result.code)) {
            throw freshdesk::ApiError(lookup.result.message, lookup.result.http_status,
                                      lookup.result.code);
        }
        if (!lookup.state) {
            // Not known: whoever it belongs to might be an entry's contact. Every entry is
            // re-read, the safe reading (a failed call here is rare).
            for (const auto& [contact, updated] : contact_updated_) {
                mark(contact);
            }
            return false;
        }
        if (*lookup.state == freshdesk::TicketState::gone) {
            return false;
        }
        // Live: the plan's reading would have listed it, so it is new. In the trash or spam: the
        // plan may not have read those; one put there since shows in their lists.
        if (*lookup.state == freshdesk::TicketState::live &&
            contact_updated_.contains(lookup.requester_id)) {
            mark(lookup.requester_id);
        }
        return true;
    };
    for (Id id = highest_ + 1; id <= top; ++id) {
        if (!listed.contains(id)) {
            look_at(id);
        }
    }
    while (look_at(top + 1)) {
        ++top;
    }
    std::lock_guard lock(mutex_);
    highest_ = top;
}

// One look, under look_mutex_. Where each list starts next time: the account's clock before this
// look (the Date header), less the overlap; without it, the newest updated_at a tickets list showed
// (it is ordered by updated_at: what changed while it was read shows now or after that time) and,
// for the contacts lists (ordered by name), where this look started.
void Looks::look() {
    const auto started = std::chrono::steady_clock::now();
    const std::optional<UnixTime> clock = client_.account_clock();
    std::array<UnixTime, 5> next;
    {
        std::lock_guard lock(mutex_);
        next = cursors_;
    }
    const std::array<UnixTime, 5> since = next;
    const auto in_plan = [this](Id contact_id) { return contact_updated_.contains(contact_id); };

    std::unordered_set<Id> new_ids;  // ticket ids above highest_ that the lists showed
    const std::pair<freshdesk::TicketFilter, Cursor> ticket_lists[] = {
        {freshdesk::TicketFilter::live, live},
        {freshdesk::TicketFilter::deleted, trash},
        {freshdesk::TicketFilter::spam, spam}};
    for (const auto& list : ticket_lists) {
        // Not a structured binding: clang 14 (the fuzz build, docs/fuzzing.md) cannot capture one
        // in the lambda below.
        const Cursor cursor = list.second;
        freshdesk::TicketQuery query;
        query.filter = list.first;
        query.updated_since = since[cursor] - overlap_seconds;
        query.stats_from = no_time;  // status and updated_at tell; stats only for a re-read
        freshdesk::for_each_ticket(client_, query, [&](freshdesk::ListedTicket&& item) {
            const TicketRecord& ticket = item.record;
            next[cursor] = std::max(next[cursor], ticket.updated_at);
            if (ticket.id > highest_) {
                new_ids.insert(ticket.id);
            }
            if (in_plan(ticket.requester_id)) {
                mark(ticket.requester_id);
            }
            if (const auto it = owner_.find(ticket.id); it != owner_.end()) {
                mark(it->second);  // one the plan expected, moved to another requester too
            }
        });
    }
    probe_new_ids(new_ids);
    for (const auto& [deleted, cursor] : {std::pair{false, contacts}, {true, soft_deleted}}) {
        freshdesk::ContactQuery query;
        query.deleted = deleted;
        query.updated_since = since[cursor] - overlap_seconds;
        freshdesk::for_each_contact(
            client_, query, [&](freshdesk::ContactItem&& contact) { note_contact(contact); });
    }
    freshdesk::ContactQuery blocked_query;
    blocked_query.blocked = true;
    std::unordered_set<Id> blocked;
    freshdesk::for_each_contact(client_, blocked_query, [&](freshdesk::ContactItem&& contact) {
        if (in_plan(contact.id)) {
            mark(contact.id);
            blocked.insert(contact.id);
        }
    });
    std::unordered_set<std::string> agent_emails;
    std::vector<Agent> agents = freshdesk::list_agents(client_);
    for (const Agent& agent : agents) {
        if (in_plan(agent.id)) {
            mark(agent.id);
        }
        if (!trim(agent.email).empty()) {
            agent_emails.insert(normalize_name(agent.email));
        }
    }
    std::lock_guard lock(mutex_);
    for (const auto& [contact, email] : emails_) {
        if (agent_emails.contains(email)) {
            changed_.insert(contact);  // an agent has its email
        }
    }
    agent_emails_ = std::move(agent_emails);
    agents_ = std::move(agents);
    blocked_ = std::move(blocked);
    if (clock) {
        next.fill(*clock);
    } else {
        next[contacts] = cursors_[contacts];
        next[soft_deleted] = cursors_[soft_deleted];
    }
    cursors_ = next;
    last_look_ = started;
    ++looks_;
}

}  // namespace gp::executor::detail
