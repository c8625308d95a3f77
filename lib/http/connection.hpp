#pragma once
// Private to lib/http, and with client.cpp and connection.cpp the only files of the project that
// include Beast, Asio and OpenSSL: one pooled connection (plain or TLS), the io_context it runs
// on, and what client.cpp asks of it (is it still open, did the peer close it, the TLS context).
// The design is in client.cpp's file comment.
#include "http/http.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace gp::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Deadline = std::chrono::steady_clock::time_point;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

constexpr std::uint32_t kHeaderLimit = 64 * 1024;  // Beast's 8 KB default is tight for Link headers
constexpr std::chrono::milliseconds kShutdownLimit{1000};

// One kept-alive connection: exactly one of `plain` and `tls` is set.
struct Connection {
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;

    beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
    template <class F>
    error_code with_stream(F&& f) {
        return tls ? f(*tls) : f(*plain);
    }
};

// A pooled connection and the io_context its operations run on (declared first: it must outlive
// the streams).
struct Slot {
    asio::io_context ioc{1};
    std::unique_ptr<Connection> conn;
};

// Starts one asynchronous operation and runs the io_context until it has completed. Every
// operation started this way has a deadline, so run() always returns.
template <class Start>
error_code run_op(asio::io_context& ioc, Start&& start) {
    error_code result;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
}

// The peer closed or reset the connection (or never completed a TLS close).
bool is_closed(const error_code& ec);
// A parse error of Beast's HTTP parser.
bool is_http_error(const error_code& ec);
bool is_ip_address(const std::string& host);
// SSL_set_tlsext_host_name without its macro's C-style cast.
bool set_sni(SSL* ssl, const std::string& host);
// An idle kept-alive connection with anything to read cannot carry a request (client.cpp, "Reuse").
bool still_open(Connection& c);
// TLS 1.2 at least, the system's trusted CAs plus `ca_file`, peer verification on. Throws
// ConfigError for a CA file that cannot be read or holds no certificate.
ssl::context make_tls_context(const std::string& ca_file);

}  // namespace gp::http::detail
