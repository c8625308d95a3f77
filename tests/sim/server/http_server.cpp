// The one translation unit of freshdesk-sim with Beast, Asio and OpenSSL (slow to compile: keep it
// alone). Every asynchronous operation has a deadline, so no client can hold a session forever.
#include "http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace sim::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds kHandshakeTimeout{10};
constexpr std::chrono::seconds kWriteTimeout{30};
// After refusing a request it did not read in full (413, 431), the server reads and discards what
// the client still sends for at most this long before closing: closing a socket with unread data
// resets the connection, and a reset can destroy the answer before the client has read it.
constexpr std::chrono::seconds kLingerTimeout{2};

struct Shared {
    const ListenConfig& config;
    Dispatcher& dispatcher;
};

Request to_request(http::request<http::string_body>&& req) {
    Request out;
    out.method = std::string(req.method_string());
    out.target = std::string(req.target());
    for (const auto& field : req) {
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(req.body());
    return out;
}

http::response<http::string_body> to_response(Response&& r, unsigned version, bool keep_alive,
                                              bool chunked) {
    http::response<http::string_body> res;
    res.version(version);
    res.result(static_cast<unsigned>(r.status));
    for (const auto& [name, value] : r.headers) {
        res.insert(name, value);
    }
    res.body() = std::move(r.body);
    res.keep_alive(keep_alive);
    const bool bodiless = r.status / 100 == 1 || r.status == 204 || r.status == 304;
    if (chunked && !bodiless && version >= 11) {
        res.chunked(true);  // the whole body as one chunk, then the last chunk
    } else {
        res.prepare_payload();
    }
    return res;
}

// One connection: read a request, dispatch it, (wait,) answer or drop, repeat while kept alive.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  public:
    Session(Stream&& stream, Shared shared)
        : stream_(std::move(stream)), shared_(shared), timer_(stream_.get_executor()) {}

    void start() {
        if constexpr (kTls) {
            lowest().expires_after(kHandshakeTimeout);
            stream_.async_handshake(ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        ec ? self->abort() : self->read_next();
                                    });
        } else {
            read_next();
        }
    }

  private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    void read_next() {
        parser_.emplace();
        parser_->body_limit(shared_.config.body_limit);
        lowest().expires_after(shared_.config.idle_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             self->on_read(ec);
                         });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit) {
            return refuse(413, "Request body too large");
        }
        if (ec == http::error::header_limit) {
            return refuse(431, "Request header fields too large");
        }
        if (ec) {  // end of stream, idle timeout, or not HTTP: nothing to answer
            return close();
        }
        http::request<http::string_body> req = parser_->release();
        keep_alive_ = req.keep_alive();
        version_ = req.version();
        outcome_ = shared_.dispatcher.dispatch(to_request(std::move(req)));
        if (outcome_.delay.count() <= 0) {
            return deliver();
        }
        timer_.expires_after(outcome_.delay);
        timer_.async_wait(
            [self = this->shared_from_this()](beast::error_code) { self->deliver(); });
    }

    // Answers a request that was not read in full, then closes the connection.
    void refuse(int status, std::string_view message) {
        keep_alive_ = false;
        linger_ = true;
        outcome_ = Outcome{};
        outcome_.response = shared_.dispatcher.refusal(status, message);
        deliver();
    }

    void deliver() {
        if (outcome_.drop) {
            return abort();
        }
        response_ = to_response(std::move(outcome_.response), version_, keep_alive_,
                                shared_.config.chunked);
        lowest().expires_after(kWriteTimeout);
        http::async_write(stream_, response_,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                  return self->abort();
                              }
                              if (self->keep_alive_) {
                                  return self->read_next();
                              }
                              self->linger_ ? self->linger() : self->close();
                          });
    }

    // Closes our side, then discards what the client still sends until it closes too (or until
    // kLingerTimeout), and only then closes the socket.
    void linger() {
        if constexpr (kTls) {
            close();
        } else {
            beast::error_code ignored;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
            lowest().expires_after(kLingerTimeout);
            discard();
        }
    }

    void discard() {
        lowest().async_read_some(asio::buffer(scratch_), [self = this->shared_from_this()](
                                                             beast::error_code ec, std::size_t) {
            ec ? self->abort() : self->discard();
        });
    }

    void close() {
        if constexpr (kTls) {
            lowest().expires_after(kHandshakeTimeout);
            stream_.async_shutdown(
                [self = this->shared_from_this()](beast::error_code) { self->abort(); });
        } else {
            beast::error_code ignored;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
    }

    // Closes the TCP connection at once: no answer, no TLS close_notify.
    void abort() {
        beast::error_code ignored;
        lowest().socket().close(ignored);
    }

    Stream stream_;
    Shared shared_;
    asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    Outcome outcome_;
    bool keep_alive_ = false;
    bool linger_ = false;
    unsigned version_ = 11;
    std::array<char, 4096> scratch_{};
};

