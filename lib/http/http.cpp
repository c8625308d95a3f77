// The light half of lib/http: origins, loopback test, header lookup. No Beast, Asio or OpenSSL here
// (client.cpp has them), so that this file and its tests compile fast.
#include "http/http.hpp"
#include "util/text.hpp"

#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace gp::http {

namespace urls = boost::urls;

namespace {

[[noreturn]] void bad_url(std::string_view url, std::string_view what) {
    throw ConfigError("invalid URL \"" + std::string(url) + "\": " + std::string(what));
}

// Letters, digits, '-' and '.': a DNS name. Percent-encoded or other characters are refused rather
// than passed on to the resolver.
bool is_host_name(std::string_view host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
    });
}

std::uint16_t parse_port(std::string_view url, std::string_view text) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end || value == 0 || value > 65535) {
        bad_url(url, "the port must be a number from 1 to 65535");
    }
    return static_cast<std::uint16_t>(value);
}

std::string origin_host(std::string_view url, const urls::url_view& u) {
    switch (u.host_type()) {
        case urls::host_type::ipv4:
        case urls::host_type::ipv6:
            return std::string(u.encoded_host_address());  // IPv6 without its brackets
        case urls::host_type::name:
            if (is_host_name(u.encoded_host_address())) {
                return std::string(u.encoded_host_address());
            }
            bad_url(url, "the host name may hold only letters, digits, '-' and '.'");
        default:
            bad_url(url, "no usable host");
    }
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) {
            return std::string_view(h.value);
        }
    }
    return std::nullopt;
}

std::string_view to_string(FailureKind kind) {
    switch (kind) {
        case FailureKind::connect:
            return "connect";
        case FailureKind::tls:
            return "tls";
        case FailureKind::timeout:
            return "timeout";
        case FailureKind::closed:
            return "closed";
        case FailureKind::protocol:
            return "protocol";
    }
    return "unknown";
}

std::string Origin::to_string() const {
    std::string out = tls ? "https://" : "http://";
    const bool ipv6 = host.find(':') != std::string::npos;
    out += ipv6 ? "[" + host + "]" : host;
    if (port != (tls ? 443 : 80)) {
        out += ":" + std::to_string(port);
    }
    return out;
}

Origin parse_origin(std::string_view url) {
    const auto parsed = urls::parse_uri(url);
    if (!parsed) {
        bad_url(url, "not an absolute URL (expected https://host[:port])");
    }
    const urls::url_view& u = *parsed;
    Origin origin;
    if (u.scheme_id() == urls::scheme::https) {
        origin.tls = true;
    } else if (u.scheme_id() == urls::scheme::http) {
        origin.tls = false;
    } else {
        bad_url(url, "the scheme must be https (or http for a loopback host)");
    }
    if (u.has_userinfo()) {
        bad_url(url, "user information (user:password@) is not allowed");
    }
    if (u.has_query() || u.has_fragment()) {
        bad_url(url, "a query or fragment is not allowed");
    }
    // Boost.URL 1.81 reads "127.0.0.1.example.com" as the address 127.0.0.1 followed by the path
    // ".example.com": a path right after the authority must start with '/', so this is a bad host.
    if (!u.encoded_path().empty() && !u.encoded_path().starts_with("/")) {
        bad_url(url, "the host is neither a valid name nor an IP address");
    }
    if (!u.encoded_path().empty() && u.encoded_path() != "/") {
        bad_url(url, "a path is not allowed (the tool adds /api/v2 itself)");
    }
    origin.host = origin_host(url, u);
    origin.port = u.has_port() ? parse_port(url, u.port()) : (origin.tls ? 443 : 80);
    return origin;
}

bool is_loopback(std::string_view host) {
    if (iequals(host, "localhost")) {
        return true;
    }
    if (const auto v4 = urls::parse_ipv4_address(host)) {
        return v4->is_loopback();  // 127.0.0.0/8
    }
    if (const auto v6 = urls::parse_ipv6_address(host)) {
        return v6->is_loopback();  // ::1
    }
    return false;
}

}  // namespace gp::http
