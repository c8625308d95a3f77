// Contract tests of freshdesk-sim over HTTPS: a self-signed certificate made with the openssl CLI
// in a temporary directory, trusted by the test client through its CA file.
#include "harness.hpp"

#include <catch2/catch.hpp>

using simtest::Client;
using simtest::ClientOptions;
using simtest::Reply;
using simtest::SimProcess;

namespace {

struct Certificate {
    Certificate() {
        const auto r = simtest::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048",
                                             "-nodes", "-days", "1", "-subj", "/CN=localhost",
                                             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                                             "-keyout", key(), "-out", cert()});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    std::string cert() const { return dir.file("cert.pem"); }
    std::string key() const { return dir.file("key.pem"); }
    simtest::TempDir dir;
};

std::vector<std::string> https_args(const Certificate& c) {
    return {"--generate", "contacts=60,tickets=400,seed=5", "--tls-cert", c.cert(), "--tls-key",
            c.key()};
}

ClientOptions trusting(const Certificate& c) {
    ClientOptions o;
    o.tls = true;
    o.ca_file = c.cert();
    o.timeout = std::chrono::seconds(10);
    return o;
}

}  // namespace

TEST_CASE("HTTPS: served with the given certificate, headers and absolute https links", "[tls]") {
    const Certificate cert;
    SimProcess sim(https_args(cert));
    CHECK(sim.base_url() == "https://127.0.0.1:" + std::to_string(sim.port()));
    Client c(sim.port(), trusting(cert));
    const Reply r = c.get("/api/v2/tickets?updated_since=2000-01-01&per_page=2");
    REQUIRE(r.status == 200);
    CHECK(r.header("X-RateLimit-Used-CurrentRequest") == "1");
    CHECK(r.header("Link").find("<" + sim.base_url() + "/api/v2/tickets?") == 0);
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    CHECK(c.connections_opened() == 1);
    CHECK(sim.stop() == 0);
}

TEST_CASE("HTTPS only: plain HTTP to the HTTPS port gets no answer", "[tls]") {
    const Certificate cert;
    SimProcess sim(https_args(cert));
    ClientOptions plain;
    plain.timeout = std::chrono::seconds(10);
    CHECK_THROWS_AS(Client(sim.port(), plain).get("/api/v2/tickets/1"), simtest::ConnectionClosed);
    // The server is still serving HTTPS afterwards.
    CHECK(Client(sim.port(), trusting(cert)).get("/api/v2/tickets/1").status == 200);
}

TEST_CASE("HTTPS: a client that does not trust the certificate fails the handshake", "[tls]") {
    const Certificate cert;
    const Certificate other;
    SimProcess sim(https_args(cert));
    CHECK_THROWS_AS(Client(sim.port(), trusting(other)).get("/api/v2/tickets/1"),
                    simtest::ConnectionClosed);
}

TEST_CASE("TLS to a plain HTTP simulator fails", "[tls]") {
    const Certificate cert;
    SimProcess sim({"--generate", "contacts=60,tickets=400,seed=5"});
    CHECK_THROWS_AS(Client(sim.port(), trusting(cert)).get("/api/v2/tickets/1"),
                    simtest::ConnectionClosed);
}

TEST_CASE("HTTPS: SIGTERM with an open connection exits 0", "[tls]") {
    const Certificate cert;
    SimProcess sim(https_args(cert));
    Client c(sim.port(), trusting(cert));
    REQUIRE(c.get("/_sim/stats").status == 200);
    CHECK(sim.stop() == 0);
}

TEST_CASE("a missing certificate file is an error at start", "[tls]") {
    const Certificate cert;
    const auto r =
        simtest::run_command({simtest::sim_binary(), "--generate", "tickets=10", "--tls-cert",
                              cert.dir.file("none.pem"), "--tls-key", cert.key(), "--port", "0"});
    CHECK(r.status == 1);
    CHECK(r.err.find("certificate") != std::string::npos);
    CHECK(r.out.empty());
}
