#pragma once
// What an answer says about the rate limits: X-RateLimit-Total, -Remaining, -Used-CurrentRequest
// and Retry-After read as numbers (real accounts write "700.0" as well as "700"), and what the
// pacer and the counters take from them. Internal to lib/freshdesk. Decisions in docs/decisions.md
// ("Freshdesk client").
#include "freshdesk/client.hpp"
#include "freshdesk/pacer.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace gp::freshdesk {

// Which way a fraction goes: down for what the account allows (Total, Remaining), up for what a
// call cost (Used-CurrentRequest), so that a fraction never makes the pacer bolder.
enum class Rounding { down, up };

// A header value as a whole number: digits, optionally '.' and more digits, blanks around
// ("700", "700.0", " 50.0 "). Anything else is unreadable: a sign, an exponent ("1e3"), hex, "NaN",
// an empty value, more than 9 digits before the point. nullopt when absent or unreadable.
std::optional<int> header_count(std::optional<std::string_view> value, Rounding rounding);

// Retry-After in seconds ("1", "1.5"), a fraction rounded up to the millisecond, at most 600 s
// (a longer one is not believed); nullopt when absent or an HTTP date (the backoff applies then).
std::optional<std::chrono::milliseconds> retry_after_of(std::optional<std::string_view> value);

// The pacer's view of an answer (Pacer::Answer), and the credits it cost.
Pacer::Answer pacer_answer(const Reply& reply);
int credits_charged(const Call& call, const Reply& reply);

}  // namespace gp::freshdesk
