#pragma once
// The simulator's settable clock: starts at --now (or the real time) and runs at real speed from
// there; tests move it with POST /_sim/clock.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace sim {

class Clock {
  public:
    explicit Clock(std::int64_t start_unix) { set(start_unix); }
    std::int64_t now() const {
        const auto elapsed = std::chrono::steady_clock::now().time_since_epoch() - anchor_.load();
        return base_.load() + std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    }
    void set(std::int64_t unix) {
        anchor_.store(std::chrono::steady_clock::now().time_since_epoch());
        base_.store(unix);
    }
    void advance(std::int64_t seconds) { set(now() + seconds); }

  private:
    std::atomic<std::int64_t> base_{0};
    std::atomic<std::chrono::steady_clock::duration> anchor_{};
};

}  // namespace sim
