// read_subjects(): an erasure request reads only its subjects, found by the contacts list's email
// filter, which also matches other emails and, unlike the search, does not lag.
#include "reader/reader.hpp"

#include "reader/reader_detail.hpp"
#include "util/sorted.hpp"
#include "util/text.hpp"

#include <algorithm>

namespace gp::reader {

namespace {

using detail::Reading;

// The live and the soft-deleted contacts whose primary or other email is `email`.
std::vector<Id> contacts_with_email(Reading& reading, const std::string& email) {
    std::vector<Id> ids;
    for (const bool deleted : {false, true}) {
        freshdesk::ContactQuery query;
        query.deleted = deleted;
        query.email = email;
        std::int64_t rows = 0;
        freshdesk::ListStats stats;
        freshdesk::for_each_contact(
            reading.client, query,
            [&](freshdesk::ContactItem&& item) {
                ids.push_back(item.id);
                ++rows;
            },
            &stats);
        reading.add_contact_list(stats, rows);
        reading.notify("contacts");
    }
    reading.shown.insert(reading.shown.end(), ids.begin(), ids.end());
    return ids;
}

std::vector<Id> agents_with_email(const Snapshot& snapshot, const std::string& email) {
    std::vector<Id> ids;
    const std::string wanted = normalize_name(email);
    for (const Agent& agent : snapshot.agents) {
        if (!wanted.empty() && normalize_name(agent.email) == wanted) {
            ids.push_back(agent.id);
        }
    }
    return ids;
}

}  // namespace

Snapshot read_subjects(freshdesk::Client& client, const std::vector<std::string>& emails,
                       const ReadOptions& options, std::vector<SubjectMatch>& matches,
                       ReadReport* report) {
    Reading reading(client, options);
    Snapshot snapshot;
    detail::read_names(reading, snapshot);
    matches.clear();
    std::vector<Id> contact_ids;
    reading.notify("contacts");
    for (const std::string& email : emails) {
        SubjectMatch match{mask_email(email), agents_with_email(snapshot, email)};
        if (trim(email).empty()) {
            matches.push_back(std::move(match));  // no filter would list every contact
            continue;
        }
        const std::vector<Id> found = contacts_with_email(reading, email);
        contact_ids.insert(contact_ids.end(), found.begin(), found.end());
        match.contact_ids.insert(match.contact_ids.end(), found.begin(), found.end());
        sort_unique(match.contact_ids);
        matches.push_back(std::move(match));
    }
    sort_unique(contact_ids);
    // A blocked contact cannot be deleted (405): left alone (rules-semantics.md, settled 20).
    snapshot.contacts =
        detail::view_contacts(reading, contact_ids, detail::blocked_contacts(reading));
    std::vector<Id> vanished;
    for (const Contact& contact : snapshot.contacts) {
        // Its live tickets (trashed ones go with a hard deletion anyway).
        try {
            detail::read_tickets_without_stats(reading, snapshot, freshdesk::TicketFilter::live,
                                               contact.id);
        } catch (const freshdesk::RequesterGone&) {
            vanished.push_back(contact.id);  // deleted for good since its view
        }
    }
    // Nothing of it is left to erase: no entry, and a warning (docs/decisions.md, "Erasure
    // requests"). Tickets a first page may have listed have no contact in the snapshot: no rule
    // or subject takes them.
    std::erase_if(snapshot.contacts, [&](const Contact& contact) {
        return std::find(vanished.begin(), vanished.end(), contact.id) != vanished.end();
    });
    for (const Id id : vanished) {
        reading.report.warnings.push_back(
            "contact " + std::to_string(id) +
            " no longer exists (its tickets list knows no such requester: deleted for good while "
            "the plan was read): nothing is planned for it");
    }
    reading.finish();
    if (report != nullptr) {
        *report = std::move(reading.report);
    }
    return snapshot;
}

}  // namespace gp::reader
