#include "faults.hpp"

#include <utility>

namespace sim::server {

namespace {

// splitmix64: a good 64-bit mix, so consecutive (seed, n, stream) give independent-looking draws.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Uniform in [0, 1).
double unit(std::uint64_t seed, std::uint64_t n, std::uint64_t stream) {
    const std::uint64_t h = mix(mix(seed ^ (stream << 56)) + n);
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}

bool read_rate(const boost::json::value& v, double& out) {
    if (!v.is_number()) {
        return false;
    }
    const double r = v.to_number<double>();
    if (!(r >= 0 && r <= 1)) {
        return false;
    }
    out = r;
    return true;
}

constexpr std::pair<RateHeaderFormat, std::string_view> kFormats[] = {
    {RateHeaderFormat::integer, "integer"},
    {RateHeaderFormat::decimal, "decimal"},
    {RateHeaderFormat::garbled, "garbled"},
    {RateHeaderFormat::absent, "absent"}};

bool read_format(const boost::json::value& v, RateHeaderFormat& out) {
    const auto parsed = v.is_string() ? rate_header_format(v.as_string()) : std::nullopt;
    out = parsed.value_or(out);
    return parsed.has_value();
}

bool read_count(const boost::json::value& v, int max, int& out) {
    if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > max) {
        return false;
    }
    out = static_cast<int>(v.as_int64());
    return true;
}

}  // namespace

std::optional<RateHeaderFormat> rate_header_format(std::string_view name) {
    for (const auto& [format, text] : kFormats) {
        if (text == name) {
            return format;
        }
    }
    return std::nullopt;
}

std::string_view name_of(RateHeaderFormat format) {
    for (const auto& [value, text] : kFormats) {
        if (value == format) {
            return text;
        }
    }
    return "integer";
}

Faults::Faults(FaultSettings settings) : settings_(settings) {}

bool Faults::take_burst() {
    std::lock_guard lock(mutex_);
    if (settings_.burst_429 <= 0) {
        return false;
    }
    --settings_.burst_429;
    return true;
}

bool Faults::draw_storm() {
    std::lock_guard lock(mutex_);
    if (settings_.storm_429_rate <= 0) {
        return false;
    }
    return unit(settings_.seed, storm_draws_++, 4) < settings_.storm_429_rate;
}

Fault Faults::draw() {
    std::lock_guard lock(mutex_);
    if (settings_.fail_rate <= 0 && settings_.drop_rate <= 0) {
        return Fault::none;
    }
    const std::uint64_t n = draws_++;
    if (unit(settings_.seed, n, 1) < settings_.fail_rate) {
        return unit(settings_.seed, n, 2) < 0.5 ? Fault::fail_500 : Fault::fail_503;
    }
    if (unit(settings_.seed, n, 3) < settings_.drop_rate) {
        return Fault::drop;
    }
    return Fault::none;
}

int Faults::latency_ms() const {
    std::lock_guard lock(mutex_);
    return settings_.latency_ms;
}

FaultSettings Faults::settings() const {
    std::lock_guard lock(mutex_);
    return settings_;
}

std::string Faults::update(const boost::json::object& changes) {
    std::lock_guard lock(mutex_);
    FaultSettings next = settings_;
    bool reseed = false;
    for (const auto& [key, value] : changes) {
        bool ok = false;
        if (key == "fail_rate") {
            ok = read_rate(value, next.fail_rate);
        } else if (key == "drop_rate") {
            ok = read_rate(value, next.drop_rate);
        } else if (key == "latency_ms") {
            ok = read_count(value, 600000, next.latency_ms);
        } else if (key == "burst_429") {
            ok = read_count(value, 1000000000, next.burst_429);
        } else if (key == "storm_429_rate") {
            ok = read_rate(value, next.storm_429_rate);
        } else if (key == "storm_retry_after") {
            ok = read_count(value, 86400, next.storm_retry_after);
        } else if (key == "rate_header_format") {
            ok = read_format(value, next.rate_headers);
        } else if (key == "seed") {
            ok = value.is_int64() && value.as_int64() >= 0;
            next.seed = ok ? static_cast<std::uint64_t>(value.as_int64()) : next.seed;
            reseed = true;
        } else {
            return "unknown key \"" + std::string(key) + "\"";
        }
        if (!ok) {
            return "bad value for \"" + std::string(key) + "\"";
        }
    }
    settings_ = next;
    if (reseed) {
        draws_ = 0;
        storm_draws_ = 0;
    }
    return "";
}

boost::json::object Faults::to_json() const {
    std::lock_guard lock(mutex_);
    return {{"fail_rate", settings_.fail_rate},
            {"drop_rate", settings_.drop_rate},
            {"seed", settings_.seed},
            {"latency_ms", settings_.latency_ms},
            {"burst_429", settings_.burst_429},
            {"storm_429_rate", settings_.storm_429_rate},
            {"storm_retry_after", settings_.storm_retry_after},
            {"rate_header_format", name_of(settings_.rate_headers)}};
}

}  // namespace sim::server
