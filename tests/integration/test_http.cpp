// lib/http over real HTTP and TLS: freshdesk-sim started as a child process (simtest::SimProcess),
// plus a tiny fake server in a thread for what the simulator does not show (the request's own
// headers, a malformed answer). Connection reuse is seen through this process's socket inodes
// (/proc/self/fd) and through the simulator's request log.
#include "harness.hpp"
#include "http/http.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

using gp::http::ClientOptions;
using gp::http::Failure;
using gp::http::FailureKind;
using gp::http::Request;
using gp::http::Response;
using gp::http::Result;
using simtest::SimProcess;
using namespace std::chrono_literals;

namespace {

const std::string kAuth = "Basic c2ltLWFwaS1rZXk6WA==";  // base64("sim-api-key:X")
const std::string kTickets = "/api/v2/tickets?updated_since=2000-01-01&per_page=100";
const std::string kBulkDelete = "/api/v2/tickets/bulk_delete";

std::vector<std::string> sim_args(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--generate", "contacts=30,tickets=300,seed=3"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

ClientOptions options_for(const std::string& url, std::chrono::milliseconds timeout = 10s) {
    ClientOptions o;
    o.origin = gp::http::parse_origin(url);
    o.timeout = timeout;
    return o;
}

Request get(const std::string& target) {
    return {"GET", target, {{"Authorization", kAuth}}, ""};
}
Request post_bulk_delete() {
    return {"POST", kBulkDelete, {{"Authorization", kAuth}}, R"({"bulk_action":{"ids":[1,2]}})"};
}

std::string describe(const Result& r) {
    if (const auto* f = std::get_if<Failure>(&r)) {
        return "Failure " + std::string(to_string(f->kind)) + ": " + f->message;
    }
    return "status " + std::to_string(std::get<Response>(r).status);
}

int status_of(const Result& r) {
    const auto* res = std::get_if<Response>(&r);
    return res ? res->status : 0;
}

// A failure's message names the server and never carries the Authorization header.
void check_message(const Failure& f, const std::string& where) {
    INFO(f.message);
    CHECK(f.message.find(where) != std::string::npos);
    CHECK(f.message.find("c2ltLWFwaS1rZXk6WA") == std::string::npos);
    CHECK(f.message.find("Basic") == std::string::npos);
}

// The sockets this process holds ("socket:[inode]"): the same set after several requests means
// the same connection carried them.
std::set<std::string> open_sockets() {
    std::set<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const std::string target = std::filesystem::read_symlink(entry.path(), ec).string();
        if (!ec && target.starts_with("socket:")) {
            out.insert(target);
        }
    }
    return out;
}

std::set<std::string> new_sockets(const std::set<std::string>& before) {
    std::set<std::string> out;
    std::ranges::set_difference(open_sockets(), before, std::inserter(out, out.end()));
    return out;
}

// How many requests with this method and target the simulator's log holds.
std::size_t log_count(int port, const std::string& method, const std::string& target,
                      simtest::ClientOptions harness = {}) {
    const auto log = simtest::Client(port, harness).get("/_sim/log").json();
    const auto& entries = log.at("entries").as_array();
    return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [&](auto& e) {
        return e.at("method") == method.c_str() && e.at("target") == target.c_str();
    }));
}

