#include "connection.hpp"

#include "output.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

#ifndef GP_VERSION
#error "GP_VERSION must be defined by the build (app/CMakeLists.txt)"
#endif

namespace gp::cli {

namespace {

constexpr std::string_view freshdesk_suffix = ".freshdesk.com";
constexpr std::string_view domain_variable = "FRESHDESK_DOMAIN";
constexpr std::string_view key_variable = "FRESHDESK_API_KEY";

constexpr std::array connection_option_names{"domain",     "base-url",    "api-key-file", "ca-file",
                                             "rate-limit", "concurrency", "timeout"};

std::string environment(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    return value == nullptr ? std::string() : std::string(value);
}

bool is_label(std::string_view label) {
    constexpr std::size_t max_label = 63;
    if (label.empty() || label.size() > max_label || label.front() == '-' || label.back() == '-') {
        return false;
    }
    return std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

int option_in_range(std::string_view command, const po::variables_map& values,
                    const std::string& name, int low, int high) {
    const int value = values[name].as<int>();
    if (value < low || value > high) {
        throw usage_error(command, "option --" + name + " must be between " + std::to_string(low) +
                                       " and " + std::to_string(high));
    }
    return value;
}

// The origin and the account's name: --base-url, else --domain, else FRESHDESK_DOMAIN.
void read_account(std::string_view command, const po::variables_map& values,
                  ConnectionSettings& settings) {
    const std::string base_url = given(values, "base-url");
    std::string domain = given(values, "domain");
    if (!base_url.empty() && values.count("domain") != 0) {
        throw usage_error(command, "give --domain or --base-url, not both");
    }
    if (!base_url.empty()) {
        settings.origin = http::parse_origin(base_url);
        if (!settings.origin.tls && !http::is_loopback(settings.origin.host)) {
            throw CliError(ExitCode::usage, "refused --base-url " + base_url,
                           "plain http is allowed only to a loopback host (127.0.0.1, ::1, "
                           "localhost); use https://");
        }
        settings.account = settings.origin.to_string();
        return;
    }
    const bool from_environment = values.count("domain") == 0;
    if (from_environment) {
        domain = environment(domain_variable);
    }
    if (domain.empty()) {
        throw usage_error(command, "no account: use --domain NAME or --base-url URL, or set " +
                                       std::string(domain_variable));
    }
    const auto host = freshdesk_host(domain);
    if (!host) {
        throw usage_error(command, std::string(from_environment ? domain_variable : "--domain") +
                                       " must be NAME or NAME.freshdesk.com");
    }
    settings.origin = http::Origin{.tls = true, .host = *host, .port = 443};
    settings.account = *host;
}

}  // namespace

void add_connection_options(po::options_description& visible, const char* caption) {
    po::options_description options(caption);
    auto add = options.add_options();
    add("domain", po::value<std::string>()->value_name("NAME"),
        "the Freshdesk account: acme or acme.freshdesk.com (default: $FRESHDESK_DOMAIN)");
    add("base-url", po::value<std::string>()->value_name("URL"),
        "instead of https://<domain>: an origin such as http://127.0.0.1:8080 (the simulator, "
        "tests); /api/v2 is added; plain http only to a loopback host (default: none)");
    add("api-key-file", po::value<std::string>()->value_name("FILE"),
        "read the API key from FILE (default: $FRESHDESK_API_KEY); a key is never accepted on "
        "the command line");
    add("ca-file", po::value<std::string>()->value_name("FILE"),
        "also trust the CA certificates (PEM) in FILE (default: the system's only)");
    add("rate-limit", po::value<int>()->value_name("N"),
        "API credits per minute at most, 1-100000 (default: the account's X-RateLimit-Total "
        "minus 5%)");
    // Defaults stated in the descriptions, as every option's is (not as "(=4)").
    const std::string concurrency =
        "keep-alive connections, and contacts that apply and undo-soft work on at once, 1-" +
        std::to_string(max_concurrency) + " (default: " + std::to_string(default_concurrency) + ")";
    add("concurrency", po::value<int>()->value_name("N")->default_value(default_concurrency, ""),
        concurrency.c_str());
    const std::string timeout = "seconds for each phase of a request (connect, send, answer), 1-" +
                                std::to_string(max_timeout_seconds) +
                                " (default: " + std::to_string(default_timeout_seconds) + ")";
    add("timeout", po::value<int>()->value_name("SEC")->default_value(default_timeout_seconds, ""),
        timeout.c_str());
    visible.add(options);
}

std::optional<std::string> first_connection_option(const po::variables_map& values) {
    for (const char* name : connection_option_names) {
        if (values.count(name) != 0 && !values[name].defaulted()) {
            return "--" + std::string(name);
        }
    }
    return std::nullopt;
}

std::optional<std::string> freshdesk_host(std::string_view domain) {
    std::string host = lower_ascii(domain);
    if (host.ends_with(freshdesk_suffix)) {
        host.resize(host.size() - freshdesk_suffix.size());
    }
    if (!is_label(host)) {
        return std::nullopt;
    }
    return host + std::string(freshdesk_suffix);
}

ConnectionSettings read_connection_settings(std::string_view command,
                                            const po::variables_map& values) {
    ConnectionSettings settings;
    read_account(command, values, settings);
    settings.api_key_file = given(values, "api-key-file");
    settings.ca_file = given(values, "ca-file");
    if (values.count("rate-limit") != 0) {
        settings.rate_limit = option_in_range(command, values, "rate-limit", 1, max_rate_limit);
    }
    settings.concurrency = option_in_range(command, values, "concurrency", 1, max_concurrency);
    settings.timeout_seconds = option_in_range(command, values, "timeout", 1, max_timeout_seconds);
    if (settings.api_key_file.empty() && environment(key_variable).empty()) {
        throw CliError(ExitCode::usage, "no API key",
                       "set " + std::string(key_variable) + " or use --api-key-file");
    }
    return settings;
}

Connection::Connection(const ConnectionSettings& settings, freshdesk::Logger log)
    : account_(settings.account) {
    freshdesk::ApiKey key = freshdesk::load_api_key(settings.api_key_file);
    http::ClientOptions options;
    options.origin = settings.origin;
    options.ca_file = settings.ca_file;
    options.timeout = std::chrono::seconds(settings.timeout_seconds);
    options.connections = settings.concurrency;
    options.user_agent = "gdpr-purge/" GP_VERSION;
    http_ = http::make_client(options);
    freshdesk::Policy policy;
    policy.rate_limit = settings.rate_limit;
    client_ = std::make_unique<freshdesk::Client>(
        *http_, std::move(key), policy, freshdesk::system_clock(), std::move(log), notice_logger());
}

Connection::~Connection() = default;

freshdesk::Logger retry_logger() {
    return [](std::string_view message) {
        json::object fields;
        fields["message"] = message;
        emit(Level::detail, "retry",
             "gdpr-purge " + output_settings().command + ": " + std::string(message),
             std::move(fields));
    };
}

// What the client says once and a person must see whatever the verbosity (rate-limit headers that
// cannot be read: the run is paced as the smallest plan): a warning.
freshdesk::Logger notice_logger() {
    return [](std::string_view message) {
        emit(Level::warning, "warning", "warning: " + std::string(message),
             json::object{{"message", message}});
    };
}

}  // namespace gp::cli
