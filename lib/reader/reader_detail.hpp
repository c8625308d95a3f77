#pragma once
// The reader's parts, shared by its .cpp files only (docs/reading.md describes the strategy).
#include "freshdesk/read.hpp"
#include "reader/reader.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gp::reader::detail {

inline constexpr std::int64_t list_page_size = freshdesk::list_per_page;  // rows of a list page
inline constexpr std::int64_t search_page_size = 30;  // Freshdesk's fixed search page
inline constexpr std::int64_t search_max_pages = 10;

// Pages a list of `rows` rows takes; an empty list still takes one call.
std::int64_t pages_for(std::int64_t rows);

// One reading in progress: the client, what the calls cost so far (the report, its lower bound
// included), and the ids of the contacts the account showed.
struct Reading {
    freshdesk::Client& client;
    const ReadOptions& options;
    ReadReport report;
    Progress progress;
    std::vector<Id> shown;      // contacts listed, viewed, or requesters of the tickets read
    int ticket_page_cap = 300;  // the tickets list's page cap, lowered when the account has less

    // The calling thread's reading: run by notify() first (it hands on the progress of the reads
    // on other threads, and throws their first error). A reading on another thread: notify()
    // hands its progress to `post` instead of options.on_progress (which only the calling thread
    // may call).
    std::function<void()> before_notify;
    std::function<void(const Progress&)> post;

    Reading(freshdesk::Client& c, const ReadOptions& o) : client(c), options(o) {}
    void notify(const std::string& phase);
    // Adds a list's calls to the report; the progress display counts the pages as they come.
    void add_ticket_list(const freshdesk::ListStats& stats, std::int64_t rows_without_stats,
                         std::int64_t rows_with_stats);
    void add_contact_list(const freshdesk::ListStats& stats, std::int64_t rows);
    // Sets contacts_read from `shown` (sorted, without repeats).
    void finish();
};

// ---- names (reader_names.cpp)

// Agents, groups, companies and ticket types into the snapshot.
void read_names(Reading& reading, Snapshot& snapshot);

// Adds `ids` at the end of `to` (the candidates are gathered so, then sorted once).
inline void append(std::vector<Id>& to, const std::vector<Id>& ids) {
    to.insert(to.end(), ids.begin(), ids.end());
}

// ---- tickets (reader_tickets.cpp)

// Hears of each ticket a tickets list adds to the snapshot (its index in snapshot.tickets()), on
// the calling thread: the overlap's speculation (reader_speculation.hpp).
class TicketWatcher {
  public:
    virtual ~TicketWatcher() = default;
    virtual void added(const Snapshot& snapshot, std::size_t index, bool has_tags) = 0;
};

// Live tickets since the beginning, with stats from `stats_from` on. Returns whether some list
// item came without its tags (the unsure variant of the tickets list).
bool read_live_tickets(Reading& reading, Snapshot& snapshot, UnixTime stats_from,
                       TicketWatcher* watcher = nullptr);
// Tickets of a filter without stats (trashed or spam: no rule reads their statistics), of one
// requester or (no_id) of every one. A requester that does not exist throws
// freshdesk::RequesterGone (its credits counted).
void read_tickets_without_stats(Reading& reading, Snapshot& snapshot,
                                freshdesk::TicketFilter filter, Id requester_id = no_id,
                                TicketWatcher* watcher = nullptr);
// The ids of the requesters of the snapshot's tickets, sorted, unique: of its current tickets
// (live or archived: those a rule can select), or of every one (trash and spam too).
enum class Which { current, all };
std::vector<Id> requesters(const Snapshot& snapshot, Which which);
// `ids` (sorted) without the snapshot's agents.
std::vector<Id> without_agents(const Snapshot& snapshot, std::vector<Id> ids);

// ---- archived tickets (reader_archive.cpp)

// Probes the ids that may hide an archived ticket (docs/reading.md, "Archived tickets") within the
// budget, records each answer in options.archive, drops the index's records that this run's lists
// contradict, and adds every archived ticket the index knows to the snapshot. Call after every
// tickets list (live, trash, spam) is in the snapshot. Sets report.archive and
// snapshot.archive_complete.
void read_archive(Reading& reading, Snapshot& snapshot);

// ---- contacts lists and searches (reader_contacts.cpp)

// How far back the contacts updated recently are listed, from min(as_of, now): comfortably more
// than the contact search's lag (minutes), so that a pending tag too recent for the search is
// still seen (adding a tag updates the contact's updated_at), and more than a clock skew between
// this machine and the account of some hours.
inline constexpr std::int64_t recent_window_seconds = seconds_per_day;

// The plan's read_started_at, once the names are read (before any ticket or contact): the account's
// clock per the answers' Date header; without one, this machine's clock (ReadOptions::now) less
// recent_window_seconds, the skew the reading already allows for.
UnixTime read_started(const freshdesk::Client& client, const ReadOptions& options);

// The time up to which candidates are looked for: as_of, or the later candidates_until.
inline UnixTime candidates_horizon(const ReadOptions& options) {
    return options.candidates_until == no_time ? options.as_of
                                               : std::max(options.as_of, options.candidates_until);
}

// The time the recently updated contacts are listed from: min(as_of, now) - recent window.
UnixTime recent_since(const ReadOptions& options);
// ReadOptions::now, or this machine's clock.
UnixTime now_of(const ReadOptions& options);

