// The HTTP/1.1 client: with connection.cpp (the pooled connection's checks, the TLS context) the
// only files of the project with Beast, Asio and OpenSSL.
//
// Design.
// - Threads: none of its own. A Slot is one pooled connection with its own io_context; send()
//   leases a slot and runs each step (resolve, connect, handshake, write, read) as an asynchronous
//   operation on that io_context, on the caller's thread, until it completes. Asynchronous
//   operations are what give every step a deadline: blocking Beast calls have none.
// - Deadlines: one for resolve + connect + TLS handshake, one for writing the request, one for
//   reading the whole answer, each `timeout` long. beast::tcp_stream::expires_at/after closes the
//   socket when one passes; name resolution uses a timer that cancels the resolver (getaddrinfo
//   itself cannot be interrupted, so a hung system resolver is bounded by its own timeout).
// - Pool: at most `connections` slots, made on demand; callers beyond that wait on a condition
//   variable. Free slots are a stack, so the most recently used (likely still open) comes first.
// - Reuse: before a kept-alive connection carries a request it is polled without waiting. An idle
//   HTTP connection has nothing to read, so anything readable (the FIN or TLS close_notify of a
//   server that closed it after its idle timeout, leftover bytes, an error) means it is dropped and
//   a new one opened: this catches the usual idle close before anything is sent, POST included.
//   When the server closes it in the short window between that check and our request (no byte of
//   an answer arrives), the request is sent once more on a new connection, except POST, which
//   comes back as Failure{closed, request_sent = true}.
// - TLS: TLS 1.2 minimum (1.3 allowed); the system's trusted CAs plus ca_file; SNI for host
//   names; host-name or IP-address checking by OpenSSL's own verification (SSL_set1_host,
//   X509_VERIFY_PARAM_set1_ip_asc), which puts the precise reason ("hostname mismatch") in the
//   verify result that failure messages quote.
// - Messages name host:port, the step and the reason, never a header (Authorization is secret).
#include "http/connection.hpp"

#include <boost/asio/steady_timer.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace gp::http {
namespace {

using namespace detail;  // the pooled connection (connection.hpp)

// A header value or target with a control character would split the request: a programming error.
void check_text(std::string_view what, std::string_view text) {
    const bool bad = std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
    if (bad) {
        throw std::invalid_argument("gp::http: control character in the request's " +
                                    std::string(what));
    }
}

Response to_response(BeastResponse&& res) {
    Response out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
        out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    out.body = std::move(res.body());
    return out;
}

struct Exchange {
    std::optional<Response> response;
    bool keep_alive = false;
    Failure failure;
    bool closed_before_answer = false;  // the connection closed before any byte of an answer
};

class Client final : public HttpClient {
  public:
    explicit Client(const ClientOptions& options);
    ~Client() override;
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    Result send(const Request& request) override;

  private:
    Slot& acquire();
    void release(Slot& slot);
    BeastRequest build(const Request& request) const;
    Result send_on(Slot& slot, const BeastRequest& req);
    Result send_once(Slot& slot, const BeastRequest& req, bool& closed_before_answer);
    std::optional<Failure> open(Slot& slot);
    std::optional<Failure> resolve(Slot& slot, Deadline deadline, tcp::resolver::results_type& out);
    std::optional<Failure> handshake(Slot& slot, Deadline deadline);
    Exchange exchange(Slot& slot, const BeastRequest& req);
    Failure read_failure(const error_code& ec, const BeastRequest& req) const;
    void shutdown(Slot& slot);
    std::string ms() const { return std::to_string(options_.timeout.count()) + " ms"; }

