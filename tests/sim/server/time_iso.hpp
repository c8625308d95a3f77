#pragma once
// UTC timestamps for the server's own options and controls (--now, POST /_sim/clock, the request
// log).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim::server {

// "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" (midnight UTC); nothing else.
std::optional<std::int64_t> parse_utc(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ"
std::string format_utc(std::int64_t unix_seconds);

}  // namespace sim::server
