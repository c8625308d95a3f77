// Contacts that no ticket leads to (contacts lists): orphans, soft-deleted contacts, and the
// contacts updated recently (a pending tag too recent for the contact search).
#include "engine/engine.hpp"
#include "reader/reader_detail.hpp"
#include "util/clock.hpp"
#include "util/sorted.hpp"

#include <algorithm>

namespace gp::reader::detail {

namespace {

// Counts one list row; the progress display hears of every full page's worth.
void count_contact(Reading& reading, std::int64_t& rows_in_listing) {
    ++rows_in_listing;
    if (rows_in_listing % list_page_size == 0) {
        reading.progress.contact_pages =
            reading.report.contact_pages + rows_in_listing / list_page_size;
        reading.notify("contacts");
    }
}

// One contacts listing: every row is counted and shown to `on_row`, never kept.
template <typename OnRow>
void list_contacts(Reading& reading, const freshdesk::ContactQuery& query, OnRow on_row) {
    std::int64_t rows = 0;
    freshdesk::ListStats stats;
    reading.notify("contacts");
    freshdesk::for_each_contact(
        reading.client, query,
        [&](freshdesk::ContactItem&& item) {
            reading.shown.push_back(item.id);
            on_row(item);
            count_contact(reading, rows);
        },
        &stats);
    reading.add_contact_list(stats, rows);
}

}  // namespace

UnixTime now_of(const ReadOptions& options) {
    if (options.now != no_time) {
        return options.now;
    }
    return now_seconds();
}

UnixTime recent_since(const ReadOptions& options) {
    // as_of may lie ahead (a plan for a later day): the account's recent changes are now's.
    return std::min(options.as_of, now_of(options)) - recent_window_seconds;
}

UnixTime read_started(const freshdesk::Client& client, const ReadOptions& options) {
    return client.account_clock().value_or(now_of(options) - recent_window_seconds);
}

std::vector<Id> aged_live_contacts(Reading& reading, const Rules& rules, UnixTime since,
                                   std::vector<Id>& recent) {
    const OrphanRule& orphan = *rules.orphan_contacts;
    std::vector<Id> out;
    list_contacts(reading, freshdesk::ContactQuery{}, [&](const freshdesk::ContactItem& item) {
        const bool live = !item.deleted && !item.blocked;
        const UnixTime reference =
            orphan.since == Since::created ? item.created_at : item.updated_at;
        if (live && orphan.older_than.passed(reference, candidates_horizon(reading.options))) {
            out.push_back(item.id);
        }
        if (live && item.updated_at >= since) {
            recent.push_back(item.id);
        }
    });
    sort_unique(out);
    return out;
}

std::vector<Id> recently_updated(Reading& reading, UnixTime since) {
    freshdesk::ContactQuery query;
    query.updated_since = since;
    std::vector<Id> out;
    list_contacts(reading, query, [&](const freshdesk::ContactItem& item) {
        if (!item.deleted && !item.blocked) {  // the live list holds no other anyway
            out.push_back(item.id);
        }
    });
    return out;
}

std::vector<Id> blocked_contacts(Reading& reading) {
    freshdesk::ContactQuery query;
    query.blocked = true;
    std::vector<Id> out;
    list_contacts(reading, query,
                  [&](const freshdesk::ContactItem& item) { out.push_back(item.id); });
    sort_unique(out);
    reading.report.contacts_blocked = static_cast<std::int64_t>(out.size());
    return out;
}

std::vector<Id> purge_candidates(Reading& reading, const Rules& rules) {
    const Duration& after = *rules.contact_policy.purge_soft_deleted_after;
    freshdesk::ContactQuery query;
    query.deleted = true;
    std::vector<Id> out;
    list_contacts(reading, query, [&](const freshdesk::ContactItem& item) {
        // The deleted tag is only in the full view; the age is already in the list item.
        if (after.passed(item.updated_at, candidates_horizon(reading.options))) {
            out.push_back(item.id);
        }
    });
    return out;
}

}  // namespace gp::reader::detail