// Every live contact (the contacts list) whose orphan age is reached, sorted: those that no
// ticket names (live, trash, spam or archived) are the candidates of the orphan rule. The same
// listing gives the live contacts updated on or after `since` in `recent` (the listing of
// recently_updated() is then not needed).
std::vector<Id> aged_live_contacts(Reading& reading, const Rules& rules, UnixTime since,
                                   std::vector<Id>& recent);
// Live contacts updated on or after `since` (GET /contacts?_updated_since=), for their full views:
// those whose pending tag is too recent for the search index.
std::vector<Id> recently_updated(Reading& reading, UnixTime since);
// The blocked contacts (GET /contacts?state=blocked; a contact view has no `blocked` field),
// sorted: they and their tickets are left alone (docs/rules-semantics.md, settled 20).
std::vector<Id> blocked_contacts(Reading& reading);
// Soft-deleted contacts whose updated_at is older than purge_soft_deleted_after.
std::vector<Id> purge_candidates(Reading& reading, const Rules& rules);
// Contacts carrying a pending tag dated in the search window, found by contact searches.
std::vector<Id> pending_candidates(Reading& reading);

// The search query for pending tags of the days [first, last] (midnights), created on the days
// [created_from, created_to] when those are not no_time. Exposed for its length checks.
std::string pending_query(UnixTime first, UnixTime last, UnixTime created_from,
                          UnixTime created_to);
// How many consecutive days one query can name within Freshdesk's 512 characters.
std::int64_t days_per_query();

// ---- candidates of the ticket rules (reader_candidates.cpp)

struct RuleCandidates {
    // Contacts a ticket rule could take: their full records decide (exceptions, pending tags).
    std::vector<Id> may_take;
    // Contacts that a rule would take but whose tickets already show them protected (a
    // responder): no rule can take them, the plan only lists them.
    std::vector<Id> protected_by_tickets;
};

// A superset of what the ticket rules can take or list as protected, found by evaluating the rules
// on id-only contacts (a full record can only add protections and pending tags). When list items
// had no tags and a rule has a tag condition, the candidates' tickets are read one by one for
// their tags and the snapshot gets them (it is rebuilt).
RuleCandidates rule_candidates(Reading& reading, Snapshot& snapshot, const Rules& rules,
                               bool tags_missing);

// ---- single reads on several threads (reader_views.cpp)

// Runs work(i) for every i of [0, count) on up to `threads` threads, in batches of 100, with
// after_batch(done) on the calling thread after each. The first exception stops the work and is
// thrown once every thread has finished.
void run_all(std::size_t count, int threads, const std::function<void(std::size_t)>& work,
             const std::function<void(std::size_t)>& after_batch);

// A contact view as the snapshot takes it: a contact that exists (no view: an agent, unknown or
// hard-deleted, docs/rules-semantics.md, settled 14) is shown; one that is blocked (its view, or
// the sorted `blocked` list, says so) is left alone (settled 20); any other joins `out`.
void keep_viewed(Reading& reading, std::optional<freshdesk::ContactView>&& view,
                 const std::vector<Id>& blocked, std::vector<Contact>& out);
// Full views of `ids` (sorted, unique) on options.concurrency threads: contacts that can be
// deleted (404 and blocked ones dropped: `blocked` sorted, or a view that says so), sorted by id.
std::vector<Contact> view_contacts(Reading& reading, const std::vector<Id>& ids,
                                   const std::vector<Id>& blocked);
// The tags of each ticket of `ids` (GET /tickets/{id}); a ticket gone meanwhile has none.
std::vector<std::vector<std::string>> view_ticket_tags(Reading& reading,
                                                       const std::vector<Id>& ids);

// ---- the reads that overlap the tickets pass (reader_overlap.cpp, docs/reading.md)

// What the contacts lists and the searches found (on another thread, during the tickets lists).
struct ListsFound {
    std::vector<Id> blocked;       // sorted
    std::vector<Id> aged;          // orphan rule only: live contacts of orphan age, sorted
    std::vector<Id> other_wanted;  // purge, pending and recent candidates (unsorted)
};

// The reads that need no ticket (the blocked, live and soft-deleted contacts lists, the searches,
// the contacts updated recently) and every contact view run on other threads from construction
// on, while the calling thread reads the tickets lists. watcher() speculates: a contact that the
// rules would take on the tickets read so far, and that has been quiet for quiet_seconds, is
// viewed at once. views() then views what is still missing of the exact candidates and keeps only
// theirs: a speculative view of a contact that is no candidate is dropped (its credit is spent).
// The destructor stops the other threads (a failed reading) and waits for them.
class Overlap {
  public:
    Overlap(Reading& reading, const Rules& rules, const Snapshot& names);
    ~Overlap();
    Overlap(const Overlap&) = delete;
    Overlap& operator=(const Overlap&) = delete;

    // Speculation on the tickets the calling thread's lists add (nullptr when not speculating).
    TicketWatcher* watcher();
    // The tickets lists are read: speculation ends, and the views take the whole account budget.
    void tickets_read();
    // Waits for the lists and searches; throws the first error of the other threads.
    const ListsFound& lists();
    // The full views of `wanted` (sorted, unique), made now for those not viewed yet, as
    // view_contacts() returns them; then stops the other threads and adds their calls, rows and
    // contacts shown to the reading.
    std::vector<Contact> views(const std::vector<Id>& wanted, const std::vector<Id>& blocked);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gp::reader::detail
