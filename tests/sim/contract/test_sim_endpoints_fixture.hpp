#pragma once
// Shared by the endpoint contract tests (test_sim_endpoints_*.cpp): a freshdesk-sim on the small
// account of tests/sim/core/testdata/small_account.json (documented in docs/simulator-account.md),
// its clock at kNow, and rate limits high enough never to get in the way.
#include "harness.hpp"

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace simtest::ep {

inline constexpr const char* kNow = "2026-01-15T12:00:00Z";
// People of the small account.
inline constexpr std::int64_t kKeeper = 43000000001;  // agent keeper@example.com
inline constexpr std::int64_t kAri = 43000000002;     // agent who requests ticket 10
inline constexpr std::int64_t kAlice = 43000000101;   // VIP, tickets 1, 2, 12
inline constexpr std::int64_t kBob = 43000000102;     // bob+alt@, tickets 3, 4, 16 (no closed_at)
inline constexpr std::int64_t kCarol = 43000000103;   // soft-deleted, ticket 5
inline constexpr std::int64_t kDan = 43000000104;     // blocked, ticket 6
inline constexpr std::int64_t kEve = 43000000105;     // unverified, pending tag, ticket 7
inline constexpr std::int64_t kFinn = 43000000106;    // orphan, no email (phone only)
inline constexpr std::int64_t kGus = 43000000107;     // trashed 8, spam 9, purged 13
inline constexpr std::int64_t kHana = 43000000108;    // name "hana hill", Hana.Hill@Example.COM

inline std::string small_account() {
    return std::string(GP_SOURCE_DIR) + "/tests/sim/core/testdata/small_account.json";
}

inline std::vector<std::string> args(std::vector<std::string> extra = {}) {
    std::vector<std::string> a = {"--account", small_account(),     "--now",  kNow, "--rate-limit",
                                  "1000000",   "--list-rate-limit", "1000000"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

inline std::vector<std::string> generated(const std::string& spec,
                                          std::vector<std::string> extra = {}) {
    std::vector<std::string> a = {
        "--generate",        spec,     "--now", kNow, "--rate-limit", "1000000",
        "--list-rate-limit", "1000000"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

// A simulator and a client on it.
struct Sim {
    SimProcess process;
    Client client;
    explicit Sim(std::vector<std::string> a = args())
        : process(std::move(a)), client(process.port()) {}
    Reply get(const std::string& target) { return client.get(target); }
    Reply send(const std::string& method, const std::string& target, const std::string& body = "") {
        return client.send(method, target, body);
    }
    // A /_sim/ control that must succeed.
    boost::json::value control(const std::string& method, const std::string& target,
                               const std::string& body = "") {
        const Reply r = client.send(method, target, body);
        if (r.status != 200 && r.status != 201)
            throw std::runtime_error(target + " answered " + std::to_string(r.status) + ": " +
                                     r.body);
        return r.json();
    }
    void advance(std::int64_t seconds) {
        control("POST", "/_sim/clock", "{\"advance_seconds\":" + std::to_string(seconds) + "}");
    }
    void set_options(const std::string& json) { control("POST", "/_sim/options", json); }
};

// The "id" of each item of a JSON array.
inline std::vector<std::int64_t> ids(const boost::json::value& v) {
    std::vector<std::int64_t> out;
    for (const auto& item : v.as_array())
        out.push_back(item.at("id").as_int64());
    return out;
}

inline int credits(const Reply& r) {
    return std::stoi(r.header("X-RateLimit-Used-CurrentRequest"));
}

// The single validation error of a 400: {"description":"Validation failed","errors":[one]}.
inline const boost::json::object& only_error(const boost::json::value& body) {
    if (body.at("description") != "Validation failed" || body.at("errors").as_array().size() != 1)
        throw std::runtime_error("not a single validation error: " + boost::json::serialize(body));
    return body.at("errors").as_array()[0].as_object();
}

inline std::string str(const boost::json::value& v) {
    return std::string(v.as_string());
}

}  // namespace simtest::ep
