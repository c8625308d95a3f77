// freshdesk-sim: binds 127.0.0.1 first (to learn the port for the API's absolute URLs), builds the
// account, prints the port as the first stdout line once it is ready to serve, and serves until
// SIGTERM/SIGINT (exit 0). Exit 1: it could not start; 2: usage error.
#include "api.hpp"
#include "clock.hpp"
#include "dispatcher.hpp"
#include "http_server.hpp"
#include "options.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>

namespace {

std::int64_t real_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int serve(sim::server::SimConfig& config) {
    config.listen.handle_signals = true;
    sim::server::HttpServer server(config.listen);
    const int port = server.port();
    config.api.base_url = std::string(config.listen.tls_cert.empty() ? "http" : "https") +
                          "://127.0.0.1:" + std::to_string(port);
    sim::Clock clock(config.now.value_or(real_now()));
    const std::unique_ptr<sim::Api> api = sim::make_api(config.source, config.api, clock);
    sim::server::Dispatcher dispatcher(*api, clock, config.dispatch);
    std::printf("%d\n", port);
    std::fflush(stdout);
    server.run(dispatcher);
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    // A client that goes away must fail a write, not kill the simulator.
    std::signal(SIGPIPE, SIG_IGN);
    sim::server::ParsedOptions parsed = sim::server::parse_options(argc, argv);
    if (!parsed.config) {
        std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
        return parsed.exit_code;
    }
    try {
        return serve(*parsed.config);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "freshdesk-sim: %s\n", e.what());
        return 1;
    }
}
