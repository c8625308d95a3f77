// lib/http without a network: origins, loopback, header lookup, and make_client's refusals (the
// client connects lazily, so make_client alone never touches the network).
#include "http/http.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <string>

using gp::http::ClientOptions;
using gp::http::ConfigError;
using gp::http::FailureKind;
using gp::http::is_loopback;
using gp::http::make_client;
using gp::http::Origin;
using gp::http::parse_origin;
using gp::http::Response;

namespace {

std::string config_error(const ClientOptions& options) {
    try {
        make_client(options);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A file in the current test's temporary space, removed at the end of the scope.
struct TempFile {
    explicit TempFile(const std::string& content) {
        path = "/tmp/gp_http_origin_" + std::to_string(::getpid()) + ".pem";
        std::ofstream(path) << content;
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::string path;
};

}  // namespace

TEST_CASE("parse_origin: https with and without a port", "[http]") {
    const Origin a = parse_origin("https://acme.freshdesk.com");
    CHECK(a.tls);
    CHECK(a.host == "acme.freshdesk.com");
    CHECK(a.port == 443);
    CHECK(a.to_string() == "https://acme.freshdesk.com");

    const Origin b = parse_origin("https://localhost:8443/");
    CHECK(b.tls);
    CHECK(b.host == "localhost");
    CHECK(b.port == 8443);
    CHECK(b.to_string() == "https://localhost:8443");

    CHECK(parse_origin("HTTPS://Acme.Example.com:443").to_string() == "https://Acme.Example.com");
}

TEST_CASE("parse_origin: plain http, IPv4 and IPv6 hosts", "[http]") {
    const Origin a = parse_origin("http://127.0.0.1:8080");
    CHECK_FALSE(a.tls);
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == 8080);
    CHECK(a.to_string() == "http://127.0.0.1:8080");

    CHECK(parse_origin("http://localhost").port == 80);
    CHECK(parse_origin("http://localhost:80").to_string() == "http://localhost");

    const Origin v6 = parse_origin("https://[::1]:9000");
    CHECK(v6.host == "::1");
    CHECK(v6.port == 9000);
    CHECK(v6.to_string() == "https://[::1]:9000");

    // Plain http to any host parses: make_client is what refuses it (below).
    CHECK_FALSE(parse_origin("http://example.com").tls);
}

TEST_CASE("parse_origin: what is refused", "[http]") {
    const char* const bad[] = {
        "",
        "acme.freshdesk.com",
        "ftp://example.com",
        "https://",
        "https://user:pw@example.com",
        "https://example.com/api/v2",
        "https://example.com?x=1",
        "https://example.com#top",
        "https://example.com:0",
        "https://example.com:65536",
        "https://example.com:",
        "https://exa%6Dple.com",
        "https://exa_mple.com",
        "https://[v1.x]",
        "https://example.com:80a",
        // Boost.URL 1.81 splits this into the host 127.0.0.1 and the path ".example.com": it
        // must not become the loopback address.
        "http://127.0.0.1.example.com",
        "https://127.0.0.1x.com",
    };
    for (const char* url : bad) {
        INFO(url);
        CHECK_THROWS_AS(parse_origin(url), ConfigError);
    }
    try {
        parse_origin("https://example.com/api");
        FAIL("no exception");
    } catch (const ConfigError& e) {
        CHECK(contains(e.what(), "https://example.com/api"));
        CHECK(contains(e.what(), "path"));
    }
}

TEST_CASE("is_loopback", "[http]") {
    CHECK(is_loopback("127.0.0.1"));
    CHECK(is_loopback("127.255.3.4"));
    CHECK(is_loopback("::1"));
    CHECK(is_loopback("0:0:0:0:0:0:0:1"));
    CHECK(is_loopback("localhost"));
    CHECK(is_loopback("LOCALHOST"));
    CHECK(is_loopback("LocalHost"));

    CHECK_FALSE(is_loopback("128.0.0.1"));
    CHECK_FALSE(is_loopback("126.255.255.255"));
    CHECK_FALSE(is_loopback("127.0.0.1.example.com"));
    CHECK_FALSE(is_loopback("localhost.example.com"));
    CHECK_FALSE(is_loopback("mylocalhost"));
    CHECK_FALSE(is_loopback("::2"));
    CHECK_FALSE(is_loopback("10.0.0.1"));
    CHECK_FALSE(is_loopback(""));
    CHECK_FALSE(is_loopback("example.com"));
}

TEST_CASE("Response::header: first match, case-insensitive", "[http]") {
    Response r;
    r.headers = {{"x-ratelimit-total", "700"}, {"Link", "<a>"}, {"X-RateLimit-Total", "900"}};
    REQUIRE(r.header("X-RateLimit-Total"));
    CHECK(*r.header("X-RateLimit-Total") == "700");
    CHECK(*r.header("X-RATELIMIT-TOTAL") == "700");
    CHECK(*r.header("link") == "<a>");
    CHECK_FALSE(r.header("X-RateLimit-Remaining"));
    CHECK_FALSE(r.header("Lin"));
}

TEST_CASE("to_string(FailureKind)", "[http]") {
    CHECK(to_string(FailureKind::connect) == "connect");
    CHECK(to_string(FailureKind::tls) == "tls");
    CHECK(to_string(FailureKind::timeout) == "timeout");
    CHECK(to_string(FailureKind::closed) == "closed");
    CHECK(to_string(FailureKind::protocol) == "protocol");
}

TEST_CASE("make_client: plain http only to a loopback host", "[http]") {
    ClientOptions o;
    o.origin = parse_origin("http://example.com");
    const std::string message = config_error(o);
    CHECK(contains(message, "plain http is only allowed to a loopback host"));
    CHECK(contains(message, "https is required"));
    CHECK(contains(message, "example.com"));

    o.origin = parse_origin("http://10.1.2.3:8080");
    CHECK_FALSE(config_error(o).empty());
    o.origin = Origin{false, "127.0.0.1.example.com", 80};
    CHECK_FALSE(config_error(o).empty());

    for (const char* url :
         {"http://127.0.0.1:1", "http://localhost:8080", "http://[::1]:9", "https://example.com"}) {
        INFO(url);
        o.origin = parse_origin(url);
        CHECK_NOTHROW(make_client(o));
    }
}

TEST_CASE("make_client: an unreadable or invalid CA file, bad options", "[http]") {
    ClientOptions o;
    o.origin = parse_origin("https://localhost:8443");
    o.ca_file = "/nonexistent/ca.pem";
    CHECK(contains(config_error(o), "/nonexistent/ca.pem"));

    const TempFile garbage("this is not a certificate\n");
    o.ca_file = garbage.path;
    CHECK(contains(config_error(o), garbage.path));

    o.ca_file.clear();
    o.connections = 0;
    CHECK_FALSE(config_error(o).empty());
    o.connections = 1;
    o.timeout = std::chrono::milliseconds(0);
    CHECK_FALSE(config_error(o).empty());
}