    ClientOptions options_;
    std::string where_;        // "host:port", in messages
    std::string host_header_;  // "host" or "host:port"
    std::optional<ssl::context> tls_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::vector<Slot*> free_;  // a stack: the most recently used first
};

Client::Client(const ClientOptions& options) : options_(options) {
    const Origin& o = options_.origin;
    const bool ipv6 = o.host.find(':') != std::string::npos;
    where_ = (ipv6 ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
    host_header_ = o.port == (o.tls ? 443 : 80) ? (ipv6 ? "[" + o.host + "]" : o.host) : where_;
    if (o.tls) {
        tls_.emplace(make_tls_context(options_.ca_file));
    } else if (!options_.ca_file.empty()) {
        make_tls_context(options_.ca_file);  // a bad CA file is a mistake even without TLS
    }
}

Client::~Client() {
    for (auto& slot : slots_) {
        shutdown(*slot);
    }
}

Slot& Client::acquire() {
    std::unique_lock lock(mutex_);
    const auto limit = static_cast<std::size_t>(options_.connections);
    freed_.wait(lock, [&] { return !free_.empty() || slots_.size() < limit; });
    if (!free_.empty()) {
        Slot* slot = free_.back();
        free_.pop_back();
        return *slot;
    }
    slots_.push_back(std::make_unique<Slot>());
    return *slots_.back();
}

void Client::release(Slot& slot) {
    {
        std::lock_guard lock(mutex_);
        free_.push_back(&slot);
    }
    freed_.notify_one();
}

BeastRequest Client::build(const Request& request) const {
    check_text("target", request.target);
    BeastRequest req;
    const bhttp::verb verb = bhttp::string_to_verb(request.method);
    verb == bhttp::verb::unknown ? req.method_string(request.method) : req.method(verb);
    req.target(request.target);
    req.version(11);
    for (const auto& h : request.headers) {
        check_text("header " + h.name, h.name + h.value);
        req.insert(h.name, h.value);
    }
    req.set(bhttp::field::host, host_header_);
    req.set(bhttp::field::user_agent, options_.user_agent);
    if (!request.body.empty()) {
        req.set(bhttp::field::content_type, "application/json");
    }
    // Servers want a length on a PUT or POST even when it is 0 (411 otherwise).
    if (!request.body.empty() || verb == bhttp::verb::put || verb == bhttp::verb::post ||
        verb == bhttp::verb::patch) {
        req.content_length(request.body.size());
    }
    req.body() = request.body;
    return req;
}

Result Client::send(const Request& request) {
    const BeastRequest req = build(request);
    Slot& slot = acquire();
    try {
        Result result = send_on(slot, req);
        release(slot);
        return result;
    } catch (...) {
        slot.conn.reset();
        release(slot);
        throw;
    }
}

Result Client::send_on(Slot& slot, const BeastRequest& req) {
    if (slot.conn && !still_open(*slot.conn)) {
        slot.conn.reset();
    }
    const bool reused = slot.conn != nullptr;
    bool closed_before_answer = false;
    Result result = send_once(slot, req, closed_before_answer);
    if (!reused || !closed_before_answer) {
        return result;
    }
    // A reused connection the server had closed: the request may not have been read at all.
    if (req.method() == bhttp::verb::post) {
        std::get<Failure>(result).message += "; a POST is not sent again";
        return result;
    }
    Result again = send_once(slot, req, closed_before_answer);  // on a new connection
    std::visit([](auto& outcome) { outcome.resends = 1; }, again);
    return again;
}

Result Client::send_once(Slot& slot, const BeastRequest& req, bool& closed_before_answer) {
    if (!slot.conn) {
        if (auto failure = open(slot)) {
            return *failure;
        }
    }
    Exchange x = exchange(slot, req);
    closed_before_answer = x.closed_before_answer;
    if (!x.response || !x.keep_alive) {
        slot.conn.reset();
    }
    if (x.response) {
        return std::move(*x.response);
    }
    return x.failure;
}

std::optional<Failure> Client::resolve(Slot& slot, Deadline deadline,
                                       tcp::resolver::results_type& out) {
    tcp::resolver resolver(slot.ioc);
    asio::steady_timer timer(slot.ioc, deadline);
    bool timed_out = false;
    error_code ec;
    timer.async_wait([&](error_code e) {
        if (!e) {
            timed_out = true;
            resolver.cancel();
        }
    });
    resolver.async_resolve(options_.origin.host, std::to_string(options_.origin.port),
                           tcp::resolver::numeric_service,
                           [&](error_code e, tcp::resolver::results_type results) {
                               ec = e;
                               out = std::move(results);
                               timer.cancel();
                           });
    slot.ioc.restart();
    slot.ioc.run();
    if (timed_out) {
        return Failure{.kind = FailureKind::timeout,
                       .request_sent = false,
                       .message = "resolve " + where_ + ": no answer within " + ms(),
                       .resends = 0};
    }
    if (ec) {
        return Failure{.kind = FailureKind::connect,
                       .request_sent = false,
                       .message = "resolve " + where_ + ": " + ec.message(),
                       .resends = 0};
    }
    return std::nullopt;
}

std::optional<Failure> Client::open(Slot& slot) {
    const Deadline deadline = std::chrono::steady_clock::now() + options_.timeout;
    tcp::resolver::results_type endpoints;
    if (auto failure = resolve(slot, deadline, endpoints)) {
        return failure;
    }
    auto conn = std::make_unique<Connection>();
    if (tls_) {
        conn->tls.emplace(slot.ioc, *tls_);
    } else {
        conn->plain.emplace(slot.ioc);
    }
    conn->lowest().expires_at(deadline);
    const error_code ec = run_op(slot.ioc, [&](auto handler) {
        conn->lowest().async_connect(endpoints, std::move(handler));
    });
    if (ec == beast::error::timeout) {
        return Failure{.kind = FailureKind::timeout,
                       .request_sent = false,
                       .message = "connect to " + where_ + ": no connection within " + ms(),
                       .resends = 0};
    }
    if (ec) {
        return Failure{.kind = FailureKind::connect,
                       .request_sent = false,
                       .message = "connect to " + where_ + ": " + ec.message(),
                       .resends = 0};
    }
    slot.conn = std::move(conn);
    if (auto failure = tls_ ? handshake(slot, deadline) : std::nullopt) {
        slot.conn.reset();
        return failure;
    }
    return std::nullopt;
}

std::optional<Failure> Client::handshake(Slot& slot, Deadline deadline) {
    const std::string& host = options_.origin.host;
    auto& stream = *slot.conn->tls;
    SSL* ssl = stream.native_handle();
    const bool ip = is_ip_address(host);
    // SNI carries host names only (RFC 6066); the certificate must match the name or the address.
    const bool configured =
        ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1
           : set_sni(ssl, host) && SSL_set1_host(ssl, host.c_str()) == 1;
    if (!configured) {
        return Failure{.kind = FailureKind::tls,
                       .request_sent = false,
                       .message = "TLS handshake with " + where_ + ": cannot check the host name",
                       .resends = 0};
    }
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    slot.conn->lowest().expires_at(deadline);
    const error_code ec = run_op(slot.ioc, [&](auto handler) {
        stream.async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec == beast::error::timeout) {
        return Failure{.kind = FailureKind::timeout,
                       .request_sent = false,
                       .message = "TLS handshake with " + where_ + ": not done within " + ms(),
                       .resends = 0};
    }
    if (ec) {
        std::string message = "TLS handshake with " + where_ + ": " + ec.message();
        if (const long verify = SSL_get_verify_result(ssl); verify != X509_V_OK) {
            message += std::string(": ") + X509_verify_cert_error_string(verify);
        }
        return Failure{.kind = FailureKind::tls,
                       .request_sent = false,
                       .message = std::move(message),
                       .resends = 0};
    }
    return std::nullopt;
}

Exchange Client::exchange(Slot& slot, const BeastRequest& req) {
    Connection& conn = *slot.conn;
    const std::string what = std::string(req.method_string()) + " to " + where_;
    Exchange x;
    conn.lowest().expires_after(options_.timeout);
    error_code ec = conn.with_stream([&](auto& stream) {
        return run_op(slot.ioc,
                      [&](auto handler) { bhttp::async_write(stream, req, std::move(handler)); });
    });
    if (ec) {
        const bool timeout = ec == beast::error::timeout;
        x.closed_before_answer = is_closed(ec);
        x.failure = {.kind = timeout ? FailureKind::timeout : FailureKind::closed,
                     .request_sent = true,
                     .message = what + (timeout ? ": the request was not sent within " + ms()
                                                : ": sending the request failed: " + ec.message()),
                     .resends = 0};
        return x;
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options_.body_limit);
    parser.header_limit(kHeaderLimit);
    parser.skip(req.method() == bhttp::verb::head);
    conn.lowest().expires_after(options_.timeout);
    ec = conn.with_stream([&](auto& stream) {
        return run_op(slot.ioc, [&](auto handler) {
            bhttp::async_read(stream, conn.buffer, parser, std::move(handler));
        });
    });
    if (ec) {
        x.closed_before_answer = is_closed(ec) && !parser.got_some();
        x.failure = read_failure(ec, req);
        return x;
    }
    x.keep_alive = parser.get().keep_alive();
    x.response = to_response(parser.release());
    return x;
}

Failure Client::read_failure(const error_code& ec, const BeastRequest& req) const {
    const std::string what = std::string(req.method_string()) + " to " + where_;
    if (ec == beast::error::timeout) {
        return {.kind = FailureKind::timeout,
                .request_sent = true,
                .message = what + ": no whole answer within " + ms(),
                .resends = 0};
    }
    if (ec == bhttp::error::body_limit) {
        return {.kind = FailureKind::protocol,
                .request_sent = true,
                .message = what + ": the answer is larger than the limit of " +
                           std::to_string(options_.body_limit) + " bytes",
                .resends = 0};
    }
    if (is_closed(ec) || !is_http_error(ec)) {
        return {.kind = FailureKind::closed,
                .request_sent = true,
                .message = what + ": the connection closed before a whole answer arrived (" +
                           ec.message() + ")",
                .resends = 0};
    }
    return {.kind = FailureKind::protocol,
            .request_sent = true,
            .message = what + ": malformed answer: " + ec.message(),
            .resends = 0};
}

// Sends TLS close_notify (within a short deadline) before closing; the server's answer to it, or
// stream_truncated when it just closes, does not matter.
void Client::shutdown(Slot& slot) {
    if (slot.conn && slot.conn->tls && still_open(*slot.conn)) {
        slot.conn->lowest().expires_after(std::min(options_.timeout, kShutdownLimit));
        run_op(slot.ioc, [&](auto handler) { slot.conn->tls->async_shutdown(std::move(handler)); });
    }
    slot.conn.reset();
}

}  // namespace

std::unique_ptr<HttpClient> make_client(const ClientOptions& options) {
    const Origin& o = options.origin;
    if (o.host.empty() || o.port == 0) {
        throw ConfigError("no host or port to connect to: \"" + o.to_string() + "\"");
    }
    if (!o.tls && !is_loopback(o.host)) {
        throw ConfigError(o.to_string() + ": plain http is only allowed to a loopback host " +
                          "(localhost, 127.0.0.0/8, ::1); https is required for " + o.host);
    }
    if (options.connections < 1) {
        throw ConfigError("at least one connection is needed");
    }
    if (options.timeout.count() <= 0) {
        throw ConfigError("the timeout must be positive");
    }
    return std::make_unique<Client>(options);
}

}  // namespace gp::http
