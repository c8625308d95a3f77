#pragma once
// The simulated Freshdesk account: what it stores, its indexes, and the mutations that keep those
// indexes right. No locking inside: callers hold `mutex` (shared to read, exclusive to write).
#include "intern.hpp"
#include "time_fmt.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sim {

using Id = std::int64_t;  // Freshdesk ids are positive; 0 stands for JSON null

// Contact and agent ids of a real account exceed 2^32 (a client that stores them in 32 bits
// breaks): generated people and the people added by the controls get ids above this.
inline constexpr Id kPersonIdBase = 43'000'000'000;

enum class ContactState : std::uint8_t { active, soft_deleted, blocked, hard_deleted };

struct Contact {
    Id id = 0;
    std::string name;
    std::string email;
    std::string phone;  // "" is null
    std::string mobile;
    std::vector<std::string> other_emails;
    Id company_id = 0;
    std::vector<Id> other_companies;
    TagSet tags = 0;
    bool active = true;  // verified
    ContactState state = ContactState::active;
    bool was_agent = false;  // once an agent: a hard deletion anonymizes it, its tickets stay
    Time created_at = kNoTime;
    Time updated_at = kNoTime;
    Time deleted_at = kNoTime;
};

struct Agent {
    Id id = 0;  // in the contact id space
    std::string name;
    std::string email;
    bool occasional = false;
    Time created_at = kNoTime;
    Time updated_at = kNoTime;
};

struct Named {  // groups and companies
    Id id = 0;
    std::string name;
    Time created_at = kNoTime;
    Time updated_at = kNoTime;
};

// gone: removed for good (trash purge, hard deletion of its requester, or a gap in the ids).
enum class TicketState : std::uint8_t { live, trash, gone };

inline constexpr Time kTrashDays = 30;  // Freshdesk purges its trash after 30 days

// 112 bytes; the ticket's id is its index + 1 (the account's display number).
struct Ticket {
    Id requester_id = 0;
    Id responder_id = 0;
    Id group_id = 0;
    Id company_id = 0;
    Time created_at = kNoTime;
    Time updated_at = kNoTime;
    Time closed_at = kNoTime;
    Time resolved_at = kNoTime;
    Time status_updated_at = kNoTime;
    Time reopened_at = kNoTime;
    Time deleted_at = kNoTime;
    Time removal_at = kNoTime;  // set by a requester's hard deletion: gone from this time on
    Sym type = 0;
    TagSet tags = 0;
    std::uint8_t status = 2;
    std::uint8_t priority = 1;
    std::uint8_t source = 2;
    bool spam = false;
    TicketState state = TicketState::live;
};

// How a ticket shows at a given time (the trash purge and hard-deletion removal are lazy).
enum class Seen { live, spam, trash, archived, gone };
Seen seen(const Ticket& t, Time now, int archive_days);

struct Job {
    std::string id;
    std::uint64_t seq = 0;  // creation order
    Time created_at = 0;
    Time due_at = 0;
    std::vector<Id> ids;
    bool done = false;
    std::vector<std::pair<Id, bool>> results;  // per id, in request order: trashed or not
};

class Account {
  public:
    StringPool strings;
    TagPool tagsets;
    std::vector<Ticket> tickets;
    std::vector<Contact> contacts;
    std::vector<Agent> agents;
    std::vector<Named> groups;
    std::vector<Named> companies;
    std::vector<Sym> ticket_types;
    std::unordered_map<std::string, Job> jobs;
    mutable std::shared_mutex mutex;

    using Key = std::pair<Time, std::uint32_t>;  // (time, ticket index)

    // Builds every index; throws std::runtime_error on duplicate ids or emails.
    void build_indexes();

    std::optional<std::size_t> contact_at(Id id) const;  // any state, hard-deleted included
    std::optional<std::size_t> agent_at(Id id) const;
    std::optional<std::size_t> contact_by_email(std::string_view email) const;  // primary or other
    const Named* group(Id id) const;
    const Named* company(Id id) const;
    const std::vector<std::uint32_t>& tickets_of(Id requester) const;
    const std::set<Key>& by_updated() const { return by_updated_; }
    const std::vector<Key>& by_created() const { return by_created_; }
    const std::vector<std::uint32_t>& contacts_by_name() const { return by_name_; }

    std::vector<std::string_view> tag_names(TagSet set) const;
    TagSet intern_tags(const std::vector<std::string>& tags);

    // Mutations that keep the indexes right.
    void set_ticket_updated(std::uint32_t index, Time updated_at);
    std::uint32_t add_ticket(const Ticket& ticket);
    std::size_t add_contact(Contact contact);  // throws on a duplicate id or email
    void add_agent(Agent agent);               // throws on a duplicate id
    // A hard-deleted contact's emails are free again.
    void release_emails(std::size_t index);
    // After a contact's name or emails changed: re-index them (throws on an email taken by
    // another contact, leaving the indexes as they were).
    void contact_changed(std::size_t index, const Contact& before);

    // The search index lags: it sees the account as it was `lag` seconds ago. Call before changing
    // a ticket or contact (or right after adding one, with existed = false).
    void remember_ticket(std::uint32_t index, Time now, Time lag, bool existed = true);
    void remember_contact(std::size_t index, Time now, Time lag, bool existed = true);
    // The ticket or contact as the search index sees it at `when`; nullptr: it did not exist.
    const Ticket* ticket_as_of(std::uint32_t index, Time when) const;
    const Contact* contact_as_of(std::size_t index, Time when) const;

  private:
    template <class T>
    struct Record {
        Time at;
        std::optional<T> before;
    };
    void index_contact_emails(std::size_t index);
    void release_emails_of(const Contact& c, std::size_t index);
    void insert_by_name(std::size_t index);

    std::unordered_map<Id, std::size_t> contact_ids_;
    std::unordered_map<Id, std::size_t> agent_ids_;
    std::unordered_map<std::string, std::size_t> emails_;  // lower-case email -> contact index
    std::unordered_map<Id, std::vector<std::uint32_t>> by_requester_;
    std::set<Key> by_updated_;
    std::vector<Key> by_created_;
    std::vector<std::uint32_t> by_name_;
    std::unordered_map<std::uint32_t, std::vector<Record<Ticket>>> ticket_history_;
    std::unordered_map<std::size_t, std::vector<Record<Contact>>> contact_history_;
};

// Loads an account file (docs/simulator-account.md); throws std::runtime_error naming the file
// and the JSON path of the first problem.
std::unique_ptr<Account> load_account(const std::string& path);
// Generates an account from "contacts=N,tickets=M,seed=S[,agents=A,companies=C]", deterministic
// for a spec and `now`; throws std::runtime_error on a bad spec.
std::unique_ptr<Account> generate_account(std::string_view spec, Time now);

}  // namespace sim