ssl::context make_tls_context(const ListenConfig& config) {
    ssl::context ctx{ssl::context::tls_server};
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    beast::error_code ec;
    ctx.use_certificate_chain_file(config.tls_cert, ec);
    if (ec) {
        throw std::runtime_error("cannot use certificate " + config.tls_cert + ": " + ec.message());
    }
    ctx.use_private_key_file(config.tls_key, ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("cannot use private key " + config.tls_key + ": " + ec.message());
    }
    return ctx;
}

}  // namespace

struct HttpServer::Impl {
    explicit Impl(const ListenConfig& c) : config(c), ioc(std::max(1, c.threads)), acceptor(ioc) {}
    // Members in this order: sessions (owned by pending handlers in ioc) go before the TLS context.

    void listen() {
        const tcp::endpoint endpoint{asio::ip::make_address_v4("127.0.0.1"),
                                     static_cast<std::uint16_t>(config.port)};
        beast::error_code ec;
        acceptor.open(endpoint.protocol(), ec);
        if (!ec) {
            acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        }
        if (!ec) {
            acceptor.bind(endpoint, ec);
        }
        if (!ec) {
            acceptor.listen(asio::socket_base::max_listen_connections, ec);
        }
        if (ec) {
            throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(config.port) +
                                     ": " + ec.message());
        }
    }

    void accept_next() {
        acceptor.async_accept(asio::make_strand(ioc),
                              [this](beast::error_code ec, tcp::socket socket) {
                                  if (!ec) {
                                      start_session(std::move(socket));
                                  }
                                  if (acceptor.is_open()) {
                                      accept_next();
                                  }
                              });
    }

    void start_session(tcp::socket socket) {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        beast::tcp_stream stream(std::move(socket));
        const Shared shared{config, *dispatcher};
        if (tls) {
            using TlsStream = beast::ssl_stream<beast::tcp_stream>;
            std::make_shared<Session<TlsStream>>(TlsStream(std::move(stream), *tls), shared)
                ->start();
        } else {
            std::make_shared<Session<beast::tcp_stream>>(std::move(stream), shared)->start();
        }
    }

    ListenConfig config;
    std::optional<ssl::context> tls;
    asio::io_context ioc;
    tcp::acceptor acceptor;
    Dispatcher* dispatcher = nullptr;
};

HttpServer::HttpServer(const ListenConfig& config) : impl_(std::make_unique<Impl>(config)) {
    if (config.tls_cert.empty() != config.tls_key.empty()) {
        throw std::runtime_error("HTTPS needs both a certificate and a key");
    }
    if (!config.tls_cert.empty()) {
        impl_->tls.emplace(make_tls_context(config));
    }
    impl_->listen();
}

HttpServer::~HttpServer() = default;

int HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void HttpServer::run(Dispatcher& dispatcher) {
    impl_->dispatcher = &dispatcher;
    impl_->accept_next();
    std::vector<std::thread> helpers;
    for (int i = 1; i < impl_->config.threads; ++i) {
        helpers.emplace_back([this] { impl_->ioc.run(); });
    }
    impl_->ioc.run();
    for (auto& t : helpers) {
        t.join();
    }
}

void HttpServer::stop() {
    impl_->ioc.stop();
}

}  // namespace sim::server
