#include "faults.hpp"

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

bool read_count(const boost::json::value& v, int max, int& out) {
    if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > max) {
        return false;
    }
    out = static_cast<int>(v.as_int64());
    return true;
}

}  // namespace

Faults::Faults(FaultSettings settings) : settings_(settings) {}

bool Faults::take_burst() {
    std::lock_guard lock(mutex_);
    if (settings_.burst_429 <= 0) {
        return false;
    }
    --settings_.burst_429;
    return true;
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
    }
    return "";
}

boost::json::object Faults::to_json() const {
    std::lock_guard lock(mutex_);
    return {{"fail_rate", settings_.fail_rate},
            {"drop_rate", settings_.drop_rate},
            {"seed", settings_.seed},
            {"latency_ms", settings_.latency_ms},
            {"burst_429", settings_.burst_429}};
}

}  // namespace sim::server
