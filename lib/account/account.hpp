#pragma once
// A compact in-memory snapshot of what was read from one Freshdesk account: contacts, tickets,
// agents and the names of groups, companies and ticket types. Tickets dominate the size of a large
// account, so a ticket is a fixed 72-byte record; its type and tags are interned, normalized names.
#include "time/time.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gp {

using Id = std::int64_t;
inline constexpr Id no_id = 0;  // Freshdesk ids are positive

// Interned strings: each distinct text is stored once and named by a 32-bit index.
using NameRef = std::uint32_t;
inline constexpr NameRef no_name = UINT32_MAX;

class StringPool {
  public:
    NameRef intern(std::string_view text);
    std::optional<NameRef> find(std::string_view text) const;
    std::string_view at(NameRef ref) const { return texts_[ref]; }
    std::size_t size() const { return texts_.size(); }

  private:
    std::deque<std::string> texts_;  // a deque never moves its elements: index_ keys stay valid
    std::unordered_map<std::string_view, NameRef> index_;
};

// Freshdesk ticket status numbers.
inline constexpr int status_open = 2;
inline constexpr int status_pending = 3;
inline constexpr int status_resolved = 4;
inline constexpr int status_closed = 5;

struct Ticket {
    Id id = no_id;
    Id requester_id = no_id;
    Id responder_id = no_id;  // no_id: unassigned
    Id group_id = no_id;      // no_id: no group
    UnixTime created_at = no_time;
    UnixTime updated_at = no_time;
    UnixTime closed_at = no_time;  // stats.closed_at; no_time when null or not read
    NameRef type = no_name;        // normalized type name; no_name when null
    std::uint32_t tags_begin = 0;  // index into Snapshot::ticket_tags
    std::uint16_t tags_count = 0;
    std::uint16_t status = status_open;
    bool spam = false;
    bool deleted = false;  // in the trash
    bool archived =
        false;  // archived (GET /tickets/archived/{id}): closed for good, no list shows it

    // Shown by the tickets list: not in the trash, not spam, not archived.
    bool live() const { return !spam && !deleted && !archived; }
    // One of its requester's tickets for the rules (docs/rules.md): live or archived.
    bool current() const { return !spam && !deleted; }
};

enum class ContactState : std::uint8_t { active, soft_deleted };

struct Contact {
    Id id = no_id;
    std::string email;  // primary email as read ("" when none)
    std::vector<std::string> other_emails;
    Id company_id = no_id;
    std::vector<Id> other_company_ids;
    std::vector<std::string> tags;  // as in Freshdesk (original case): written back by apply
    UnixTime created_at = no_time;
    UnixTime updated_at = no_time;
    ContactState state = ContactState::active;
};

struct Agent {
    Id id = no_id;  // the agent's user id: same number space as contacts and responder_id
    std::string email;
};

struct NamedId {
    Id id = no_id;
    std::string name;
};

// What a ticket looks like when it is added: names as read, interned by the snapshot.
struct TicketRecord {
    Id id = no_id;
    Id requester_id = no_id;
    Id responder_id = no_id;
    Id group_id = no_id;
    std::optional<std::string> type;
    std::vector<std::string> tags;
    int status = status_open;
    bool spam = false;
    bool deleted = false;
    bool archived = false;  // from GET /tickets/archived/{id} (or the archive index)
    UnixTime created_at = no_time;
    UnixTime updated_at = no_time;
    UnixTime closed_at = no_time;
};

class Snapshot {
  public:
    std::string account;  // "acme.freshdesk.com"
    std::vector<Contact> contacts;
    std::vector<Agent> agents;
    std::vector<NamedId> groups;
    std::vector<NamedId> companies;
    std::vector<std::string> ticket_types;
    // Whether every ticket id that may hide an archived ticket is known (docs/reading.md,
    // "Archived tickets"). false: the engine holds every contact-level step
    // (docs/rules-semantics.md, settled 19).
    bool archive_complete = true;
    // A time at or before the reading of the account began, by the account's clock (no_time: not
    // read from an account). The plan carries it (read_started_at): apply looks for the changes
    // made since (docs/apply.md, "The look for changes").
    UnixTime read_started = no_time;

    void add_ticket(const TicketRecord& record);
    const std::vector<Ticket>& tickets() const { return tickets_; }
    std::span<const NameRef> tags_of(const Ticket& ticket) const;
    // The ticket as it was added (names as interned: normalized).
    TicketRecord record_of(const Ticket& ticket) const;
    std::string_view name(NameRef ref) const { return names_.at(ref); }
    // The interned form of a name (normalized), if any ticket carries it.
    std::optional<NameRef> find_name(std::string_view text) const;
    void reserve_tickets(std::size_t count) { tickets_.reserve(count); }
    // Moves tickets()[index] to the trash, as a deletion does (the engine's forecast).
    void trash_ticket(std::size_t index) { tickets_.at(index).deleted = true; }

  private:
    std::vector<Ticket> tickets_;
    std::vector<NameRef> ticket_tags_;
    StringPool names_;
};

}  // namespace gp
