#pragma once
// The connection options that every command talking to Freshdesk shares (docs/cli.md,
// "Connection"): --domain / --base-url, --api-key-file, --ca-file, --rate-limit, --concurrency,
// --timeout; and the client they make. Every check here happens before any request is sent.
#include "cli.hpp"
#include "freshdesk/client.hpp"
#include "http/http.hpp"
#include "options.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gp::cli {

inline constexpr int default_concurrency = 4;
inline constexpr int max_concurrency = 16;
inline constexpr int default_timeout_seconds = 30;
inline constexpr int max_timeout_seconds = 600;
inline constexpr int max_rate_limit = 100000;

// Adds the connection options to a command's options, as a section of their own.
void add_connection_options(po::options_description& visible, const char* caption = "connection");

// The connection option the command line gives, if any ("--domain"): for a command that takes
// them only with another option (validate-rules without --online).
std::optional<std::string> first_connection_option(const po::variables_map& values);

struct ConnectionSettings {
    http::Origin origin;
    std::string
        account;  // "acme.freshdesk.com", or the --base-url origin ("http://127.0.0.1:8080")
    std::string api_key_file;  // "": the environment's FRESHDESK_API_KEY
    std::string ca_file;
    std::optional<int> rate_limit;
    int concurrency = default_concurrency;
    int timeout_seconds = default_timeout_seconds;
};

// Checks the options and the environment (FRESHDESK_DOMAIN). Throws CliError (usage): no account
// named, --domain and --base-url together, a malformed domain, a value out of range; and
// http::ConfigError: a malformed --base-url, plain http to a host that is not loopback.
ConnectionSettings read_connection_settings(std::string_view command,
                                            const po::variables_map& values);

// "acme" -> "acme.freshdesk.com"; "ACME.freshdesk.com" -> "acme.freshdesk.com"; nothing for any
// other text (a URL, another domain, characters a host name cannot have).
std::optional<std::string> freshdesk_host(std::string_view domain);

// The client of one run. Loads the key (no key: CliError usage "no API key: ..."; an unreadable
// key file: freshdesk::KeyError) and makes the HTTP client (http::ConfigError for a bad CA file).
// Sends nothing.
class Connection {
  public:
    Connection(const ConnectionSettings& settings, freshdesk::Logger log);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    freshdesk::Client& client() { return *client_; }
    const std::string& account() const { return account_; }

  private:
    std::string account_;
    std::unique_ptr<http::HttpClient> http_;
    std::unique_ptr<freshdesk::Client> client_;
};

// Logs the client's notices (retries, rate-limit waits) as "retry" events: details, shown with -v
// in the text log (normal on a busy account), "info" events in the JSON log.
freshdesk::Logger retry_logger();
// The client's notices (said once, e.g. unreadable rate-limit headers): warnings, always shown.
freshdesk::Logger notice_logger();

}  // namespace gp::cli
