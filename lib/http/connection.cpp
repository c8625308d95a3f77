// A pooled connection's checks and the TLS context (connection.hpp).
#include "http/connection.hpp"

#include <boost/asio/ip/address.hpp>

#include <openssl/ssl.h>
#include <poll.h>

#include <fstream>

namespace gp::http::detail {

bool is_closed(const error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
           ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
           ec == asio::error::not_connected || ec == ssl::error::stream_truncated;
}

bool set_sni(SSL* ssl, const std::string& host) {
    return SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                    const_cast<char*>(host.c_str())) == 1;
}

bool is_http_error(const error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category();
}

bool is_ip_address(const std::string& host) {
    error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

bool still_open(Connection& c) {
    if (!c.lowest().socket().is_open() || c.buffer.size() != 0) {
        return false;
    }
    if (c.tls && SSL_pending(c.tls->native_handle()) > 0) {
        return false;
    }
    pollfd p{c.lowest().socket().native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
}

ssl::context make_tls_context(const std::string& ca_file) {
    ssl::context ctx{ssl::context::tls_client};
    if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
        throw std::runtime_error("gp::http: cannot require TLS 1.2");
    }
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    error_code ec;
    ctx.set_default_verify_paths(ec);  // none on this machine: ca_file may still be enough
    if (!ca_file.empty()) {
        if (!std::ifstream(ca_file)) {
            throw ConfigError("cannot read the CA file \"" + ca_file + "\"");
        }
        ctx.load_verify_file(ca_file, ec);
        if (ec) {
            throw ConfigError("the CA file \"" + ca_file +
                              "\" holds no usable PEM certificate: " + ec.message());
        }
    }
    ctx.set_verify_mode(ssl::verify_peer);
    return ctx;
}

}  // namespace gp::http::detail
