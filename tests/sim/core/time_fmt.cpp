#include "time_fmt.hpp"

#include "time/time.hpp"

namespace sim {

// The simulator uses the project's own UTC code (lib/time); only Freshdesk's extra timestamp form
// with an offset is handled here.

std::string format_time(Time t) {
    return gp::format_timestamp(t);
}

std::string format_day(Time t) {
    return gp::format_date(t);
}

std::optional<Time> parse_day(std::string_view text) {
    return gp::parse_date(text);
}

std::optional<Time> parse_timestamp(std::string_view text) {
    if (text.size() != 25) {
        return gp::parse_timestamp(text);
    }
    const char sign = text[19];
    if ((sign != '+' && sign != '-') || text[22] != ':') {
        return std::nullopt;
    }
    const auto local = gp::parse_timestamp(std::string(text.substr(0, 19)) + "Z");
    const auto offset = gp::parse_timestamp("1970-01-01T" + std::string(text.substr(20, 2)) + ":" +
                                            std::string(text.substr(23, 2)) + ":00Z");
    if (!local || !offset) {
        return std::nullopt;
    }
    return sign == '+' ? *local - *offset : *local + *offset;
}

std::optional<Time> parse_query_time(std::string_view text) {
    return text.size() == 10 ? parse_day(text) : parse_timestamp(text);
}

}  // namespace sim
