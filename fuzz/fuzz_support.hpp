#pragma once
// Shared by the libFuzzer targets of fuzz/ (docs/fuzzing.md): a scratch directory for the readers
// that take a path, and a Freshdesk client whose every answer comes from the fuzzer's input.
#include "freshdesk/client.hpp"
#include "freshdesk/read.hpp"  // FormatError

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gp::fuzz {

// The input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// One directory per fuzzing process, on /dev/shm when it can be written (the readers sync files:
// cheap in memory), removed at exit. $GP_FUZZ_TMP, when set, is where it is made.
class Scratch {
  public:
    static Scratch& get() {
        static Scratch scratch;
        return scratch;
    }
    const std::string& dir() const { return dir_; }
    // Writes `bytes` to <dir>/<name> (replacing it) and returns the path.
    std::string write(const std::string& name, std::string_view bytes) const {
        const std::string path = dir_ + "/" + name;
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
            std::abort();
        }
        return path;
    }
    // Removes everything in the directory (files a reader set aside or made).
    void clear() const {
        for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
            std::filesystem::remove_all(entry.path());
        }
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

  private:
    Scratch() {
        std::string base = "/tmp";
        if (const char* env = std::getenv("GP_FUZZ_TMP"); env != nullptr && *env != '\0') {
            base = env;
        } else if (::access("/dev/shm", W_OK) == 0) {
            base = "/dev/shm";
        }
        std::string pattern = base + "/gp-fuzz-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            std::fprintf(stderr, "fuzz: cannot make a directory under %s\n", base.c_str());
            std::abort();
        }
        dir_ = pattern;
    }
    std::string dir_;
};

// Never sleeps: retries and the pacer's waits cost nothing.
class InstantClock final : public freshdesk::Clock {
  public:
    std::chrono::steady_clock::time_point now() override { return now_; }
    void sleep_for(std::chrono::milliseconds duration) override { now_ += duration; }

  private:
    std::chrono::steady_clock::time_point now_{std::chrono::hours{1000}};
};

// Answers the first `pages` requests with `status`, `headers` and `body` (a 2xx with a Link to a
// next page, so that lists go on), then 200 "[]", which ends every list.
class InputHttp final : public http::HttpClient {
  public:
    InputHttp(int status, std::string body, int pages, std::vector<http::Header> headers = {})
        : status_(status), body_(std::move(body)), pages_(pages), headers_(std::move(headers)) {}
    http::Result send(const http::Request& request) override {
        if (calls_++ >= pages_) {
            return http::Response{200, {}, "[]"};
        }
        std::vector<http::Header> headers = headers_;
        if (headers.empty() && status_ >= 200 && status_ < 300) {
            headers.push_back(
                {"Link", "<https://acme.example.com" + request.target + "&next=1>; rel=\"next\""});
        }
        return http::Response{status_, std::move(headers), body_};
    }
    int calls() const { return calls_; }

  private:
    int status_;
    std::string body_;
    int pages_;
    std::vector<http::Header> headers_;
    int calls_ = 0;
};

// A client of InputHttp: few retries, no waiting. The key is a made-up one.
struct InputClient {
    InputHttp http;
    InstantClock clock;
    freshdesk::Client client;

    InputClient(int status, std::string body, int pages, std::vector<http::Header> headers = {})
        : http(status, std::move(body), pages, std::move(headers)),
          client(
              http, freshdesk::ApiKey("fuzz-key-0000000000"), policy(), clock,
              [](std::string_view) {}, [](std::string_view) {}) {}

    static freshdesk::Policy policy() {
        freshdesk::Policy p;
        p.max_attempts = 2;
        p.max_rate_limited = 2;
        p.first_backoff = std::chrono::milliseconds{1};
        p.max_backoff = std::chrono::milliseconds{2};
        return p;
    }
};

// What the product does with an error of the Freshdesk client at its boundary (app/main.cpp):
// reports it. Anything else escapes the target and is a finding.
#define GP_FUZZ_API_CALL(...)                    \
    try {                                        \
        __VA_ARGS__;                             \
    } catch (const freshdesk::FormatError&) {    \
    } catch (const freshdesk::ApiError&) {       \
    } catch (const freshdesk::TransportError&) { \
    }

}  // namespace gp::fuzz
