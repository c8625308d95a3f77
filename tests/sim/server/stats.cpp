#include "stats.hpp"

#include "time_iso.hpp"

#include <boost/json/array.hpp>

namespace sim::server {

namespace {

boost::json::object counters_json(std::int64_t requests, std::int64_t credits,
                                  const std::map<int, std::int64_t>& statuses) {
    boost::json::object by_status;
    for (const auto& [status, n] : statuses) {
        by_status[std::to_string(status)] = n;
    }
    return {{"requests", requests}, {"credits", credits}, {"statuses", std::move(by_status)}};
}

}  // namespace

void Stats::add(std::int64_t& counter) {
    std::lock_guard lock(mutex_);
    ++counter;
}

void Stats::record(const std::string& endpoint, int status, int credits) {
    std::lock_guard lock(mutex_);
    for (Counters* c : {&endpoints_[endpoint], &totals_}) {
        ++c->requests;
        c->credits += credits;
        ++c->statuses[status];
    }
}

void Stats::count_fault(Fault fault) {
    std::lock_guard lock(mutex_);
    switch (fault) {
        case Fault::fail_500:
            ++fail_500_;
            break;
        case Fault::fail_503:
            ++fail_503_;
            break;
        case Fault::drop:
            ++drops_;
            break;
        case Fault::none:
            break;
    }
}

void Stats::reset() {
    std::lock_guard lock(mutex_);
    endpoints_.clear();
    totals_ = Counters{};
    rate_limited_ = burst_429_ = storm_429_ = fail_500_ = fail_503_ = drops_ = 0;
}

boost::json::object Stats::to_json() const {
    std::lock_guard lock(mutex_);
    boost::json::object endpoints;
    for (const auto& [name, c] : endpoints_) {
        endpoints[name] = counters_json(c.requests, c.credits, c.statuses);
    }
    boost::json::object faults{{"burst_429", burst_429_},
                               {"storm_429", storm_429_},
                               {"fail_500", fail_500_},
                               {"fail_503", fail_503_},
                               {"drops", drops_},
                               {"total", burst_429_ + storm_429_ + fail_500_ + fail_503_ + drops_}};
    return {{"endpoints", std::move(endpoints)},
            {"totals", counters_json(totals_.requests, totals_.credits, totals_.statuses)},
            {"rate_limited_429", rate_limited_},
            {"sent_429", rate_limited_ + burst_429_ + storm_429_},
            {"faults", std::move(faults)}};
}

void RequestLog::add(LogEntry entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
    if (entries_.size() > capacity_) {
        entries_.pop_front();
        ++first_;
    }
}

boost::json::object RequestLog::since(std::uint64_t since, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    boost::json::array out;
    std::uint64_t index = std::max(since, first_);
    for (; index < first_ + entries_.size() && out.size() < limit; ++index) {
        const LogEntry& e = entries_[static_cast<std::size_t>(index - first_)];
        out.push_back(boost::json::object{{"index", index},
                                          {"method", e.method},
                                          {"target", e.target},
                                          {"endpoint", e.endpoint},
                                          {"status", e.status},
                                          {"credits", e.credits},
                                          {"time", format_utc(e.time)},
                                          {"request_id", e.request_id}});
    }
    return {{"first", first_}, {"next", index}, {"entries", std::move(out)}};
}

}  // namespace sim::server
