// Archived tickets (docs/reading.md, "Archived tickets"): no list shows them, so every ticket id
// at or below the highest one known that no list showed this run is probed once in the account's
// lifetime (GET /tickets/archived/{id}: archived, or gone for good), and the archive index keeps
// every answer. The snapshot then holds every archived ticket the index knows.
#include "archive/index.hpp"
#include "reader/reader_detail.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>

namespace gp::reader::detail {

namespace {

// Ticket ids are display numbers 1, 2, 3, ...: an id past this is no display number, and a
// bitmap of that many ids would be unreasonable.
constexpr Id highest_plausible_id = 50'000'000;

// Above the highest id known, a ticket can be archived only if it is older than Freshdesk's
// archiving age (about 120 days): so only when the newest ticket the lists show (the highest id)
// was created more than this long ago, or when no list shows any ticket (a dormant account), are
// the ids above probed, until this many in a row answer 404 (which are not recorded: such an id
// may simply not exist yet).
constexpr std::int64_t dormant_after_seconds = 100 * seconds_per_day;
constexpr int upward_misses = 50;

struct ToProbe {
    std::vector<Id> ids;     // at most `most`, highest first
    std::int64_t count = 0;  // all of them
};

// The ids that may hide an archived ticket and that the index does not know, highest first (the
// most recently archived are the likeliest to matter to a daily run).
ToProbe ids_to_probe(const std::vector<bool>& listed, const archive::Index& index,
                     std::int64_t most) {
    ToProbe out;
    for (std::size_t id = listed.size(); id-- > 1;) {
        if (!listed[id] && !index.knows(static_cast<Id>(id))) {
            ++out.count;
            if (most < 0 || static_cast<std::int64_t>(out.ids.size()) < most) {
                out.ids.push_back(static_cast<Id>(id));
            }
        }
    }
    return out;
}

}  // namespace

void read_archive(Reading& reading, Snapshot& snapshot) {
    archive::Index& index = *reading.options.archive;
    ArchiveCoverage coverage;
    coverage.budget = reading.options.archive_budget;

    // What this run's lists showed (live, trash, spam) is not archived now. An index record that
    // a list contradicts no longer holds: the list is the fresher fact.
    Id highest = index.highest_id();
    for (const Ticket& ticket : snapshot.tickets()) {
        highest = std::max(highest, ticket.id);
    }
    if (highest > highest_plausible_id) {
        // Not display numbers: nothing is probed, and the plan holds every contact-level step.
        reading.report.warnings.push_back(
            "ticket id " + std::to_string(highest) +
            " is no display number: archived tickets were not looked for");
        coverage.highest_id = highest;
        coverage.complete = false;
        snapshot.archive_complete = false;
        reading.report.archive = coverage;
        return;
    }
    std::vector<bool> listed(static_cast<std::size_t>(highest) + 1, false);
    const Ticket* newest = nullptr;  // the highest id a list showed
    for (const Ticket& ticket : snapshot.tickets()) {
        listed[static_cast<std::size_t>(ticket.id)] = true;
        if (index.knows(ticket.id)) {
            index.drop(ticket.id);
        }
        if (newest == nullptr || ticket.id > newest->id) {
            newest = &ticket;
        }
    }
    const bool archived_before = index.archived_count() > 0;
    coverage.highest_id = highest;

    const ToProbe to_probe = ids_to_probe(listed, index, reading.options.archive_budget);
    const std::vector<Id>& todo = to_probe.ids;
    const std::size_t allowed = todo.size();
    reading.progress.probes_total = static_cast<std::int64_t>(allowed);
    std::atomic<bool> no_feature{false};
    std::atomic<std::int64_t> probed{0};
    const auto probe = [&](std::size_t i) {
        if (no_feature) {
            return;  // the account answered it has no archiving: see below
        }
        const freshdesk::ArchivedProbe answer = freshdesk::probe_archived(reading.client, todo[i]);
        ++probed;
        switch (answer.answer) {
            case freshdesk::ArchivedAnswer::archived:
                index.add_archived(answer.ticket);
                break;
            case freshdesk::ArchivedAnswer::not_found:
                index.add_gone(todo[i]);
                break;
            case freshdesk::ArchivedAnswer::no_feature:
                no_feature = true;
                break;
        }
    };
    if (allowed > 0) {
        reading.notify("archive");
        probe(0);  // the feature check: an account without archiving answers 403 once
    }
    if (allowed > 1 && !no_feature) {
        run_all(
            allowed - 1, reading.options.concurrency, [&](std::size_t i) { probe(i + 1); },
            [&](std::size_t) {
                reading.progress.probes_done = probed;
                reading.notify("archive");
            });
    }
    // Ids above the highest known, when they may hide archived tickets (see dormant_after).
    bool above_unknown = false;
    // The account's present: as_of, unless it lies ahead (a plan for a later day).
    const UnixTime present = std::min(reading.options.as_of, now_of(reading.options));
    const bool dormant = newest == nullptr || newest->created_at <= present - dormant_after_seconds;
    if (dormant && !no_feature) {
        std::int64_t left = reading.options.archive_budget < 0
                                ? INT64_MAX
                                : reading.options.archive_budget - probed.load();
        int misses = 0;
        for (Id id = highest + 1; misses < upward_misses; ++id) {
            if (left-- <= 0 || id > highest_plausible_id) {
                above_unknown = true;  // the budget ran out before the end was found
                break;
            }
            const freshdesk::ArchivedProbe answer = freshdesk::probe_archived(reading.client, id);
            ++probed;
            if (answer.answer == freshdesk::ArchivedAnswer::no_feature) {
                no_feature = true;
                break;
            }
            if (answer.answer == freshdesk::ArchivedAnswer::archived) {
                index.add_archived(answer.ticket);
                coverage.highest_id = id;
                misses = 0;
            } else {
                ++misses;  // not recorded: the id may not exist yet
            }
        }
    }
    index.flush();
    coverage.probes = probed;
    reading.report.archive_probes = probed;
    reading.report.lower_bound_credits += probed;
    reading.progress.probes_done = probed;

    // A 403 require_feature says the account archives nothing, which only the first answer of
    // an index without archived tickets can be trusted to mean; a 403 after archived answers (the
    // account changed its plan meanwhile?) leaves the archive incomplete.
    const bool trusted_no_feature = no_feature && !archived_before && index.archived_count() == 0;
    if (trusted_no_feature) {
        coverage.feature = false;  // nothing is archived: nothing to probe
        coverage.unprobed = 0;
    } else {
        if (probed > 0 || index.archived_count() > 0 || index.gone_count() > 0) {
            coverage.feature = true;
        }
        coverage.unprobed = std::max<std::int64_t>(to_probe.count - probed, 0);
        if (no_feature) {
            coverage.unprobed = std::max<std::int64_t>(to_probe.count, 1);
        }
        if (above_unknown) {
            ++coverage.unprobed;  // the ids above the highest known, as one
        }
    }
    coverage.complete = coverage.unprobed == 0;
    coverage.archived_known = index.archived_count();
    coverage.gone_known = index.gone_count();

    index.for_each_archived([&](const TicketRecord& ticket) { snapshot.add_ticket(ticket); });
    snapshot.archive_complete = coverage.complete;
    reading.report.archive = coverage;
}

}  // namespace gp::reader::detail