// A self-signed certificate (its own CA) for `cn` with the given subjectAltName.
struct Certificate {
    explicit Certificate(const std::string& san, const std::string& cn = "localhost") {
        const auto r = simtest::run_command(
            {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
             "/CN=" + cn, "-addext", "subjectAltName=" + san, "-keyout", key(), "-out", cert()});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    std::string cert() const { return dir.file("cert.pem"); }
    std::string key() const { return dir.file("key.pem"); }
    std::vector<std::string> args(std::vector<std::string> extra = {}) const {
        extra.insert(extra.end(), {"--tls-cert", cert(), "--tls-key", key()});
        return sim_args(extra);
    }
    simtest::ClientOptions harness() const {
        simtest::ClientOptions o;
        o.tls = true;
        o.ca_file = cert();
        return o;
    }
    simtest::TempDir dir;
};

std::string https(const std::string& host, int port) {
    return "https://" + host + ":" + std::to_string(port);
}

// An HTTP server on 127.0.0.1 (port 0) in a thread, one connection at a time: records each
// request (head and body) and answers `reply` to each. Every wait is bounded.
class FakeServer {
  public:
    explicit FakeServer(std::string reply) : reply_(std::move(reply)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        auto* sa = reinterpret_cast<sockaddr*>(&addr);
        socklen_t len = sizeof addr;
        REQUIRE(::bind(fd_, sa, len) == 0);
        REQUIRE(::listen(fd_, 4) == 0);
        REQUIRE(::getsockname(fd_, sa, &len) == 0);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeServer() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

    int port() const { return port_; }
    int accepted() const { return accepted_; }
    std::vector<std::string> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    bool readable(int fd) const {
        pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, 50) > 0;
    }
    void serve() {
        while (!stop_) {
            if (readable(fd_)) {
                const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
                ++accepted_;
                handle(conn);
                ::close(conn);
            }
        }
    }
    void handle(int conn) {
        std::string in;
        char buf[4096];
        while (!stop_) {
            if (!readable(conn)) {
                continue;
            }
            const ssize_t n = ::recv(conn, buf, sizeof buf, 0);
            if (n <= 0) {
                return;
            }
            in.append(buf, static_cast<std::size_t>(n));
            while (const auto size = complete(in)) {
                std::lock_guard lock(mutex_);
                requests_.push_back(in.substr(0, size));
                in.erase(0, size);
                (void)!::send(conn, reply_.data(), reply_.size(), MSG_NOSIGNAL);
            }
        }
    }
    // The length of the first whole request in `in`, 0 when incomplete.
    static std::size_t complete(const std::string& in) {
        const auto head_end = in.find("\r\n\r\n");
        if (head_end == std::string::npos) {
            return 0;
        }
        std::string head = in.substr(0, head_end);
        std::transform(head.begin(), head.end(), head.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::size_t length = 0;
        if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos) {
            length = std::stoul(head.substr(at + 17));
        }
        const std::size_t total = head_end + 4 + length;
        return in.size() >= total ? total : 0;
    }

