#include "time_fmt.hpp"

#include <cstdio>

namespace sim {

// Days since 1970-01-01 of a proleptic Gregorian date (the well-known era/day-of-era method).
std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned mp = month > 2 ? month - 3 : month + 9;
    const unsigned doy = (153 * mp + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

struct Civil {
    int year;
    unsigned month;
    unsigned day;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
    return {y, m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Reads exactly `width` digits at text[pos].
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size())
        return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool valid_date(int y, int m, int d) {
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1])
        return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

std::optional<Time> parse_date_part(std::string_view text) {
    const auto y = digits(text, 0, 4);
    const auto m = digits(text, 5, 2);
    const auto d = digits(text, 8, 2);
    if (!y || !m || !d || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    if (!valid_date(*y, *m, *d))
        return std::nullopt;
    return days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d)) * kDay;
}

}  // namespace

std::string format_time(Time t) {
    const std::int64_t days = floor_div(t, kDay);
    const std::int64_t secs = t - days * kDay;
    const Civil c = civil_from_days(days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", c.year, c.month, c.day,
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                  static_cast<int>(secs % 60));
    return buf;
}

std::string format_day(Time t) {
    return format_time(t).substr(0, 10);
}

std::optional<Time> parse_day(std::string_view text) {
    if (text.size() != 10)
        return std::nullopt;
    return parse_date_part(text);
}

std::optional<Time> parse_timestamp(std::string_view text) {
    if (text.size() != 20 && text.size() != 25)
        return std::nullopt;
    const auto day = parse_date_part(text);
    const auto hh = digits(text, 11, 2);
    const auto mm = digits(text, 14, 2);
    const auto ss = digits(text, 17, 2);
    if (!day || !hh || !mm || !ss || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    if (*hh > 23 || *mm > 59 || *ss > 59)
        return std::nullopt;
    Time t = *day + *hh * 3600 + *mm * 60 + *ss;
    if (text.size() == 20) {
        if (text[19] != 'Z')
            return std::nullopt;
        return t;
    }
    const auto oh = digits(text, 20, 2);
    const auto om = digits(text, 23, 2);
    if ((text[19] != '+' && text[19] != '-') || !oh || !om || text[22] != ':' || *oh > 23 ||
        *om > 59)
        return std::nullopt;
    const Time offset = *oh * 3600 + *om * 60;
    return text[19] == '+' ? t - offset : t + offset;
}

std::optional<Time> parse_query_time(std::string_view text) {
    if (text.size() == 10)
        return parse_day(text);
    return parse_timestamp(text);
}

}  // namespace sim
