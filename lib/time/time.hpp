#pragma once
// UTC timestamps as seconds since the Unix epoch, and the durations of rules files and options.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace gp {

using UnixTime = std::int64_t;
inline constexpr UnixTime no_time = std::numeric_limits<UnixTime>::min();
inline constexpr std::int64_t seconds_per_day = 86400;

// Strict "YYYY-MM-DDTHH:MM:SSZ".
std::optional<UnixTime> parse_timestamp(std::string_view text);
// Strict "YYYY-MM-DD" (midnight UTC).
std::optional<UnixTime> parse_date(std::string_view text);
// Either of the two forms above (the --as-of syntax of cli.md).
std::optional<UnixTime> parse_time_arg(std::string_view text);
// An HTTP Date header's IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110, 5.6.7): the form
// every current server sends. The obsolete forms give nothing.
std::optional<UnixTime> parse_http_date(std::string_view text);

std::string format_timestamp(UnixTime t);  // "YYYY-MM-DDTHH:MM:SSZ"
std::string format_date(UnixTime t);       // "YYYY-MM-DD"
UnixTime start_of_day(UnixTime t);         // midnight UTC of t's day

// A duration as written ("180d") and its length. Units: d, w (7 d), m (30 d), y (365 d), and h
// where allowed. The text is kept for messages and plan reasons.
struct Duration {
    std::int64_t seconds = 0;
    std::string text;
    // Whether this long has passed from `reference` (no_time: never) to `as_of`.
    bool passed(UnixTime reference, UnixTime as_of) const {
        return reference != no_time && reference <= as_of - seconds;
    }
    friend bool operator==(const Duration&, const Duration&) = default;
};

enum class HourUnit { refused, allowed };

// "N<unit>" with N a positive decimal integer without sign or leading '+'. Returns nothing on any
// other text (including "0d" and overflow).
std::optional<Duration> parse_duration(std::string_view text, HourUnit hours = HourUnit::refused);

}  // namespace gp
