#pragma once
// The reader: fills an account snapshot for evaluate() with the fewest API credits. The strategy
// and its cost formula are in docs/reading.md. Pages are streamed into the snapshot, never kept as
// JSON. Knows the rules only to tell which contacts could be affected (it runs the engine on what
// the lists show to find them), never to decide.
#include "account/account.hpp"
#include "freshdesk/client.hpp"
#include "plan/plan.hpp"
#include "rules/rules.hpp"
#include "time/time.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gp::archive {
class Index;
}

namespace gp::reader {

// Where the reading is, for a progress display. Handed out after each page and each batch of
// contact views, from the thread that called read_account().
struct Progress {
    std::string phase;               // "names", "tickets", "archive", "contacts", "search", "views"
    std::int64_t ticket_pages = 0;   // pages of the tickets lists read
    std::int64_t tickets = 0;        // tickets added to the snapshot
    std::int64_t contact_pages = 0;  // pages of the contacts lists read
    std::int64_t views_done = 0;     // full contact views read
    std::int64_t views_total = 0;    // full contact views to read (known once the candidates are)
    std::int64_t probes_done = 0;    // GET /tickets/archived/{id} calls made
    std::int64_t probes_total = 0;   // the probes this run will make (its budget, at most)
};

struct ReadOptions {
    UnixTime as_of = no_time;
    // A later time up to which contacts that may become a rule's, an orphan or a purge are viewed
    // too (plan --forecast: the forecast's days need their full records); no_time: as_of.
    UnixTime candidates_until = no_time;
    // The current time (the account's clock), no_time: this machine's. The contacts updated since
    // min(as_of, now) minus a day are viewed, since the contact search lags (docs/reading.md).
    UnixTime now = no_time;
    int concurrency = 4;  // full contact views run on this many threads (one connection each)
    // The pending tags searched for: dated from this many days before as_of's day to this many
    // after (docs/reading.md: a tag outside the window is not seen, so its contact is not taken).
    std::int64_t pending_days_back = 400;
    std::int64_t pending_days_ahead = 1;
    // Contacts that a rule would take but whose tickets already show them protected (a responder)
    // are listed as protected without a full view: the plan then names only the protections their
    // tickets show (rules-semantics.md, settled 17, allows any). true: view them too (a credit
    // each), so that the plan lists every reason and only contacts that exist and are not blocked.
    bool view_protected = false;
    // While the tickets pass runs, the contacts that the rules would take on the tickets read so
    // far, and that have shown no ticket for a year of the pass's dates (less near its end), are
    // viewed at once, and so are the orphans near its end (docs/reading.md, "The reads, in
    // order", 6b): the plan is the same; a view of a contact that turns out no candidate is
    // dropped, a credit spent for nothing. false: the candidates of the rules and of the orphan
    // rule are viewed once every ticket is read (the other reads still overlap the tickets lists).
    bool speculate = true;
    // The account's archive index (docs/reading.md, "Archived tickets"): the ids known archived or
    // gone. nullptr: archived tickets are not looked for, and the snapshot says the archive is
    // complete (only for tests of the lists alone: gdpr-purge always passes one).
    archive::Index* archive = nullptr;
    // The most GET /tickets/archived/{id} calls this reading makes (the feature check included);
    // -1: as many as there are ids to probe.
    std::int64_t archive_budget = 20000;
    std::function<void(const Progress&)> on_progress;
};

// What the reading did, for the summary, the report and the benchmark (docs/reading.md).
struct ReadReport {
    std::int64_t contacts_read = 0;  // contacts the account showed: listed, viewed or requesters
    std::int64_t tickets_read = 0;   // tickets added to the snapshot
    std::int64_t ticket_pages = 0;
    std::int64_t ticket_pages_with_stats = 0;
    std::int64_t contact_pages = 0;
    std::int64_t searches = 0;          // search calls (pages)
    std::int64_t views = 0;             // GET /contacts/{id}
    std::int64_t views_dropped = 0;     // of `views`, speculative ones of contacts no candidate
    std::int64_t ticket_views = 0;      // GET /tickets/{id} (only when list items carry no tags)
    std::int64_t name_calls = 0;        // agents, groups, companies, ticket fields
    std::int64_t archive_probes = 0;    // GET /tickets/archived/{id}
    std::int64_t contacts_blocked = 0;  // GET /contacts?state=blocked rows: left alone
    // What the reading knows of archived tickets; nothing when no index was given.
    std::optional<ArchiveCoverage> archive;
    // The strategy's own lower bound for this account: what its calls would cost with every page
    // full and no restart overlap, no retry, no 429.
    std::int64_t lower_bound_credits = 0;
    std::vector<std::string> warnings;  // e.g. a pending-tag search with more results than it shows
};

// Reads what evaluate(snapshot, rules, options.as_of) needs to give the same plan as on a full
// read of every contact. Throws freshdesk::ApiError / TransportError / FormatError, and
// RulesResolutionError when the rules name a group, company or responder the account lacks.
Snapshot read_account(freshdesk::Client& client, const Rules& rules, const ReadOptions& options,
                      ReadReport* report = nullptr);

// An erasure request (GDPR Art. 17): the contacts whose primary or other email is one of `emails`,
// found with the contacts list's email filter (live and soft-deleted), with all their tickets, and
// the names evaluate_subjects() needs. `matches[i]` are the ids found for emails[i] (none: the
// email matches no contact; an agent's email is reported as the agent's id). A contact found and
// then deleted for good before its tickets were listed stays in `matches` but not in the snapshot,
// with a warning in the report.
struct SubjectMatch {
    std::string email_masked;
    std::vector<Id> contact_ids;
};
Snapshot read_subjects(freshdesk::Client& client, const std::vector<std::string>& emails,
                       const ReadOptions& options, std::vector<SubjectMatch>& matches,
                       ReadReport* report = nullptr);

}  // namespace gp::reader
