#pragma once
// Response shapes of Freshdesk API v2 (docs/freshdesk-api.md, "Errors") and query-string reading.
#include "api.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim {

inline constexpr std::string_view kJsonType = "application/json; charset=utf-8";

struct FieldError {
    std::string field;
    std::string message;
    std::string code;
};
using Errors = std::vector<FieldError>;

Response json_response(int status, const boost::json::value& body);
// A body that is not JSON at all: Freshdesk's 404s (" ") and hard_delete's 400 ("").
Response bare_response(int status, std::string body);
Response no_content();  // 204
// {"description":"Validation failed","errors":[{"field","message","code"}...]}
Response validation_error(const Errors& errors, int status = 400);
// {"code","message"}: 401, 403, 415 and some 400s.
Response request_error(int status, std::string_view code, std::string_view message);
// 405 {"message":"DELETE method is not allowed. It should be one of these method(s): GET"}
Response method_not_allowed(std::string_view method, std::string_view allow);
Response not_found();  // 404 with a one-space body

// The query string, decoded ('+' is a space, as on Freshdesk's servers).
class Query {
  public:
    // nullopt when the target is not a valid origin-form URL.
    static std::optional<Query> parse(std::string_view target);
    const std::string& path() const { return path_; }
    const std::string* get(std::string_view key) const;
    bool has(std::string_view key) const { return get(key) != nullptr; }
    // Unknown and repeated parameters are validation errors (invalid_field / invalid_value).
    void check(std::initializer_list<std::string_view> allowed, Errors& errors) const;
    // The query as sent, with `page` replaced: for the Link header.
    std::string with_page(std::int64_t page) const;
    const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }

  private:
    std::string path_;
    std::vector<std::pair<std::string, std::string>> params_;
    std::vector<std::pair<std::string, std::string>> raw_;  // still percent-encoded
};

// A positive decimal integer that fits int64, nothing else (no sign, no spaces).
std::optional<std::int64_t> parse_positive(std::string_view text);

struct Paging {
    std::int64_t page = 1;
    std::int64_t per_page = 30;
};
// page >= 1, 1 <= per_page <= max_per_page; errors appended.
Paging read_paging(const Query& q, Errors& errors, std::int64_t max_per_page = 100);

// `<URL>; rel="next"` (or the `< URL>;rel="next"` variant) for the next page of this request.
std::string next_link(const ApiOptions& options, const Request& request, const Query& q,
                      std::int64_t next_page);
std::string base_url(const ApiOptions& options, const Request& request);

}  // namespace sim
