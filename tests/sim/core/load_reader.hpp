#pragma once
// Strict reading of the account file: every problem names its JSON path
// ("tickets[12].stats.closed_at: expected a timestamp or null").
#include "account.hpp"

#include <boost/json.hpp>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sim::load {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& path, const std::string& message);

// Parses text; throws Error with line:column on bad JSON or a duplicate key.
boost::json::value parse_strict(std::string_view text);

const boost::json::array& as_array(const boost::json::value& v, const std::string& path);

class Obj {
  public:
    Obj(const boost::json::value& v, std::string path);
    // Unknown keys are an error: a typo must not silently change the account.
    void allow(std::initializer_list<std::string_view> keys) const;
    bool has(std::string_view key) const;
    const boost::json::value* get(std::string_view key) const;
    std::string at(std::string_view key) const { return path_ + "." + std::string(key); }

    Id id(std::string_view key) const;                     // required positive integer
    Id id_or_null(std::string_view key) const;             // 0 when absent or null
    std::string str(std::string_view key) const;           // required non-empty string
    std::string str_or_empty(std::string_view key) const;  // "" when absent or null
    Time time(std::string_view key) const;                 // required timestamp
    Time time_or_null(std::string_view key) const;
    bool boolean(std::string_view key, bool fallback) const;
    std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                         std::int64_t fallback) const;
    std::vector<std::string> strings(std::string_view key) const;  // [] when absent
    std::vector<Id> ids(std::string_view key) const;

  private:
    const boost::json::object* obj_;
    std::string path_;
};

void read_groups(Account& acc, const boost::json::value& v);
void read_companies(Account& acc, const boost::json::value& v);
void read_ticket_types(Account& acc, const boost::json::value& v);
void read_agents(Account& acc, const boost::json::value& v);
void read_contacts(Account& acc, const boost::json::value& v);
void read_tickets(Account& acc, const boost::json::value& v);

// One item of a section, as the file describes it (also used by the /_sim/ controls).
Ticket read_ticket(Account& acc, const Obj& o);
Contact read_contact(Account& acc, const Obj& o);
Agent read_agent(const Obj& o);

}  // namespace sim::load
