// The contract tests' harness: a child process with a deadline on every wait, and a minimal
// HTTP/1.1 client on POSIX sockets (OpenSSL for HTTPS). Plain sockets rather than Beast: blocking
// Beast calls have no timeouts, and this file compiles in a second.
#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace simtest {

std::string sim_binary() {
    // FRESHDESK_SIM_BINARY runs the contract tests against another build (e.g. a TSan one).
    if (const char* other = std::getenv("FRESHDESK_SIM_BINARY"); other != nullptr && *other != 0) {
        return other;
    }
#ifdef SIM_BINARY
    return SIM_BINARY;
#else
    return "";
#endif
}

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

int decode_wait_status(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

// Reads the child's first stdout line, waiting at most until `deadline`. "" on EOF or timeout.
std::string read_first_line(int fd, std::chrono::steady_clock::time_point deadline) {
    std::string line;
    while (line.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return "";
        }
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        char buf[256];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            return "";
        }
        line.append(buf, static_cast<std::size_t>(n));
    }
    return line.substr(0, line.find('\n'));
}

}  // namespace

SimProcess::SimProcess(std::vector<std::string> args, std::chrono::milliseconds start_timeout) {
    if (sim_binary().empty()) {
        throw std::runtime_error("this build has no freshdesk-sim binary");
    }
    start(sim_binary(), std::move(args), start_timeout);
}

SimProcess::SimProcess(const std::string& binary, std::vector<std::string> args,
                       std::chrono::milliseconds start_timeout) {
    start(binary, std::move(args), start_timeout);
}

namespace {

// Starts args[0] with `stdout_fd` as its standard output; the child dies with the test.
pid_t spawn(std::vector<std::string>& args, int stdout_fd) {
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {                          // child: async-signal-safe calls only until exec
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
        ::dup2(stdout_fd, STDOUT_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

}  // namespace

void SimProcess::start(const std::string& binary, std::vector<std::string> args,
                       std::chrono::milliseconds start_timeout) {
    tls_ = std::find(args.begin(), args.end(), "--tls-cert") != args.end();
    args.insert(args.begin(), binary);
    args.emplace_back("--port");
    args.emplace_back("0");
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_ = spawn(args, out[1]);
    ::close(out[1]);
    const std::string line =
        read_first_line(out[0], std::chrono::steady_clock::now() + start_timeout);
    // Later output must not block the child: with the pipe closed its writes fail with EPIPE.
    ::close(out[0]);
    try {
        std::size_t used = 0;
        port_ = std::stoi(line, &used);
        if (used != line.size() || port_ <= 0 || port_ > 65535) {
            throw std::invalid_argument(line);
        }
    } catch (const std::exception&) {
        const int status = stop(std::chrono::seconds(5));
        throw std::runtime_error("freshdesk-sim did not print its port (first line \"" + line +
                                 "\", exit status " + std::to_string(status) + ")");
    }
}

SimProcess::~SimProcess() {
    // A sanitizer report or a crash in the simulator shows as an exit status: make it visible even
    // in tests that do not check stop() themselves.
    const bool running = exit_status_ < 0;
    const int status = stop();
    if (running && status != 0) {
        std::fprintf(stderr, "simtest: freshdesk-sim (pid %d) ended with status %d\n", pid_,
                     status);
    }
}

std::string SimProcess::base_url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void SimProcess::signal(int signo) const {
    if (pid_ > 0 && exit_status_ < 0) {
        ::kill(pid_, signo);
    }
}

int SimProcess::wait(std::chrono::milliseconds timeout) {
    if (exit_status_ >= 0 || pid_ <= 0) {
        return exit_status_;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exit_status_ = decode_wait_status(status);
            return exit_status_;
        }
        if (r < 0 && errno != EINTR) {
            exit_status_ = 255;
            return exit_status_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

int SimProcess::stop(std::chrono::milliseconds timeout) {
    if (exit_status_ >= 0 || pid_ <= 0) {
        return exit_status_;
    }
    signal(SIGTERM);
    if (wait(timeout) >= 0) {
        return exit_status_;
    }
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_status_ = decode_wait_status(status);
    return exit_status_;
}

// ---------------------------------------------------------------------------------------------

std::string Reply::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) {
            return v;
        }
    }
    return "";
}

std::vector<std::string> Reply::header_values(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) {
            values.push_back(v);
        }
    }
    return values;
}

bool Reply::has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return iequals(h.first, name); });
}

boost::json::value Reply::json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec) {
        throw std::runtime_error("body is not JSON (status " + std::to_string(status) + "): \"" +
                                 body.substr(0, 300) + "\"");
    }
    return v;
}

std::string basic_auth(const std::string& api_key) {
    const std::string plain = api_key + ":X";
    std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(plain.data()),
                                  static_cast<int>(plain.size()));
    out.resize(static_cast<std::size_t>(n));
    return "Basic " + out;
}

std::vector<std::string> small_with(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--generate", "contacts=60,tickets=400,seed=5"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

}  // namespace simtest
