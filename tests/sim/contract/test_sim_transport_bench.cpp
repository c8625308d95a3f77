// freshdesk-sim's throughput (hidden: run with `test_sim_transport "[.bench]"`): pages of 100
// tickets of a generated 1M-ticket account, read from several keep-alive connections at once. The
// figures go to docs/simulator.md. SIM_BENCH_CONNECTIONS, SIM_BENCH_SECONDS, SIM_BENCH_THREADS and
// SIM_BENCH_GENERATE override the defaults.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <thread>

using simtest::Client;
using simtest::SimProcess;

namespace {

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

struct Result {
    long long requests = 0;
    long long bytes = 0;
    long long failures = 0;
};

// Requests target(n) for n = 0, 1, ... on each connection until the time is up.
Result hammer(int port, const std::function<std::string(int)>& target, int connections,
              std::chrono::seconds length) {
    std::atomic<long long> requests{0}, bytes{0}, failures{0};
    const auto deadline = std::chrono::steady_clock::now() + length;
    std::vector<std::thread> threads;
    for (int t = 0; t < connections; ++t) {
        threads.emplace_back([&, t] {
            Client c(port);
            for (int n = t * 37; std::chrono::steady_clock::now() < deadline; ++n) {
                const auto r = c.get(target(n));
                ++requests;
                bytes += static_cast<long long>(r.body.size());
                failures += r.status == 200 ? 0 : 1;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    return Result{requests, bytes, failures};
}

}  // namespace

TEST_CASE("throughput: tickets list pages of a 1M-ticket account", "[.bench]") {
    const int connections = std::stoi(env_or("SIM_BENCH_CONNECTIONS", "4"));
    const auto seconds = std::chrono::seconds(std::stoi(env_or("SIM_BENCH_SECONDS", "10")));
    const auto start = std::chrono::steady_clock::now();
    SimProcess sim({"--generate",
                    env_or("SIM_BENCH_GENERATE", "contacts=200000,tickets=1000000,seed=7"),
                    "--threads", env_or("SIM_BENCH_THREADS", "2"), "--rate-limit", "1000000000",
                    "--list-rate-limit", "1000000000"});
    const double startup =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "startup (generate + listen): " << startup << " s\n";
    const std::string list =
        "/api/v2/tickets?updated_since=2000-01-01&order_by=updated_at&order_type=asc&per_page=100";
    const std::vector<std::pair<std::string, std::function<std::string(int)>>> cases{
        {"GET /tickets?per_page=100",
         [&](int n) { return list + "&page=" + std::to_string(1 + n % 300); }},
        {"GET /tickets?per_page=100&include=stats",
         [&](int n) { return list + "&include=stats&page=" + std::to_string(1 + n % 300); }},
        {"GET /tickets/{id}", [](int n) { return "/api/v2/tickets/" + std::to_string(1 + n); }}};
    for (const auto& [name, target] : cases) {
        const Result r = hammer(sim.port(), target, connections, seconds);
        const double s = static_cast<double>(seconds.count());
        std::cout << name << ", " << connections
                  << " connections: " << static_cast<double>(r.requests) / s << " requests/s, "
                  << static_cast<double>(r.bytes) / s / 1e6 << " MB/s, " << r.failures
                  << " non-200\n";
        CHECK(r.requests > 0);
    }
    CHECK(sim.stop() == 0);
}
