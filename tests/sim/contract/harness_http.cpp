// The harness's blocking HTTP/1.1 client: one keep-alive connection, a receive timeout on every
// read (SO_RCVTIMEO, which also bounds OpenSSL's reads on a blocking socket), no retries.
#include "harness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>
#include <csignal>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace simtest {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

std::string ssl_error_text() {
    const unsigned long e = ERR_get_error();
    if (e == 0) {
        return "no OpenSSL error";
    }
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

}  // namespace

// One TCP (and optionally TLS) connection with its unread bytes.
struct Client::Conn {
    int fd = -1;
    SSL_CTX* ctx = nullptr;
    SSL* ssl = nullptr;
    std::string pending;

    ~Conn() {
        if (ssl != nullptr) {
            SSL_free(ssl);
        }
        if (ctx != nullptr) {
            SSL_CTX_free(ctx);
        }
        if (fd >= 0) {
            ::close(fd);
        }
    }

    void write_all(std::string_view data) {
        while (!data.empty()) {
            const long n = ssl != nullptr
                               ? SSL_write(ssl, data.data(), static_cast<int>(data.size()))
                               : ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                throw ConnectionClosed("connection closed while sending the request");
            }
            data.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    // Appends what arrives to `pending`; false on end of stream. Throws Timeout.
    bool read_more() {
        char buf[16384];
        errno = 0;
        const long n =
            ssl != nullptr ? SSL_read(ssl, buf, sizeof buf) : ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            pending.append(buf, static_cast<std::size_t>(n));
            return true;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            throw Timeout("no response within the client's timeout");
        }
        return false;
    }
};

namespace {

void set_timeouts(int fd, std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void start_tls(Client::Conn& c, const ClientOptions& options) {
    c.ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(c.ctx, TLS1_2_VERSION);
    if (SSL_CTX_load_verify_locations(c.ctx, options.ca_file.c_str(), nullptr) != 1) {
        throw std::runtime_error("cannot load CA file " + options.ca_file);
    }
    SSL_CTX_set_verify(c.ctx, SSL_VERIFY_PEER, nullptr);
    c.ssl = SSL_new(c.ctx);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c.ssl), "127.0.0.1");
    SSL_set_fd(c.ssl, c.fd);
    if (SSL_connect(c.ssl) != 1) {
        throw ConnectionClosed("TLS handshake failed: " + ssl_error_text());
    }
}

ClientOptions with_key(std::string api_key) {
    ClientOptions options;
    options.api_key = std::move(api_key);
    return options;
}

}  // namespace

Client::Client(int port, std::string api_key) : Client(port, with_key(std::move(api_key))) {}

Client::Client(int port, ClientOptions options) : port_(port), options_(std::move(options)) {
    // SSL_write uses write(): a peer that closed first must fail the call, not kill the test.
    ::signal(SIGPIPE, SIG_IGN);
}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::disconnect() {
    conn_.reset();
}

int Client::connections_opened() const {
    return opened_;
}

Reply Client::get(const std::string& target) {
    return raw("GET", target, "", {}, true);
}

Reply Client::send(const std::string& method, const std::string& target, const std::string& body) {
    return raw(method, target, body, {}, true);
}

namespace {

std::string request_text(const std::string& method, const std::string& target,
                         const std::string& body, const Headers& headers, int port) {
    std::string text = method + " " + target +
                       " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                       "\r\nUser-Agent: simtest\r\n";
    bool has_type = false;
    for (const auto& [k, v] : headers) {
        has_type = has_type || lower(k) == "content-type";
        text += k + ": " + v + "\r\n";
    }
    if (!body.empty() && !has_type) {
        text += "Content-Type: application/json\r\n";
    }
    if (!body.empty() || method == "POST" || method == "PUT") {
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    return text + "\r\n" + body;
}

// Parses the status line and headers of `head` (without the blank line).
Reply parse_head(const std::string& head) {
    Reply reply;
    std::size_t pos = head.find("\r\n");
    const std::string status_line = head.substr(0, pos);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
        throw ConnectionClosed("not an HTTP response: \"" + status_line.substr(0, 80) + "\"");
    }
    reply.status = std::stoi(status_line.substr(9, 3));
    while (pos != std::string::npos) {
        const std::size_t start = pos + 2;
        pos = head.find("\r\n", start);
        const std::string line = head.substr(start, pos == std::string::npos ? pos : pos - start);
        const std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
            reply.headers.emplace_back(line.substr(0, colon), trim(line.substr(colon + 1)));
        }
    }
    return reply;
}

}  // namespace

