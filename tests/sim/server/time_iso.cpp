// The server's times use the project's UTC code (lib/time); the simulator's clock starts in 1970.
#include "time_iso.hpp"

#include "time/time.hpp"

namespace sim::server {

std::optional<std::int64_t> parse_utc(std::string_view text) {
    const auto t = gp::parse_time_arg(text);
    if (!t || *t < 0) {
        return std::nullopt;
    }
    return t;
}

std::string format_utc(std::int64_t unix_seconds) {
    return gp::format_timestamp(unix_seconds);
}

}  // namespace sim::server
