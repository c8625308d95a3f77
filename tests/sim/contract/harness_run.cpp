// The harness's one-shot commands (usage errors of freshdesk-sim, openssl for test certificates)
// and temporary directories.
#include "harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace simtest {

namespace {

int exit_status(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

// Reads both pipes until they close or the deadline passes; false on timeout.
bool drain(int out_fd, int err_fd, CommandResult& r,
           std::chrono::steady_clock::time_point deadline) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_count = 2;
    while (open_count > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        if (::poll(fds, 2, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            char buf[4096];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(n));
            } else {
                fds[i].fd = -1;
                --open_count;
            }
        }
    }
    return true;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    std::vector<std::string> args = argv;
    std::vector<char*> cargs;
    for (auto& a : args) {
        cargs.push_back(a.data());
    }
    cargs.push_back(nullptr);
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        ::execvp(cargs[0], cargs.data());
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    CommandResult r;
    const bool finished = drain(out[0], err[0], r, std::chrono::steady_clock::now() + timeout);
    ::close(out[0]);
    ::close(err[0]);
    if (!finished) {
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.status = finished ? exit_status(status) : -1;
    return r;
}

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/simtest-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace simtest

namespace simtest {

RawProcess::RawProcess(std::vector<std::string> argv) {
    std::vector<char*> cargs;
    for (auto& a : argv) {
        cargs.push_back(a.data());
    }
    cargs.push_back(nullptr);
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = ::fork();
    if (pid == 0) {  // child: async-signal-safe calls only until exec
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        ::execv(cargs[0], cargs.data());
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    if (pid < 0) {
        ::close(out_fd_);
        ::close(err_fd_);
        throw std::runtime_error("fork failed");
    }
    pid_ = pid;
}

RawProcess::~RawProcess() {
    if (!finished_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) {
        ::close(out_fd_);
    }
    if (err_fd_ >= 0) {
        ::close(err_fd_);
    }
}

void RawProcess::signal(int signo) const {
    if (!finished_) {
        ::kill(pid_, signo);
    }
}

bool RawProcess::wait_blocked(int signo, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string path = "/proc/" + std::to_string(pid_) + "/status";
    const unsigned long long bit = 1ULL << (signo - 1);
    do {
        if (std::FILE* f = std::fopen(path.c_str(), "r")) {
            char line[256];
            unsigned long long mask = 0;
            bool found = false;
            while (!found && std::fgets(line, sizeof line, f) != nullptr) {
                found = std::sscanf(line, "SigBlk: %llx", &mask) == 1;
            }
            std::fclose(f);
            if (found && (mask & bit) != 0) {
                return true;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

template <class Done>
bool RawProcess::pump(std::chrono::steady_clock::time_point deadline, Done done) {
    int* fds[2] = {&out_fd_, &err_fd_};
    std::string* sinks[2] = {&result_.out, &result_.err};
    while (!done() && (out_fd_ >= 0 || err_fd_ >= 0)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd pfds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};  // fd -1: ignored
        if (::poll(pfds, 2, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        for (int i = 0; i < 2; ++i) {
            if (pfds[i].fd < 0 || pfds[i].revents == 0) {
                continue;
            }
            char buf[4096];
            const ssize_t n = ::read(pfds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(*fds[i]);
                *fds[i] = -1;
            }
        }
    }
    return true;
}

std::string RawProcess::first_line(std::chrono::milliseconds timeout) {
    pump(std::chrono::steady_clock::now() + timeout,
         [this] { return result_.out.find('\n') != std::string::npos; });
    const std::size_t end = result_.out.find('\n');
    if (end == std::string::npos) {
        return "";
    }
    return result_.out.substr(0, end);
}

CommandResult RawProcess::finish(std::chrono::milliseconds timeout) {
    if (finished_) {
        return result_;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool ended = pump(deadline, [] { return false; });
    int status = 0;
    while (ended && ::waitpid(pid_, &status, WNOHANG) != pid_) {  // pipes closed, not yet ended
        if (std::chrono::steady_clock::now() >= deadline) {
            ended = false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!ended) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
    }
    finished_ = true;
    result_.status = ended ? exit_status(status) : -1;
    return result_;
}

}  // namespace simtest