Reply Client::raw(const std::string& method, const std::string& target, const std::string& body,
                  const Headers& headers, bool with_auth) {
    Headers all = headers;
    if (with_auth) {
        all.emplace_back("Authorization", basic_auth(options_.api_key));
    }
    if (!conn_) {
        auto c = std::make_unique<Conn>();
        c->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        set_timeouts(c->fd, options_.timeout);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port_));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(c->fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            throw ConnectionClosed("cannot connect to 127.0.0.1:" + std::to_string(port_));
        }
        ++opened_;
        if (options_.tls) {
            start_tls(*c, options_);
        }
        conn_ = std::move(c);
    }
    try {
        conn_->write_all(request_text(method, target, body, all, port_));
        Reply reply = read_reply(method);
        if (lower(reply.header("Connection")) == "close") {
            conn_.reset();
        }
        return reply;
    } catch (...) {
        conn_.reset();
        throw;
    }
}

// A chunked body (RFC 9112 7.1): hex size lines (extensions ignored), the chunks, the last chunk,
// trailer fields (ignored) and the blank line.
std::string Client::read_chunked() {
    Conn& c = *conn_;
    const auto line = [&c]() {
        std::size_t end = 0;
        while ((end = c.pending.find("\r\n")) == std::string::npos) {
            if (!c.read_more()) {
                throw ConnectionClosed("connection closed inside a chunked body");
            }
        }
        std::string text = c.pending.substr(0, end);
        c.pending.erase(0, end + 2);
        return text;
    };
    std::string body;
    for (;;) {
        const std::string size_line = line();
        std::size_t used = 0;
        unsigned long long size = 0;
        try {
            size = std::stoull(size_line, &used, 16);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || (used < size_line.size() && size_line[used] != ';' &&
                          size_line[used] != ' ' && size_line[used] != '\t')) {
            throw ConnectionClosed("bad chunk size line: \"" + size_line.substr(0, 80) + "\"");
        }
        if (size == 0) {
            while (!line().empty()) {  // trailer fields
            }
            return body;
        }
        const auto n = static_cast<std::size_t>(size);
        while (c.pending.size() < n + 2) {
            if (!c.read_more()) {
                throw ConnectionClosed("connection closed inside a chunk");
            }
        }
        if (c.pending.compare(n, 2, "\r\n") != 0) {
            throw ConnectionClosed("a chunk does not end with CRLF");
        }
        body.append(c.pending, 0, n);
        c.pending.erase(0, n + 2);
    }
}

Reply Client::read_reply(const std::string& method) {
    Conn& c = *conn_;
    std::size_t end = 0;
    while ((end = c.pending.find("\r\n\r\n")) == std::string::npos) {
        if (!c.read_more()) {
            throw ConnectionClosed(c.pending.empty() ? "connection closed without a response"
                                                     : "connection closed inside the headers");
        }
    }
    Reply reply = parse_head(c.pending.substr(0, end));
    c.pending.erase(0, end + 4);
    const bool no_body =
        method == "HEAD" || reply.status == 204 || reply.status == 304 || reply.status / 100 == 1;
    const std::string length = reply.header("Content-Length");
    if (no_body) {
        return reply;
    }
    if (lower(reply.header("Transfer-Encoding")).find("chunked") != std::string::npos) {
        reply.body = read_chunked();
        return reply;
    }
    if (length.empty()) {  // body until the server closes
        while (c.read_more()) {
        }
        reply.body = std::move(c.pending);
        conn_.reset();
        return reply;
    }
    const auto size = static_cast<std::size_t>(std::stoull(length));
    while (c.pending.size() < size) {
        if (!c.read_more()) {
            throw ConnectionClosed("connection closed inside the body");
        }
    }
    reply.body = c.pending.substr(0, size);
    c.pending.erase(0, size);
    return reply;
}

}  // namespace simtest
