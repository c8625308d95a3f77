#pragma once
// A small synchronous HTTP/1.1 client interface. The one .cpp that includes Beast, Asio and OpenSSL
// implements it (client.cpp); nothing else in the project includes them. Expected failures
// (connection refused, TLS verification, timeouts, a closed connection) are values, not exceptions.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gp::http {

struct Header {
    std::string name;
    std::string value;
};

struct Request {
    std::string method;           // "GET", "PUT", "POST", "DELETE"
    std::string target;           // origin form, already percent-encoded: "/api/v2/tickets?page=2"
    std::vector<Header> headers;  // the client adds Host, User-Agent, Content-Length, Content-Type
    std::string body;             // sent with Content-Type: application/json when not empty
};

struct Response {
    int status = 0;
    std::vector<Header> headers;
    std::string body;
    // 1: the request was sent a second time, on a new connection, because a reused connection
    // closed without an answer; the first sending may have reached the server (and been charged).
    int resends = 0;
    // The first header of that name, compared case-insensitively.
    std::optional<std::string_view> header(std::string_view name) const;
};

enum class FailureKind {
    connect,   // name resolution, refused, unreachable: nothing was sent
    tls,       // handshake or certificate/host-name verification failed: nothing was sent
    timeout,   // a deadline passed (connect, TLS handshake, write or read)
    closed,    // the connection closed or was reset before a whole answer arrived
    protocol,  // a malformed answer, or a body over the limit
};
std::string_view to_string(FailureKind kind);

struct Failure {
    FailureKind kind = FailureKind::connect;
    bool request_sent = false;  // the server may have received (and acted on) the request
    std::string message;  // "TLS handshake with acme.freshdesk.com:443: certificate verify failed"
    int resends = 0;      // as Response::resends
};

using Result = std::variant<Response, Failure>;

// Where requests go: https://host[:port], or http://host[:port] for a loopback host only.
struct Origin {
    bool tls = true;
    std::string host;  // as written (a name, an IPv4 address, or an IPv6 address without brackets)
    std::uint16_t port = 443;
    // "https://acme.freshdesk.com", "http://127.0.0.1:8080": the port only when not the default.
    std::string to_string() const;
};

// A configuration that cannot be used: a malformed URL, plain http to a host that is not loopback,
// an unreadable CA file. Raised before any request is sent.
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// "https://host[:port][/]" or "http://host[:port][/]"; no user info, query, fragment or path other
// than "/". Throws ConfigError, whose message names the URL and what is wrong with it.
Origin parse_origin(std::string_view url);
// 127.0.0.0/8, ::1 and "localhost" (case-insensitive).
bool is_loopback(std::string_view host);

struct ClientOptions {
    Origin origin;
    std::string ca_file;  // extra trusted CAs (PEM) on top of the system's; "": the system's only
    // Each phase has its own deadline: connect (with the TLS handshake), writing the request,
    // reading the whole answer.
    std::chrono::milliseconds timeout{30000};
    std::size_t body_limit = 64u * 1024u * 1024u;  // larger answers are a protocol failure
    int connections = 4;  // keep-alive connections at most; further concurrent send() calls wait
    std::string user_agent = "gdpr-purge";
};

// Thread-safe: send() may be called from several threads at once, each call on one pooled
// keep-alive connection (TLS >= 1.2, certificate and host-name verification, SNI). When a reused
// connection turns out to have been closed by the server (no byte of an answer), the request is
// sent once more on a new connection, except for POST, which is returned as a Failure{closed,
// request_sent = true} because it may not be repeated safely.
class HttpClient {
  public:
    virtual ~HttpClient() = default;
    virtual Result send(const Request& request) = 0;
};

// Throws ConfigError: plain http to a non-loopback host, an unreadable or invalid ca_file.
std::unique_ptr<HttpClient> make_client(const ClientOptions& options);

}  // namespace gp::http
