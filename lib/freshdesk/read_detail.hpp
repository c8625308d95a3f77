#pragma once
// Internal to lib/freshdesk (read.cpp, read_tickets.cpp): checked answers and typed access to the
// fields of a parsed JSON answer, each problem a FormatError naming the call and the field's path.
#include "freshdesk/read.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gp::freshdesk::detail {

// Percent-encodes everything but RFC 3986's unreserved characters: a query value as sent.
std::string url_encode(std::string_view text);

// The body parsed into `storage` (a page's arena); FormatError naming `where` when it is not JSON.
boost::json::value parse_body(const std::string& where, const std::string& body,
                              boost::json::storage_ptr storage = {});
// The value as an array; FormatError naming `where` and `path` ("body" for the whole answer).
const boost::json::array& as_array(const std::string& where, const boost::json::value& value,
                                   std::string_view path = "body");

// A positive 64-bit integer, or nothing.
std::optional<Id> to_id(const boost::json::value& value);

// One JSON object of an answer, read field by field. "Optional" readers take null and an absent
// key alike as "none"; the others throw FormatError ("GET /api/v2/contacts/42: updated_at: not a
// timestamp").
class Fields {
  public:
    // FormatError unless `value` is an object. `path` locates it in the answer ("[3]", "" for the
    // whole body).
    Fields(const std::string& where, const boost::json::value& value, std::string path);

    const boost::json::value* find(std::string_view key) const;  // nullptr when absent
    Id id(std::string_view key) const;                           // a positive integer
    Id optional_id(std::string_view key) const;                  // else no_id
    UnixTime time(std::string_view key) const;                   // YYYY-MM-DDTHH:MM:SSZ
    UnixTime optional_time(std::string_view key) const;          // else no_time
    std::string optional_string(std::string_view key) const;     // else ""
    std::optional<std::string> nullable_string(std::string_view key) const;
    bool flag(std::string_view key) const;  // else false
    std::int64_t integer(std::string_view key) const;
    // An array of strings; nothing when null or absent.
    std::optional<std::vector<std::string>> strings(std::string_view key) const;
    // An array; nothing when null or absent.
    const boost::json::array* optional_array(std::string_view key) const;
    Fields object(std::string_view key) const;  // a nested object, required

    const std::string& where() const { return *where_; }
    std::string path(std::string_view key) const;  // "[3].stats"
    [[noreturn]] void fail(std::string_view key, std::string_view problem) const;

  private:
    const std::string* where_;
    const boost::json::object* object_;
    std::string path_;
};

// FormatError "<where>: <path>: <problem>".
[[noreturn]] void fail(const std::string& where, std::string_view path, std::string_view problem);

}  // namespace gp::freshdesk::detail
