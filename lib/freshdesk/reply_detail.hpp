#pragma once
// Internal to lib/freshdesk (reply.cpp, used by client.cpp): the text of calls and answers for
// messages, and an answer turned into a Reply.
#include "freshdesk/client.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gp::freshdesk::detail {

// Server text for one log line: no control characters, at most `limit` characters.
std::string one_line(std::string_view text, std::size_t limit = 300);
// The first header of that name, compared case-insensitively.
std::optional<std::string_view> find_header(const std::vector<http::Header>& headers,
                                            std::string_view name);
// The target with the query values that hold an email address shown as "***".
std::string masked_target(std::string_view target);
// "Not Found" for 404, ...: the status line's words.
std::string reason_phrase(int status);
// The transport's result as a Reply: the failure (key redacted), or the status, headers, body,
// Freshdesk's error fields and the next page's target.
Reply reply_from(http::Result&& result, const ApiKey& key);
// The error code an ApiError carries: Freshdesk's, else the first field error's.
std::string error_code(const Reply& reply);
// What a failed answer says: "404 Not Found", "400 invalid_value: Validation failed; email: It
// should be a valid email (invalid_value)" (the status, Freshdesk's code, message and first five
// field errors), or the transport's failure when there was no answer.
std::string describe_reply(const Reply& reply);
// An ApiError's message: the call, describe_reply(), and a hint for 401 and 403.
std::string api_error_text(const Call& call, const Reply& reply);

}  // namespace gp::freshdesk::detail
