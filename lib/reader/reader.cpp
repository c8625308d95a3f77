// read_account(): the order of the reads, and what each costs at least (docs/reading.md).
#include "reader/reader.hpp"

#include "engine/engine.hpp"
#include "reader/reader_detail.hpp"
#include "util/sorted.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace gp::reader {

namespace detail {

std::int64_t pages_for(std::int64_t rows) {
    return rows <= 0 ? 1 : (rows + list_page_size - 1) / list_page_size;
}

void Reading::notify(const std::string& phase) {
    if (post) {
        progress.phase = phase;
        post(progress);
        return;
    }
    if (before_notify) {
        before_notify();
    }
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
    sort_unique(shown);
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

// The orphan candidates: the live contacts of orphan age that no ticket names (rules.md 8: none
// at all; the trash, spam and archived tickets are in the snapshot).
std::vector<Id> orphans(const Snapshot& snapshot, const std::vector<Id>& aged) {
    const std::vector<Id> with_tickets = detail::requesters(snapshot, detail::Which::all);
    std::vector<Id> out;
    std::set_difference(aged.begin(), aged.end(), with_tickets.begin(), with_tickets.end(),
                        std::back_inserter(out));
    return out;
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
    require_resolved(snapshot, rules);

    // From here the reads that need no ticket, and the contact views, run on other threads
    // while this one reads the tickets lists (docs/reading.md, "The reads, in order").
    detail::Overlap overlap(reading, rules, snapshot);
    detail::TicketWatcher* const watcher = overlap.watcher();
    if (options.archive != nullptr || rules.takes_orphans()) {
        // An orphan has no ticket at all (rules.md 8), and an id that no list shows may hide an
        // archived ticket: the trash and spam are read too (first: a requester seen there is no
        // orphan, which speculation then knows).
        detail::read_tickets_without_stats(reading, snapshot, freshdesk::TicketFilter::deleted,
                                           no_id, watcher);
        detail::read_tickets_without_stats(reading, snapshot, freshdesk::TicketFilter::spam, no_id,
                                           watcher);
    }
    const bool tags_missing =
        detail::read_live_tickets(reading, snapshot, stats_from(rules, options.as_of), watcher);
    overlap.tickets_read();
    if (options.archive != nullptr) {
        detail::read_archive(reading, snapshot);
    }
    const detail::ListsFound& found = overlap.lists();
    std::vector<Id> wanted = found.other_wanted;
    detail::append(wanted, orphans(snapshot, found.aged));
    detail::append(reading.shown, detail::without_agents(
                                      snapshot, detail::requesters(snapshot, detail::Which::all)));
    const auto candidates = detail::rule_candidates(reading, snapshot, rules, tags_missing);
    detail::append(wanted, candidates.may_take);
    if (options.view_protected) {
        detail::append(wanted, candidates.protected_by_tickets);
    }

    sort_unique(wanted);
    // The views made during the pass are used; those of contacts no candidate are dropped.
    snapshot.contacts = overlap.views(wanted, found.blocked);
    add_unviewed(snapshot, candidates.protected_by_tickets, wanted, found.blocked);
    reading.finish();
    if (report != nullptr) {
        *report = std::move(reading.report);
    }
    return snapshot;
}

}  // namespace gp::reader
