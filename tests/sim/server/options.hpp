#pragma once
// freshdesk-sim's command line (Boost.Program_options, no abbreviations): every option is described
// in docs/simulator.md.
#include "api.hpp"
#include "dispatcher.hpp"
#include "http_server.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sim::server {

struct SimConfig {
    AccountSource source;
    ApiOptions api;
    ListenConfig listen;
    DispatchConfig dispatch;
    std::optional<std::int64_t> now;  // the clock's start; the real time when absent
};

struct ParsedOptions {
    std::optional<SimConfig> config;  // absent: print `message` and exit with `exit_code`
    int exit_code = 0;                // 0 after --help, 2 for a usage error
    std::string message;
};

ParsedOptions parse_options(int argc, const char* const argv[]);

}  // namespace sim::server
