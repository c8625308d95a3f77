// Contacts that no ticket leads to: orphans and soft-deleted contacts (contacts lists), and
// contacts waiting on a pending tag (contact searches).
#include "engine/engine.hpp"
#include "reader/reader_detail.hpp"

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

bool aged(UnixTime reference, UnixTime as_of, const Duration& age) {
    return reference != no_time && reference <= as_of - age.seconds;
}

}  // namespace

std::vector<Id> orphan_candidates(Reading& reading, const Rules& rules,
                                  const std::vector<Id>& with_tickets) {
    const OrphanRule& orphan = *rules.orphan_contacts;
    std::vector<Id> out;
    std::int64_t rows = 0;
    freshdesk::ListStats stats;
    reading.notify("contacts");
    freshdesk::for_each_contact(
        reading.client, freshdesk::ContactQuery{},
        [&](freshdesk::ContactItem&& item) {
            reading.shown.push_back(item.id);
            const UnixTime reference =
                orphan.since == Since::created ? item.created_at : item.updated_at;
            if (!item.deleted && !item.blocked &&
                aged(reference, reading.options.as_of, orphan.older_than) &&
                !std::binary_search(with_tickets.begin(), with_tickets.end(), item.id)) {
                out.push_back(item.id);
            }
            count_contact(reading, rows);
        },
        &stats);
    reading.add_contact_list(stats, rows);
    return out;
}

std::vector<Id> purge_candidates(Reading& reading, const Rules& rules) {
    const Duration& after = *rules.contact_policy.purge_soft_deleted_after;
    freshdesk::ContactQuery query;
    query.deleted = true;
    std::vector<Id> out;
    std::int64_t rows = 0;
    freshdesk::ListStats stats;
    reading.notify("contacts");
    freshdesk::for_each_contact(
        reading.client, query,
        [&](freshdesk::ContactItem&& item) {
            reading.shown.push_back(item.id);
            // The deleted tag is only in the full view; the age is already in the list item.
            if (aged(item.updated_at, reading.options.as_of, after)) {
                out.push_back(item.id);
            }
            count_contact(reading, rows);
        },
        &stats);
    reading.add_contact_list(stats, rows);
    return out;
}

}  // namespace gp::reader::detail
