// freshdesk-sim: binds 127.0.0.1 first (to learn the port for the API's absolute URLs), builds the
// account, prints the port as the first stdout line once it is ready to serve, and serves until
// SIGTERM/SIGINT (exit 0). Exit 1: it could not start; 2: usage error.
//
// SIGTERM/SIGINT are blocked in every thread from the start of serve() and taken by one thread with
// sigwait: before the server is ready (while a large account is being built) a stop ends the
// process at once with exit 0, and the port is never printed; afterwards it stops the server.
#include "api.hpp"
#include "clock.hpp"
#include "dispatcher.hpp"
#include "http_server.hpp"
#include "options.hpp"

#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

namespace {

std::int64_t real_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class StopSignals {
  public:
    // Call before any other thread exists: threads inherit the blocked mask.
    StopSignals() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGINT);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);
        thread_ = std::thread([this] { loop(); });
    }
    ~StopSignals() {
        finish();
        pthread_kill(thread_.native_handle(), SIGTERM);  // wakes sigwait (blocked, so not fatal)
        thread_.join();
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Announces that the server is ready (prints the port) unless a stop came first, in which case
    // the process is already ending: the two never interleave.
    void ready(sim::server::HttpServer& server, int port) {
        const std::lock_guard<std::mutex> lock(mutex_);
        std::printf("%d\n", port);
        std::fflush(stdout);
        server_ = &server;
    }
    // From now on signals are ignored (the server is about to be destroyed).
    void finish() {
        const std::lock_guard<std::mutex> lock(mutex_);
        finished_ = true;
        server_ = nullptr;
    }

  private:
    void loop() {
        for (;;) {
            int signo = 0;
            if (sigwait(&set_, &signo) != 0) {
                continue;
            }
            const std::lock_guard<std::mutex> lock(mutex_);
            if (finished_) {
                return;
            }
            if (server_ == nullptr) {  // still building the account: nothing to save, no port
                ::_exit(0);
            }
            server_->stop();  // run() returns (at once, if it has not started yet)
        }
    }

    sigset_t set_{};
    std::mutex mutex_;
    sim::server::HttpServer* server_ = nullptr;
    bool finished_ = false;
    std::thread thread_;
};

int serve(sim::server::SimConfig& config) {
    StopSignals signals;
    sim::server::HttpServer server(config.listen);
    const int port = server.port();
    config.api.base_url = std::string(config.listen.tls_cert.empty() ? "http" : "https") +
                          "://127.0.0.1:" + std::to_string(port);
    sim::Clock clock(config.now.value_or(real_now()));
    const std::unique_ptr<sim::Api> api = sim::make_api(config.source, config.api, clock);
    sim::server::Dispatcher dispatcher(*api, clock, config.dispatch);
    struct Finish {  // also when run() throws: no stop() on a destroyed server
        StopSignals& s;
        ~Finish() { s.finish(); }
    } finish{signals};
    signals.ready(server, port);
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
