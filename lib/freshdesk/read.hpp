#pragma once
// Freshdesk's reading endpoints, typed: pages are parsed one at a time into the account model's
// records and handed out, never accumulated as JSON. Every (unsure) variant of
// docs/freshdesk-api.md is accepted.
#include "account/account.hpp"
#include "freshdesk/client.hpp"
#include "time/time.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gp::freshdesk {

// A reply that does not have the shape the endpoint documents. The message names the call and the
// field ("GET /api/v2/contacts/42: updated_at: not a timestamp").
class FormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The tickets list of a requester (TicketQuery::requester_id) whom Freshdesk knows as no contact
// and no agent: 400 with a validation error on `requester_id`, code invalid_value (a contact
// deleted for good or merged away, an id nobody had; a soft-deleted contact still lists). That is
// an answer, not a failure: the requester is gone. Callers that know it catch it first; to the
// others it is the ApiError (400, invalid_value) that it has always been.
class RequesterGone : public ApiError {
  public:
    RequesterGone(const std::string& what, Id requester_id)
        : ApiError(what, 400, "invalid_value"), requester_id_(requester_id) {}
    Id requester_id() const { return requester_id_; }

  private:
    Id requester_id_;
};

// The page size of every list read (the API's largest).
inline constexpr int list_per_page = 100;

// ---- Tickets list: GET /tickets?updated_since=&order_by=updated_at&order_type=asc&per_page=100

enum class TicketFilter { live, deleted, spam };  // no filter, filter=deleted, filter=spam

struct TicketQuery {
    TicketFilter filter = TicketFilter::live;
    UnixTime updated_since = 0;  // always sent (without it Freshdesk lists 30 days only)
    // Tickets whose updated_at is on or after stats_from are read with include=stats (3 credits a
    // page instead of 1); the earlier ones without. no_time: never; updated_since or earlier: all.
    UnixTime stats_from = no_time;
    Id requester_id = no_id;  // no_id: every requester
    // The account's page cap. A 400 on `page` before it (an account with a lower cap) lowers it
    // and the listing goes on from a restart.
    int page_cap = 300;
};

struct ListedTicket {
    TicketRecord record;
    bool has_tags = true;   // false: the list item had no `tags` (an unsure variant)
    bool has_stats = true;  // false: read without include=stats (record.closed_at is no_time)
};

// A listing's numbers; the function sets them (from zero) as it goes, so they also tell how far a
// listing that threw got.
struct ListStats {
    std::int64_t pages = 0;     // pages read (calls that returned rows or the last empty page)
    std::int64_t rows = 0;      // rows received and looked at, repeats included (the rest of a
                                // page cut short by the stats switch is read again, not counted)
    std::int64_t repeats = 0;   // rows dropped as already handed out (same id at a restart)
    std::int64_t restarts = 0;  // windows begun after the first (page cap, stats switch)
    std::int64_t credits = 0;   // credits charged for this listing
    std::int64_t pages_with_stats = 0;  // of `pages`, those read with include=stats
    int page_cap = 0;  // tickets list: the cap it ended with (lower than the query's when the
                       // account refused a page before it: pass it to the next listing)
};

// Hands out every ticket the query matches exactly once, in (updated_at, id) order. Past the page
// cap it restarts at page 1 with updated_since = the last row's updated_at and drops the repeated
// rows; when a whole window holds one single updated_at second it throws ApiError ("no
// progress", status 0, code "no_progress"). Errors: RequesterGone (a query by requester_id whose
// requester does not exist), ApiError, TransportError, FormatError (also for rows out of
// updated_at order, on which the restart would be wrong).
// A ticket updated while the listing runs may come twice (its old and its new updated_at): only
// the ids of the latest second are remembered, so that memory stays small at millions of tickets.
void for_each_ticket(Client& client, const TicketQuery& query,
                     const std::function<void(ListedTicket&&)>& on_ticket,
                     ListStats* stats = nullptr);

// ---- Archived ticket: GET /tickets/archived/{id} (1 credit; docs/reading.md, "Archived tickets")

enum class ArchivedAnswer {
    archived,    // 200: `ticket` holds its facts (archived = true, closed_at unknown)
    not_found,   // 404: not archived now (unknown, live, trashed, spam, or gone for good)
    no_feature,  // 403 require_feature: the account does not archive
};
struct ArchivedProbe {
    ArchivedAnswer answer = ArchivedAnswer::not_found;
    TicketRecord ticket;
};
// Errors: ApiError (any other status), TransportError, FormatError.
ArchivedProbe probe_archived(Client& client, Id ticket_id);

// ---- Contacts list: GET /contacts?per_page=100&page=

struct ContactItem {  // a list item: no tags, other emails or other companies
    Id id = no_id;
    std::string email;  // "" when null
    Id company_id = no_id;
    bool active = false;
    bool deleted = false;  // soft-deleted
    bool blocked = false;
    UnixTime created_at = no_time;
    UnixTime updated_at = no_time;
};

struct ContactQuery {
    bool deleted = false;  // state=deleted: the soft-deleted contacts only
    std::string email;     // email=: primary or other email, case-insensitive ("" : no filter)
    // The contacts whose updated_at is on or after this time (no_time: no filter). Sent as
    // `_updated_since`, or `updated_since` (docs/freshdesk-api.md is unsure which): see below.
    UnixTime updated_since = no_time;
    bool blocked = false;  // state=blocked: the blocked contacts only (the view has no `blocked`)
};

// Every contact the query matches, in the account's order (by name), 100 a page. An account that
// refuses the updated-since filter's name (400, code invalid_field on that field) is asked again
// with the other name; the name that worked is kept for the later listings of the process, so
// that the 400 (a credit) comes once. Errors: ApiError, TransportError, FormatError.
void for_each_contact(Client& client, const ContactQuery& query,
                      const std::function<void(ContactItem&&)>& on_contact,
                      ListStats* stats = nullptr);

// ---- Single contact: GET /contacts/{id}

struct ContactView {
    Contact contact;  // state soft_deleted when `deleted: true`
    bool blocked = false;
};
// Nothing on 404 (unknown, hard-deleted, or an agent's id).
std::optional<ContactView> view_contact(Client& client, Id id);

// ---- Single ticket: GET /tickets/{id} (1 credit)

// The ticket's tags, which a single ticket view always carries (list items may not: an unsure
// variant). None when the ticket is gone (404), or archived since it was listed (404, or a 301 to
// its archived URL, never followed). Errors: ApiError, TransportError, FormatError.
std::vector<std::string> ticket_tags(Client& client, Id ticket_id);

// ---- Search: GET /search/contacts?query="..." (30 a page, pages 1-10, lags minutes)

struct SearchResult {
    std::int64_t total = 0;  // as Freshdesk reports it
    std::vector<Id> ids;     // what pages 1-10 gave
    bool complete() const { return static_cast<std::int64_t>(ids.size()) >= total; }
};
// `query` without the surrounding double quotes: tag:'VIP' OR tag:'x'. Reads pages until the
// results are all read or page 10 was read.
SearchResult search_contacts(Client& client, const std::string& query);

// ---- Account-wide names

std::vector<Agent> list_agents(Client& client);       // GET /agents (admin key; else ApiError 403)
std::vector<NamedId> list_groups(Client& client);     // GET /groups (admin key; else ApiError 403)
std::vector<NamedId> list_companies(Client& client);  // GET /companies
// GET /ticket_fields?type=default_ticket_type: choices as strings or as objects with `value`.
std::vector<std::string> list_ticket_types(Client& client);

}  // namespace gp::freshdesk
