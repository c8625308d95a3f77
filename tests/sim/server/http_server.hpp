#pragma once
// freshdesk-sim's network side: an acceptor on 127.0.0.1 and one session object per connection
// (HTTP/1.1 keep-alive, or HTTPS only when a certificate is given), on an io_context run by several
// threads. The only file that includes Beast, Asio and OpenSSL is http_server.cpp.
#include "dispatcher.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace sim::server {

struct ListenConfig {
    int port = 0;  // 0: the kernel picks one (see HttpServer::port)
    int threads = 1;
    std::string tls_cert;  // PEM certificate chain; with tls_key, the server speaks HTTPS only
    std::string tls_key;
    std::size_t body_limit = 8 * 1024 * 1024;  // larger request bodies: 413, connection closed
    // (request headers over Beast's limit of 8 KB: 431, connection closed)
    std::chrono::seconds idle_timeout{15};  // keep-alive connections idle this long are closed
    bool chunked = false;  // bodies with Transfer-Encoding: chunked instead of Content-Length
};

class HttpServer {
  public:
    // Binds 127.0.0.1:port (never another address) and listens. Throws std::runtime_error.
    explicit HttpServer(const ListenConfig& config);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    int port() const;
    // Serves with `dispatcher` on config.threads threads (the calling one included) until stop().
    // Signals are the caller's business (main.cpp).
    void run(Dispatcher& dispatcher);
    // Thread-safe, also before run() (which then returns at once); run() returns soon after.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sim::server
