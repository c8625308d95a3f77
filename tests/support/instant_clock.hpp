#pragma once
// A freshdesk::Clock that never sleeps: the pacer's and the retries' waits only move its time on.
// For tests against the account in process, which answers at once and refuses nothing.
#include "freshdesk/client.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

namespace simtest {

class InstantClock final : public gp::freshdesk::Clock {
  public:
    std::chrono::steady_clock::time_point now() override {
        return start_ + std::chrono::milliseconds(offset_ms_.load());
    }
    void sleep_for(std::chrono::milliseconds duration) override { offset_ms_ += duration.count(); }

  private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::atomic<std::int64_t> offset_ms_{0};
};

}  // namespace simtest
