#include "freshdesk/rate_headers.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cstdint>

namespace gp::freshdesk {

namespace {

constexpr std::size_t max_digits = 9;  // up to 999,999,999: an int, and more than any plan
constexpr std::chrono::milliseconds retry_after_cap{600000};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// "W" or "W.F" (W and F digits, W at most max_digits long): the whole part and the fraction's
// digits; false for anything else.
bool split_number(std::string_view text, std::int64_t& whole, std::string_view& fraction) {
    text = trim(text);
    const std::size_t point = text.find('.');
    const std::string_view digits = text.substr(0, point);
    fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
    const bool digits_only = std::all_of(digits.begin(), digits.end(), is_digit) &&
                             std::all_of(fraction.begin(), fraction.end(), is_digit);
    if (digits.empty() || digits.size() > max_digits || !digits_only ||
        (point != std::string_view::npos && fraction.empty())) {
        return false;
    }
    whole = 0;
    for (const char c : digits) {
        whole = whole * 10 + (c - '0');
    }
    return true;
}

bool nonzero(std::string_view digits) {
    return std::any_of(digits.begin(), digits.end(), [](char c) { return c != '0'; });
}

}  // namespace

std::optional<int> header_count(std::optional<std::string_view> value, Rounding rounding) {
    std::int64_t whole = 0;
    std::string_view fraction;
    if (!value || !split_number(*value, whole, fraction)) {
        return std::nullopt;
    }
    const bool round_up = rounding == Rounding::up && nonzero(fraction);
    return static_cast<int>(whole + (round_up ? 1 : 0));
}

std::optional<std::chrono::milliseconds> retry_after_of(std::optional<std::string_view> value) {
    std::int64_t whole = 0;
    std::string_view fraction;
    if (!value || !split_number(*value, whole, fraction)) {
        return std::nullopt;
    }
    std::int64_t ms = whole * 1000;
    std::int64_t scale = 100;
    for (std::size_t i = 0; i < fraction.size() && i < 3; ++i, scale /= 10) {
        ms += (fraction[i] - '0') * scale;
    }
    ms += fraction.size() > 3 && nonzero(fraction.substr(3)) ? 1 : 0;
    return std::min(std::chrono::milliseconds{ms}, retry_after_cap);
}

Pacer::Answer pacer_answer(const Reply& reply) {
    Pacer::Answer answer;
    answer.answered = reply.status != 0;
    if (!answer.answered) {
        // Not sent: nothing charged. Sent: unknown, the estimate stays.
        answer.used =
            reply.failure && !reply.failure->request_sent ? std::optional(0) : std::nullopt;
        return answer;
    }
    answer.used = header_count(reply.header("X-RateLimit-Used-CurrentRequest"), Rounding::up);
    answer.total = header_count(reply.header("X-RateLimit-Total"), Rounding::down);
    answer.remaining = header_count(reply.header("X-RateLimit-Remaining"), Rounding::down);
    answer.rate_limited = reply.status == 429;
    answer.retry_after = retry_after_of(reply.header("Retry-After"));
    return answer;
}

int credits_charged(const Call& call, const Reply& reply) {
    if (reply.status == 429) {
        return 0;
    }
    if (reply.status == 0) {
        return reply.failure && reply.failure->request_sent ? std::max(0, call.credits) : 0;
    }
    const std::optional<int> used =
        header_count(reply.header("X-RateLimit-Used-CurrentRequest"), Rounding::up);
    return used.value_or(std::max(0, call.credits));
}

}  // namespace gp::freshdesk
