#pragma once
// Fault injection for /api/v2 requests: a seeded share of 500/503 answers, dropped connections,
// added latency and a burst of 429s. Draws are a pure function of (seed, request number), so a run
// with the same seed and the same request order sees the same faults.
#include <boost/json/object.hpp>

#include <cstdint>
#include <mutex>
#include <string>

namespace sim::server {

struct FaultSettings {
    double fail_rate = 0;    // share of requests answered 500 or 503 (not handled)
    double drop_rate = 0;    // share of requests handled, then dropped without an answer
    std::uint64_t seed = 1;  // --fault-seed
    int latency_ms = 0;      // added before every /api/v2 answer
    int burst_429 = 0;       // the next N requests answer 429
};

enum class Fault { none, fail_500, fail_503, drop };

class Faults {
  public:
    explicit Faults(FaultSettings settings);
    // True (and one fewer left) while a burst of 429s is pending.
    bool take_burst();
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
};

}  // namespace sim::server
