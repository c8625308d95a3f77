// read_account(): the order of the reads, and what each costs at least (docs/reading.md).
#include "reader/reader.hpp"

#include "engine/engine.hpp"
#include "reader/reader_detail.hpp"

#include <algorithm>
#include <stdexcept>

namespace gp::reader {

namespace detail {

std::int64_t pages_for(std::int64_t rows) {
    return rows <= 0 ? 1 : (rows + list_page_size - 1) / list_page_size;
}

void Reading::notify(const std::string& phase) {
    progress.phase = phase;
    if (options.on_progress) {
        options.on_progress(progress);
    }
}

void Reading::add_ticket_list(const freshdesk::ListStats& stats, std::int64_t rows_without_stats,
                              std::int64_t rows_with_stats) {
    report.ticket_pages += stats.pages;
    report.ticket_pages_with_stats += stats.pages_with_stats;
    if (stats.page_cap > 0) {
        ticket_page_cap = stats.page_cap;  // a lower cap learnt once serves the next listings
    }
    const auto ceil_pages = [](std::int64_t rows) {
        return (rows + list_page_size - 1) / list_page_size;
    };
    const std::int64_t least = ceil_pages(rows_without_stats) + 3 * ceil_pages(rows_with_stats);
    report.lower_bound_credits += std::max<std::int64_t>(least, 1);
    progress.ticket_pages = report.ticket_pages;
}

void Reading::add_contact_list(const freshdesk::ListStats& stats, std::int64_t rows) {
    report.contact_pages += stats.pages;
    report.lower_bound_credits += pages_for(rows);
    progress.contact_pages = report.contact_pages;
}

void Reading::finish() {
    std::sort(shown.begin(), shown.end());
    shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
    report.contacts_read = static_cast<std::int64_t>(shown.size());
}

}  // namespace detail

namespace {

// Tickets updated before this are aged by their close time for every `since: closed` rule, since
// closed_at <= updated_at: their stats are not needed. no_time: no rule reads a close time.
UnixTime stats_from(const Rules& rules, UnixTime as_of) {
    std::int64_t longest = -1;
    for (const auto& rule : rules.ticket_rules) {
        if (rule.since == Since::closed) {
            longest = std::max(longest, rule.older_than.seconds);
        }
    }
    return longest < 0 ? no_time : as_of - longest;
}

bool deletes_contacts(const Rules& rules) {
    return !rules.contact_policy.keep_contact;
}

void append(std::vector<Id>& to, const std::vector<Id>& ids) {
    to.insert(to.end(), ids.begin(), ids.end());
}

// Contacts protected by their tickets and not viewed: id-only, so that the plan lists them
// (with the protections their tickets show) as the rules ask, without a credit each.
void add_unviewed(Snapshot& snapshot, const std::vector<Id>& ids, const std::vector<Id>& viewed,
                  const std::vector<Id>& blocked) {
    for (Id id : ids) {
        if (!std::binary_search(viewed.begin(), viewed.end(), id) &&
            !std::binary_search(blocked.begin(), blocked.end(), id)) {
            Contact contact;
            contact.id = id;
            snapshot.contacts.push_back(std::move(contact));
        }
    }
    std::sort(snapshot.contacts.begin(), snapshot.contacts.end(),
              [](const Contact& a, const Contact& b) { return a.id < b.id; });
}

// The contacts that no rule reaches through a ticket: orphans, soft-deleted ones to purge, and
// those waiting on a pending tag: found by the searches, or, tagged too recently for the search
// index, among the contacts updated in the last day (adding a tag updates updated_at).
std::vector<Id> contact_candidates(detail::Reading& reading, Snapshot& snapshot,
                                   const Rules& rules) {
    std::vector<Id> wanted;
    const UnixTime recent_since = detail::recent_since(reading.options);
    std::vector<Id> recent;
    bool recent_listed = false;
    if (deletes_contacts(rules) && rules.orphan_contacts) {
        // Every live contact is listed: the recent ones come with it. An orphan has no ticket at
        // all (rules.md 8): the trash, spam and archived tickets are in the snapshot already.
        append(wanted, detail::orphan_candidates(reading, rules,
                                                 detail::requesters(snapshot, detail::Which::all),
                                                 recent_since, recent));
        recent_listed = true;
    }
    if (deletes_contacts(rules) && rules.contact_policy.purge_soft_deleted_after) {
        append(wanted, detail::purge_candidates(reading, rules));
    }
    append(reading.shown,
           detail::without_agents(snapshot, detail::requesters(snapshot, detail::Which::all)));
    append(wanted, detail::pending_candidates(reading));
    if (!recent_listed) {
        // After the searches: a tag the index has not seen yet is at most minutes old.
        recent = detail::recently_updated(reading, recent_since);
    }
    append(wanted, recent);
    return wanted;
}

}  // namespace

Snapshot read_account(freshdesk::Client& client, const Rules& rules, const ReadOptions& options,
                      ReadReport* report) {
    if (options.as_of == no_time) {
        throw std::invalid_argument("read_account: as_of is not set");
    }
    detail::Reading reading(client, options);
    Snapshot snapshot;
    detail::read_names(reading, snapshot);
    snapshot.read_started = detail::read_started(client, options);
    // The rules resolve against the names alone: an unknown group fails before the costly reads.
    (void)evaluate(snapshot, rules, options.as_of);

    const bool tags_missing =
        detail::read_live_tickets(reading, snapshot, stats_from(rules, options.as_of));
    if (options.archive != nullptr || (deletes_contacts(rules) && rules.orphan_contacts)) {
        // An orphan has no ticket at all (rules.md 8), and an id that no list shows may hide an
        // archived ticket: the trash and spam are read too.
        detail::read_tickets_without_stats(reading, snapshot, freshdesk::TicketFilter::deleted);
        detail::read_tickets_without_stats(reading, snapshot, freshdesk::TicketFilter::spam);
    }
    if (options.archive != nullptr) {
        detail::read_archive(reading, snapshot);
    }
    const std::vector<Id> blocked = detail::blocked_contacts(reading);
    std::vector<Id> wanted = contact_candidates(reading, snapshot, rules);
    const auto candidates = detail::rule_candidates(reading, snapshot, rules, tags_missing);
    append(wanted, candidates.may_take);
    if (options.view_protected) {
        append(wanted, candidates.protected_by_tickets);
    }

    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    snapshot.contacts = detail::view_contacts(reading, wanted, blocked);
    add_unviewed(snapshot, candidates.protected_by_tickets, wanted, blocked);
    reading.finish();
    if (report != nullptr) {
        *report = std::move(reading.report);
    }
    return snapshot;
}

}  // namespace gp::reader
