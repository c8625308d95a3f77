#pragma once
// UTC timestamps as Freshdesk writes them ("2024-05-01T12:00:00Z") and reads them in queries
// ("2024-05-01" or a full timestamp). Unix seconds inside the simulator.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace sim {

using Time = std::int64_t;
inline constexpr Time kNoTime = std::numeric_limits<Time>::min();  // JSON null
inline constexpr Time kDay = 86400;

// "YYYY-MM-DDTHH:MM:SSZ"
std::string format_time(Time t);
// "YYYY-MM-DD" (the UTC day of t)
std::string format_day(Time t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS+HH:MM" (offsets); nothing else.
std::optional<Time> parse_timestamp(std::string_view text);
// Accepts "YYYY-MM-DD" only.
std::optional<Time> parse_day(std::string_view text);
// Query dates: a day or a full timestamp.
std::optional<Time> parse_query_time(std::string_view text);

}  // namespace sim
