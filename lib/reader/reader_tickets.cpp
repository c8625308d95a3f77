// The tickets lists: every ticket goes into the snapshot as it arrives; no page is kept.
#include "reader/reader_detail.hpp"
#include "util/sorted.hpp"

#include <algorithm>

namespace gp::reader::detail {

namespace {

// Earlier than any ticket of any Freshdesk account: the list's 30-day default window never applies.
constexpr UnixTime listing_start = 946684800;  // 2000-01-01T00:00:00Z

// Counts one ticket; the progress display hears of every full page's worth.
void count_ticket(Reading& reading, std::int64_t& rows_in_listing) {
    ++rows_in_listing;
    ++reading.report.tickets_read;
    ++reading.progress.tickets;
    if (rows_in_listing % list_page_size == 0) {
        reading.progress.ticket_pages =
            reading.report.ticket_pages + rows_in_listing / list_page_size;
        reading.notify("tickets");
    }
}

}  // namespace

bool read_live_tickets(Reading& reading, Snapshot& snapshot, UnixTime stats_from,
                       TicketWatcher* watcher) {
    freshdesk::TicketQuery query;
    query.filter = freshdesk::TicketFilter::live;
    query.updated_since = listing_start;
    query.stats_from = stats_from;
    query.page_cap = reading.ticket_page_cap;
    bool tags_missing = false;
    std::int64_t rows = 0;
    std::int64_t rows_with_stats = 0;
    freshdesk::ListStats stats;
    reading.notify("tickets");
    freshdesk::for_each_ticket(
        reading.client, query,
        [&](freshdesk::ListedTicket&& ticket) {
            tags_missing = tags_missing || !ticket.has_tags;
            rows_with_stats += ticket.has_stats ? 1 : 0;
            snapshot.add_ticket(ticket.record);
            if (watcher != nullptr) {
                watcher->added(snapshot, snapshot.tickets().size() - 1, ticket.has_tags);
            }
            count_ticket(reading, rows);
        },
        &stats);
    reading.add_ticket_list(stats, rows - rows_with_stats, rows_with_stats);
    reading.notify("tickets");
    return tags_missing;
}

void read_tickets_without_stats(Reading& reading, Snapshot& snapshot,
                                freshdesk::TicketFilter filter, Id requester_id,
                                TicketWatcher* watcher) {
    freshdesk::TicketQuery query;
    query.filter = filter;
    query.requester_id = requester_id;
    query.updated_since = listing_start;
    query.stats_from = no_time;
    query.page_cap = reading.ticket_page_cap;
    std::int64_t rows = 0;
    freshdesk::ListStats stats;
    try {
        freshdesk::for_each_ticket(
            reading.client, query,
            [&](freshdesk::ListedTicket&& ticket) {
                snapshot.add_ticket(ticket.record);
                if (watcher != nullptr) {
                    watcher->added(snapshot, snapshot.tickets().size() - 1, ticket.has_tags);
                }
                count_ticket(reading, rows);
            },
            &stats);
    } catch (const freshdesk::RequesterGone&) {
        reading.add_ticket_list(stats, rows, 0);  // its credits count all the same
        throw;
    }
    reading.add_ticket_list(stats, rows, 0);
    reading.notify("tickets");
}

std::vector<Id> requesters(const Snapshot& snapshot, Which which) {
    std::vector<Id> ids;
    for (const Ticket& ticket : snapshot.tickets()) {
        if (which == Which::all || ticket.current()) {
            ids.push_back(ticket.requester_id);
        }
    }
    sort_unique(ids);
    return ids;
}

std::vector<Id> without_agents(const Snapshot& snapshot, std::vector<Id> ids) {
    std::vector<Id> agents;
    for (const Agent& agent : snapshot.agents) {
        agents.push_back(agent.id);
    }
    std::sort(agents.begin(), agents.end());
    std::erase_if(ids, [&](Id id) { return std::binary_search(agents.begin(), agents.end(), id); });
    return ids;
}

}  // namespace gp::reader::detail
