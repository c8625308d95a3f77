#pragma once
// What the simulator has served: counters per endpoint label (GET /_sim/stats) and a bounded log of
// requests (GET /_sim/log). Neither ever holds a request's headers, so no API key ends up here.
#include "faults.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace sim::server {

class Stats {
  public:
    // One /api/v2 answer (or dropped request: status 0) of `endpoint`, charged `credits`.
    void record(const std::string& endpoint, int status, int credits);
    void count_rate_limited() { add(rate_limited_); }
    void count_fault(Fault fault);
    void count_burst_429() { add(burst_429_); }
    void count_storm_429() { add(storm_429_); }
    void reset();
    boost::json::object to_json() const;

  private:
    struct Counters {
        std::int64_t requests = 0;
        std::int64_t credits = 0;
        std::map<int, std::int64_t> statuses;
    };
    void add(std::int64_t& counter);

    mutable std::mutex mutex_;
    std::map<std::string, Counters> endpoints_;
    Counters totals_;
    std::int64_t rate_limited_ = 0, burst_429_ = 0, storm_429_ = 0, fail_500_ = 0, fail_503_ = 0,
                 drops_ = 0;
};

struct LogEntry {
    std::string method;
    std::string target;  // path and query, with the API key masked should a client put it there
    std::string endpoint;
    int status = 0;  // 0: dropped without an answer
    int credits = 0;
    std::int64_t time = 0;  // the simulator's clock
    std::string request_id;
};

class RequestLog {
  public:
    explicit RequestLog(std::size_t capacity) : capacity_(capacity) {}
    void add(LogEntry entry);
    // Entries with index >= since (at most `limit`), oldest first, and the next index to ask for.
    boost::json::object since(std::uint64_t since, std::size_t limit) const;

  private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::uint64_t first_ = 0;  // index of entries_.front()
    std::deque<LogEntry> entries_;
};

}  // namespace sim::server
