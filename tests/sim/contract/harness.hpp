#pragma once
// Test harness for the contract tests of freshdesk-sim: starts the simulator as a child process on
// 127.0.0.1 (port 0, the port read from its first stdout line) and talks to it with a small
// blocking HTTP/1.1 client (plain sockets, OpenSSL for HTTPS). Every wait has a deadline: a test
// can fail, never hang.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace simtest {

using Headers = std::vector<std::pair<std::string, std::string>>;

// freshdesk-sim arguments for the small generated account the transport tests share
// (contacts=60, tickets=400, seed=5), followed by `extra`.
std::vector<std::string> small_with(std::vector<std::string> extra);

// The path of the freshdesk-sim binary this build made ("" in a build without it), or the value of
// the environment variable FRESHDESK_SIM_BINARY when set.
std::string sim_binary();

// A freshdesk-sim child process. The constructor returns once the simulator has printed its port
// (it is then ready to serve) and throws std::runtime_error if it exits or stays silent instead.
class SimProcess {
  public:
    // `args` come before the harness's own `--port 0`, e.g. {"--generate",
    // "contacts=50,tickets=200"}.
    explicit SimProcess(std::vector<std::string> args = {},
                        std::chrono::milliseconds start_timeout = std::chrono::seconds(120));
    // Starts another binary (tests of the harness itself, or a fake server).
    SimProcess(const std::string& binary, std::vector<std::string> args,
               std::chrono::milliseconds start_timeout);
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    int port() const { return port_; }
    bool tls() const { return tls_; }
    std::string base_url() const;  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT"
    int pid() const { return pid_; }
    // Sends SIGTERM and waits (at most `timeout`, then SIGKILL). Returns the exit status, or
    // 128 + signal number when a signal ended it. A second call returns the first result.
    int stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Sends a signal without waiting (e.g. SIGINT).
    void signal(int signo) const;
    // Waits for the process to end by itself; -1 when it is still running at the deadline.
    int wait(std::chrono::milliseconds timeout);

  private:
    void start(const std::string& binary, std::vector<std::string> args,
               std::chrono::milliseconds start_timeout);

    int pid_ = -1;
    int port_ = 0;
    bool tls_ = false;
    int exit_status_ = -1;
};

// A command run to its end (at most `timeout`, then SIGKILL): exit status as SimProcess::stop gives
// it.
struct CommandResult {
    int status = -1;
    std::string out;
    std::string err;
};
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A child process started without waiting for anything (unlike SimProcess): the test reads its
// stdout and stderr, signals it when it likes and collects its exit status. argv[0] is the binary
// (e.g. sim_binary()); nothing is added to argv. The destructor kills it (SIGKILL) if it still
// runs.
class RawProcess {
  public:
    explicit RawProcess(std::vector<std::string> argv);
    ~RawProcess();
    RawProcess(const RawProcess&) = delete;
    RawProcess& operator=(const RawProcess&) = delete;

    int pid() const { return pid_; }
    void signal(int signo) const;
    // Waits until the process blocks `signo` (its SigBlk in /proc/PID/status), e.g. until
    // freshdesk-sim takes SIGTERM itself; false at the deadline.
    bool wait_blocked(int signo, std::chrono::milliseconds timeout) const;
    // The first stdout line without its newline ("" when stdout closes or at the deadline); stderr
    // is read meanwhile too. finish() returns all of stdout, this line included.
    std::string first_line(std::chrono::milliseconds timeout);
    // Waits for the end (at most `timeout`, then SIGKILL and status -1), with everything the
    // process wrote. A second call returns the first result.
    CommandResult finish(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  private:
    // Reads stdout and stderr until `done()` or both close or the deadline; false at the deadline.
    template <class Done>
    bool pump(std::chrono::steady_clock::time_point deadline, Done done);

    int pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    CommandResult result_;
    bool finished_ = false;
};

// A fresh directory under $TMPDIR (or /tmp), removed with its files by the destructor.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

// An answer of the simulator.
struct Reply {
    int status = 0;
    Headers headers;
    std::string body;

    // First value of a header (case-insensitive name); "" when absent.
    std::string header(std::string_view name) const;
    // Every value of a header, in order.
    std::vector<std::string> header_values(std::string_view name) const;
    bool has_header(std::string_view name) const;
    // The body parsed as JSON; throws std::runtime_error (with the body) when it is not JSON.
    boost::json::value json() const;
};

// The connection closed before a complete response arrived (a dropped request, a TLS mismatch).
struct ConnectionClosed : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// No complete response within the client's timeout.
struct Timeout : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ClientOptions {
    std::string api_key = "sim-api-key";
    bool tls = false;
    std::string ca_file;  // PEM file of the CA that signed the server certificate (tls only)
    std::chrono::milliseconds timeout = std::chrono::seconds(30);  // per request
};

// A blocking HTTP/1.1 client on one keep-alive connection to 127.0.0.1:port. It never retries: a
// closed connection is reported as ConnectionClosed, and the next request opens a new one. Bodies
// with Content-Length, chunked (Reply::body is the decoded body), or up to the end of the stream.
class Client {
  public:
    explicit Client(int port, std::string api_key = "sim-api-key");
    Client(int port, ClientOptions options);
    ~Client();
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;

    // GET with Basic auth (user = API key, password X).
    Reply get(const std::string& target);
    // Any method with Basic auth; a non-empty body is sent as application/json.
    Reply send(const std::string& method, const std::string& target, const std::string& body = "");
    // Full control: extra headers, and with_auth=false sends no Authorization header.
    Reply raw(const std::string& method, const std::string& target, const std::string& body,
              const Headers& headers, bool with_auth);
    // Closes the connection; the next request opens a new one.
    void disconnect();
    // How many TCP connections this client has opened so far.
    int connections_opened() const;

    struct Conn;  // implementation detail (harness_http.cpp)

  private:
    Reply read_reply(const std::string& method);
    std::string read_chunked();

    int port_;
    ClientOptions options_;
    std::unique_ptr<Conn> conn_;
    int opened_ = 0;
};

// "Basic base64(key:X)".
std::string basic_auth(const std::string& api_key);

}  // namespace simtest
