#include "time/time.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace gp {

namespace {

namespace chrono = std::chrono;

// The proleptic Gregorian calendar of std::chrono (year_month_day). Its years end at +-32767;
// a date is taken apart within the first 400-year cycle after 1970 (the calendar repeats every
// 146097 days), so that any day count gives its date, as far as an int64 of seconds reaches
// (a rule's "delete_after: 1000000y" makes a due date far out).
constexpr std::int64_t days_per_cycle = 146097;

struct Civil {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

Civil civil_from_days(std::int64_t days) {
    const std::int64_t cycle = (days >= 0 ? days : days - (days_per_cycle - 1)) / days_per_cycle;
    const chrono::year_month_day date{
        chrono::sys_days{chrono::days{days - cycle * days_per_cycle}}};
    return {static_cast<int>(date.year()) + cycle * 400, static_cast<unsigned>(date.month()),
            static_cast<unsigned>(date.day())};
}

// Reads exactly `width` digits at `pos`.
std::optional<unsigned> digits(std::string_view text, std::size_t pos, std::size_t width) {
    unsigned value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return value;
}

std::optional<UnixTime> parse_date_prefix(std::string_view text) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    const auto y = digits(text, 0, 4);
    const auto m = digits(text, 5, 2);
    const auto d = digits(text, 8, 2);
    if (!y || !m || !d) {
        return std::nullopt;
    }
    const chrono::year_month_day date{chrono::year{static_cast<int>(*y)}, chrono::month{*m},
                                      chrono::day{*d}};
    if (!date.ok()) {  // a month past 12, a day past the month's end (29 February of 2100)
        return std::nullopt;
    }
    return chrono::sys_days{date}.time_since_epoch().count() * seconds_per_day;
}

}  // namespace

std::optional<UnixTime> parse_date(std::string_view text) {
    if (text.size() != 10) {
        return std::nullopt;
    }
    return parse_date_prefix(text);
}

std::optional<UnixTime> parse_timestamp(std::string_view text) {
    if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
        text[19] != 'Z') {
        return std::nullopt;
    }
    const auto day = parse_date_prefix(text);
    const auto h = digits(text, 11, 2);
    const auto mi = digits(text, 14, 2);
    const auto s = digits(text, 17, 2);
    if (!day || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) {
        return std::nullopt;
    }
    return *day + *h * 3600 + *mi * 60 + *s;
}

std::optional<UnixTime> parse_time_arg(std::string_view text) {
    return text.size() == 10 ? parse_date(text) : parse_timestamp(text);
}

std::optional<UnixTime> parse_http_date(std::string_view text) {
    // "Www, DD Mon YYYY HH:MM:SS GMT": 29 characters.
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' ||
        text[11] != ' ' || text[16] != ' ' || text.substr(25) != " GMT") {
        return std::nullopt;
    }
    const std::size_t month = months.find(text.substr(8, 3));
    if (month == std::string_view::npos || month % 3 != 0) {
        return std::nullopt;
    }
    char iso[64] = {};
    std::snprintf(iso, sizeof iso, "%.4s-%02zu-%.2sT%.8sZ", text.data() + 12, month / 3 + 1,
                  text.data() + 5, text.data() + 17);
    return parse_timestamp(std::string_view(iso, 20));
}

UnixTime start_of_day(UnixTime t) {
    const std::int64_t days = (t >= 0 ? t : t - (seconds_per_day - 1)) / seconds_per_day;
    return days * seconds_per_day;
}

std::string format_date(UnixTime t) {
    const Civil c = civil_from_days(start_of_day(t) / seconds_per_day);
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%04lld-%02u-%02u", static_cast<long long>(c.year),
                  c.month, c.day);
    return buf.data();
}

std::string format_timestamp(UnixTime t) {
    const std::int64_t secs = t - start_of_day(t);
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "T%02lld:%02lld:%02lldZ",
                  static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                  static_cast<long long>(secs % 60));
    return format_date(t) + buf.data();
}

std::optional<Duration> parse_duration(std::string_view text, HourUnit hours) {
    if (text.size() < 2) {
        return std::nullopt;
    }
    std::int64_t unit = 0;
    switch (text.back()) {
        case 'h':
            unit = hours == HourUnit::allowed ? 3600 : 0;
            break;
        case 'd':
            unit = seconds_per_day;
            break;
        case 'w':
            unit = 7 * seconds_per_day;
            break;
        case 'm':
            unit = 30 * seconds_per_day;
            break;
        case 'y':
            unit = 365 * seconds_per_day;
            break;
        default:
            break;
    }
    if (unit == 0) {
        return std::nullopt;
    }
    std::int64_t n = 0;
    for (char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9' || n > 1'000'000'000) {
            return std::nullopt;
        }
        n = n * 10 + (c - '0');
    }
    if (n == 0) {
        return std::nullopt;
    }
    return Duration{n * unit, std::string(text)};
}

}  // namespace gp