    std::string reply_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepted_{0};
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

TEST_CASE("plain GET: 200, JSON body, rate-limit header", "[http]") {
    SimProcess sim(sim_args());
    const auto client = gp::http::make_client(options_for(sim.base_url()));
    const Result r = client->send(get("/api/v2/groups"));
    INFO(describe(r));
    REQUIRE(status_of(r) == 200);
    const Response& res = std::get<Response>(r);
    CHECK(boost::json::parse(res.body).is_array());
    REQUIRE(res.header("X-RateLimit-Total"));
    CHECK(*res.header("X-RateLimit-Total") == "700");
    CHECK(status_of(client->send(get("/api/v2/tickets/999999999"))) == 404);
}

TEST_CASE("header lookup works with lower-case header names", "[http]") {
    SimProcess sim(sim_args({"--header-case", "lower"}));
    const auto client = gp::http::make_client(options_for(sim.base_url()));
    const Result r = client->send(get("/api/v2/groups"));
    REQUIRE(status_of(r) == 200);
    const Response& res = std::get<Response>(r);
    const bool lower_name = std::any_of(res.headers.begin(), res.headers.end(), [](const auto& h) {
        return h.name == "x-ratelimit-total";
    });
    CHECK(lower_name);  // the lookup below is really case-insensitive
    REQUIRE(res.header("X-RateLimit-Total"));
    CHECK(*res.header("X-RateLimit-Total") == "700");
}

TEST_CASE("keep-alive: sequential requests share one connection", "[http]") {
    SimProcess sim(sim_args());
    const auto before = open_sockets();
    const auto client = gp::http::make_client(options_for(sim.base_url()));
    REQUIRE(status_of(client->send(get("/api/v2/groups"))) == 200);
    const auto first = new_sockets(before);
    REQUIRE(first.size() == 1);
    for (int i = 0; i < 40; ++i) {
        REQUIRE(status_of(client->send(get("/api/v2/tickets/" + std::to_string(i % 5 + 1)))) ==
                200);
    }
    CHECK(new_sockets(before) == first);
}

TEST_CASE("after the server's idle timeout: GET and POST go on a new connection, once", "[http]") {
    SimProcess sim(sim_args({"--idle-timeout", "1"}));
    const auto before = open_sockets();
    const auto client = gp::http::make_client(options_for(sim.base_url()));
    REQUIRE(status_of(client->send(get("/api/v2/groups"))) == 200);
    const auto first = new_sockets(before);

    std::this_thread::sleep_for(2500ms);  // the server closes the idle connection
    const Result again = client->send(get("/api/v2/groups"));
    INFO(describe(again));
    CHECK(status_of(again) == 200);
    const auto second = new_sockets(before);
    CHECK(second.size() == 1);
    CHECK(second != first);

    // The client sees the idle close before writing (client.cpp), so a POST is not lost to it:
    // it goes on a new connection and reaches the server exactly once.
    std::this_thread::sleep_for(2500ms);
    const Result posted = client->send(post_bulk_delete());
    INFO(describe(posted));
    CHECK(status_of(posted) == 202);
    CHECK(log_count(sim.port(), "POST", kBulkDelete) == 1);
}

TEST_CASE("a reused connection closed before the answer: GET resent once, POST not", "[http]") {
    SimProcess sim(sim_args({"--drop-rate", "1"}));  // /_sim/ requests are never dropped
    const std::string where = "127.0.0.1:" + std::to_string(sim.port());
    auto options = options_for(sim.base_url());
    options.connections = 1;
    const auto client = gp::http::make_client(options);

    REQUIRE(status_of(client->send(get("/_sim/stats"))) == 200);  // the connection to reuse
    const Result posted = client->send(post_bulk_delete());
    REQUIRE(std::holds_alternative<Failure>(posted));
    const Failure& pf = std::get<Failure>(posted);
    CHECK(pf.kind == FailureKind::closed);
    CHECK(pf.request_sent);
    check_message(pf, where);
    CHECK(log_count(sim.port(), "POST", kBulkDelete) == 1);

    REQUIRE(status_of(client->send(get("/_sim/stats"))) == 200);
    const Result got = client->send(get("/api/v2/groups"));
    REQUIRE(std::holds_alternative<Failure>(got));
    CHECK(std::get<Failure>(got).kind == FailureKind::closed);
    CHECK(std::get<Failure>(got).request_sent);
    check_message(std::get<Failure>(got), where);
    CHECK(log_count(sim.port(), "GET", "/api/v2/groups") == 2);  // sent again on a new connection

    // On a connection opened for it, the same GET is not sent again.
    const auto fresh = gp::http::make_client(options);
    CHECK(std::holds_alternative<Failure>(fresh->send(get("/api/v2/groups"))));
    CHECK(log_count(sim.port(), "GET", "/api/v2/groups") == 3);
}

TEST_CASE("timeout: a slow answer is a timeout failure within bounded time", "[http]") {
    // The server takes 10 s, the client allows 300 ms: a bound of 5 s leaves a loaded sanitized
    // build plenty of room and still shows that the timeout, not the answer, ended the wait. The
    // simulator's delay is a timer, so stopping it does not wait for the 10 s either.
    SimProcess sim(sim_args({"--latency-ms", "10000"}));
    const auto client = gp::http::make_client(options_for(sim.base_url(), 300ms));
    const auto start = std::chrono::steady_clock::now();
    const Result r = client->send(get("/api/v2/groups"));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    INFO(describe(r));
    REQUIRE(std::holds_alternative<Failure>(r));
    const Failure& f = std::get<Failure>(r);
    CHECK(f.kind == FailureKind::timeout);
    CHECK(f.request_sent);
    check_message(f, "127.0.0.1:" + std::to_string(sim.port()));
    CHECK(elapsed >= 250ms);
    CHECK(elapsed < 5s);
    // The client still works: /_sim/ answers without latency, on a new connection.
    CHECK(status_of(client->send(get("/_sim/stats"))) == 200);
}

TEST_CASE("connection refused: a connect failure, nothing sent", "[http]") {
    int port = 0;
    {
        SimProcess sim(sim_args());
        port = sim.port();
        REQUIRE(sim.stop() == 0);
    }
    const auto client =
        gp::http::make_client(options_for("http://127.0.0.1:" + std::to_string(port)));
    const Result r = client->send(get("/api/v2/groups"));
    INFO(describe(r));
    REQUIRE(std::holds_alternative<Failure>(r));
    CHECK(std::get<Failure>(r).kind == FailureKind::connect);
    CHECK_FALSE(std::get<Failure>(r).request_sent);
    check_message(std::get<Failure>(r), "127.0.0.1:" + std::to_string(port));
}

TEST_CASE("body limit: a larger answer is a protocol failure, chunked or not", "[http]") {
    const std::string chunked = GENERATE(as<std::string>{}, "no", "yes");
    SimProcess sim(sim_args({"--chunked", chunked}));
    auto options = options_for(sim.base_url());
    options.body_limit = 1000;
    const auto client = gp::http::make_client(options);
    const Result r = client->send(get(kTickets));
    INFO(describe(r));
    REQUIRE(std::holds_alternative<Failure>(r));
    CHECK(std::get<Failure>(r).kind == FailureKind::protocol);
    CHECK(std::get<Failure>(r).message.find("1000") != std::string::npos);
}

TEST_CASE("chunked answers are read whole", "[http]") {
    SimProcess sim(sim_args({"--chunked", "yes"}));
    const auto client = gp::http::make_client(options_for(sim.base_url()));
    for (int i = 0; i < 3; ++i) {  // and the connection stays usable after each
        const Result r = client->send(get(kTickets));
        INFO(describe(r));
        REQUIRE(status_of(r) == 200);
        const Response& res = std::get<Response>(r);
        REQUIRE(res.header("Transfer-Encoding"));
        CHECK(*res.header("Transfer-Encoding") == "chunked");
        CHECK(boost::json::parse(res.body).as_array().size() == 100);
    }
}

TEST_CASE("concurrency: 4 threads x 25 GETs on 2 connections, plain and TLS", "[http]") {
    const bool tls = GENERATE(false, true);
    const Certificate cert("DNS:localhost,IP:127.0.0.1");
    SimProcess sim(tls ? cert.args() : sim_args());
    const auto before = open_sockets();
    auto options = options_for(tls ? https("localhost", sim.port()) : sim.base_url());
    options.ca_file = tls ? cert.cert() : "";
    options.connections = 2;
    const auto client = gp::http::make_client(options);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                const auto target = "/api/v2/tickets/" + std::to_string((t * 25 + i) % 50 + 1);
                ok += status_of(client->send(get(target))) == 200 ? 1 : 0;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(ok == 100);
    CHECK(new_sockets(before).size() <= 2);
}

TEST_CASE("TLS: a trusted certificate for the name and the address", "[http][tls]") {
    const Certificate cert("DNS:localhost,IP:127.0.0.1");
    SimProcess sim(cert.args());
    for (const std::string host : {"localhost", "127.0.0.1"}) {
        INFO(host);
        auto options = options_for(https(host, sim.port()));
        options.ca_file = cert.cert();
        const auto client = gp::http::make_client(options);
        for (int i = 0; i < 3; ++i) {
            const Result r = client->send(get("/api/v2/groups"));
            INFO(describe(r));
            CHECK(status_of(r) == 200);
        }
    }
}

TEST_CASE("TLS: an untrusted certificate fails the handshake", "[http][tls]") {
    const Certificate cert("DNS:localhost,IP:127.0.0.1");
    SimProcess sim(cert.args());
    const auto client = gp::http::make_client(options_for(https("localhost", sim.port())));
    const Result r = client->send(get("/api/v2/groups"));
    INFO(describe(r));
    REQUIRE(std::holds_alternative<Failure>(r));
    CHECK(std::get<Failure>(r).kind == FailureKind::tls);
    CHECK_FALSE(std::get<Failure>(r).request_sent);
    check_message(std::get<Failure>(r), "localhost:" + std::to_string(sim.port()));
    CHECK(log_count(sim.port(), "GET", "/api/v2/groups", cert.harness()) == 0);
}

TEST_CASE("TLS: a trusted certificate for another name or address fails", "[http][tls]") {
    const Certificate other("DNS:other.example.com", "other.example.com");
    const Certificate name_only("DNS:localhost");
    SimProcess sim_other(other.args());
    SimProcess sim_name(name_only.args());
    struct Case {
        std::string url;
        std::string ca;
        std::string reason;
    };
    for (const Case& c : {Case{https("localhost", sim_other.port()), other.cert(), "hostname"},
                          Case{https("127.0.0.1", sim_name.port()), name_only.cert(), "IP"}}) {
        INFO(c.url);
        auto options = options_for(c.url);
        options.ca_file = c.ca;
        const Result r = gp::http::make_client(options)->send(get("/api/v2/groups"));
        INFO(describe(r));
        REQUIRE(std::holds_alternative<Failure>(r));
        CHECK(std::get<Failure>(r).kind == FailureKind::tls);
        CHECK(std::get<Failure>(r).message.find(c.reason) != std::string::npos);
    }
    // The same certificate works under its own name: only the name made the difference.
    auto options = options_for(https("localhost", sim_name.port()));
    options.ca_file = name_only.cert();
    CHECK(status_of(gp::http::make_client(options)->send(get("/api/v2/groups"))) == 200);
}

TEST_CASE("TLS: reconnect after the idle timeout, resend on a dropped reused one", "[http][tls]") {
    const Certificate cert("DNS:localhost,IP:127.0.0.1");
    // Between the POST and the GET below the client's connection must stay open (reused), so only
    // one harness request (a new TLS connection) happens there, and the idle timeout is 4 s: far
    // more than that request takes even on a loaded sanitized build. The log is read afterwards.
    SimProcess sim(cert.args({"--idle-timeout", "4"}));
    auto options = options_for(https("localhost", sim.port()));
    options.ca_file = cert.cert();
    options.connections = 1;
    const auto client = gp::http::make_client(options);
    REQUIRE(status_of(client->send(get("/api/v2/groups"))) == 200);
    // 1.5 s past the idle timeout, as before: the server sends close_notify and closes.
    std::this_thread::sleep_for(5500ms);
    CHECK(status_of(client->send(post_bulk_delete())) == 202);

    simtest::Client(sim.port(), cert.harness()).send("POST", "/_sim/faults", R"({"drop_rate":1})");
    const Result r = client->send(get("/api/v2/groups"));
    INFO(describe(r));
    REQUIRE(std::holds_alternative<Failure>(r));
    CHECK(std::get<Failure>(r).kind == FailureKind::closed);
    // /_sim/ requests are never dropped: the log can be read now.
    CHECK(log_count(sim.port(), "POST", kBulkDelete, cert.harness()) == 1);
    CHECK(log_count(sim.port(), "GET", "/api/v2/groups", cert.harness()) == 3);  // 1 + 2 tries
}

TEST_CASE("request headers: Host with port, User-Agent, Content-Type, Content-Length", "[http]") {
    FakeServer server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    auto options = options_for("http://127.0.0.1:" + std::to_string(server.port()));
    options.connections = 1;
    const auto client = gp::http::make_client(options);
    REQUIRE(status_of(client->send({"PUT", "/a", {{"Authorization", kAuth}}, ""})) == 200);
    REQUIRE(status_of(client->send({"POST", "/b?x=1", {}, R"({"k":1})"})) == 200);
    REQUIRE(status_of(client->send({"GET", "/c", {}, ""})) == 200);
    CHECK(server.accepted() == 1);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    const std::string put = lower(requests[0]);
    CHECK(put.starts_with("put /a http/1.1\r\n"));
    CHECK(put.find("\r\nhost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n") !=
          std::string::npos);
    CHECK(put.find("\r\nuser-agent: gdpr-purge\r\n") != std::string::npos);
    CHECK(put.find("\r\ncontent-length: 0\r\n") != std::string::npos);
    CHECK(requests[0].find("\r\nAuthorization: " + kAuth + "\r\n") != std::string::npos);
    const std::string post = lower(requests[1]);
    CHECK(post.starts_with("post /b?x=1 http/1.1\r\n"));
    CHECK(post.find("\r\ncontent-type: application/json\r\n") != std::string::npos);
    CHECK(post.find("\r\ncontent-length: 7\r\n") != std::string::npos);
    CHECK(requests[1].ends_with("\r\n\r\n{\"k\":1}"));
    const std::string plain_get = lower(requests[2]);
    CHECK(plain_get.find("content-length") == std::string::npos);
    CHECK(plain_get.find("content-type") == std::string::npos);
}

TEST_CASE("a malformed answer is a protocol failure", "[http]") {
    FakeServer server("HELLO THERE\r\n\r\n");
    const auto client =
        gp::http::make_client(options_for("http://localhost:" + std::to_string(server.port())));
    const Result r = client->send(get("/x"));
    INFO(describe(r));
    REQUIRE(std::holds_alternative<Failure>(r));
    CHECK(std::get<Failure>(r).kind == FailureKind::protocol);
    CHECK(std::get<Failure>(r).request_sent);
    check_message(std::get<Failure>(r), "localhost:" + std::to_string(server.port()));
}

TEST_CASE("a server that never completes the TLS handshake: timeout, nothing sent", "[http][tls]") {
    FakeServer server("");  // reads the ClientHello, never answers it
    const auto client =
        gp::http::make_client(options_for(https("localhost", server.port()), 300ms));
    const auto start = std::chrono::steady_clock::now();
    const Result r = client->send(get("/x"));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    INFO(describe(r));
    REQUIRE(std::holds_alternative<Failure>(r));
    CHECK(std::get<Failure>(r).kind == FailureKind::timeout);
    CHECK_FALSE(std::get<Failure>(r).request_sent);
    check_message(std::get<Failure>(r), "localhost:" + std::to_string(server.port()));
    // The handshake never completes, so only the 300 ms timeout can end the wait; 5 s leaves room
    // for a loaded sanitized build and is still well under the 10 s default timeout.
    CHECK(elapsed < 5s);
    CHECK(server.requests().empty());
}
