#pragma once
// Fault injection for /api/v2 requests: a seeded share of 500/503 answers, dropped connections,
// added latency, a burst of 429s, a storm of 429s (a seeded share, as from a budget that other
// integrations spend) and the rate-limit headers' format. Draws are a pure function of (seed,
// request number), so a run with the same seed and the same request order sees the same faults.
#include <boost/json/object.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sim::server {

// How X-RateLimit-* values are written: "700", "700.0" (seen on real accounts), "NaN" (a value no
// client can read), or not at all.
enum class RateHeaderFormat { integer, decimal, garbled, absent };

struct FaultSettings {
    double fail_rate = 0;       // share of requests answered 500 or 503 (not handled)
    double drop_rate = 0;       // share of requests handled, then dropped without an answer
    std::uint64_t seed = 1;     // --fault-seed
    int latency_ms = 0;         // added before every /api/v2 answer
    int burst_429 = 0;          // the next N requests answer 429
    double storm_429_rate = 0;  // share of requests answered 429, Remaining 0 (others' burst)
    int storm_retry_after = 1;  // the Retry-After of those
    RateHeaderFormat rate_headers = RateHeaderFormat::integer;
};

// "integer", "decimal", "garbled", "absent" (--rate-header-format, the /_sim/faults key).
std::optional<RateHeaderFormat> rate_header_format(std::string_view name);
std::string_view name_of(RateHeaderFormat format);

enum class Fault { none, fail_500, fail_503, drop };

class Faults {
  public:
    explicit Faults(FaultSettings settings);
    // True (and one fewer left) while a burst of 429s is pending.
    bool take_burst();
    // The storm's draw for the next request (a sequence of its own): true answers 429.
    bool draw_storm();
    // The fault, if any, for the next request.
    Fault draw();
    int latency_ms() const;
    FaultSettings settings() const;
    // Applies the keys of a POST /_sim/faults body; "" on success, else what is wrong (nothing
    // changes then). Setting "seed" restarts the draw sequence.
    std::string update(const boost::json::object& changes);
    boost::json::object to_json() const;

  private:
    mutable std::mutex mutex_;
    FaultSettings settings_;
    std::uint64_t draws_ = 0;
    std::uint64_t storm_draws_ = 0;
};

}  // namespace sim::server
