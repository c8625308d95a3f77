// The user documentation is tested like code: every gdpr-purge command shown in README.md runs, in
// README order, against a freshdesk-sim it starts itself and exits as the README says (0, or the
// code of a trailing "# exit N"); every --option the README uses exists in its command's help;
// every rules file in examples/ is valid and means its use case (docs/rules-semantics.md, "The
// three use cases").
#include "test_plan_e2e.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace json = boost::json;

namespace {

std::string source_file(const std::string& relative) {
    return std::string(GP_SOURCE_DIR) + "/" + relative;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return "";
    }
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// A command line of the README: its words, the exit code it expects, and the text for messages.
struct Command {
    std::vector<std::string> words;
    int expected = 0;
    std::string text;
};

// Lines of fenced code blocks (``` at any indentation), joined where a line ends with a backslash.
std::vector<std::string> fenced_lines(const std::string& markdown) {
    std::vector<std::string> result;
    std::istringstream in(markdown);
    std::string raw;
    bool fenced = false;
    std::string pending;
    while (std::getline(in, raw)) {
        const std::string l = trim(raw);
        if (l.rfind("```", 0) == 0) {
            fenced = !fenced;
            continue;
        }
        if (!fenced) {
            continue;
        }
        if (!l.empty() && l.back() == '\\') {
            pending += l.substr(0, l.size() - 1) + " ";
            continue;
        }
        result.push_back(pending + l);
        pending.clear();
    }
    return result;
}

// Markdown outside fenced code blocks.
std::string prose(const std::string& markdown) {
    std::string result;
    std::istringstream in(markdown);
    std::string raw;
    bool fenced = false;
    while (std::getline(in, raw)) {
        if (trim(raw).rfind("```", 0) == 0) {
            fenced = !fenced;
            continue;
        }
        if (!fenced) {
            result += raw + "\n";
        }
    }
    return result;
}

std::vector<Command> readme_commands(const std::string& markdown) {
    static const std::regex exit_comment(R"(^#\s*exit\s+(\d+)\b)");
    std::vector<Command> result;
    for (std::string l : fenced_lines(markdown)) {
        if (l.rfind("$ ", 0) == 0) {
            l = trim(l.substr(2));
        }
        const bool ours = l == "gdpr-purge" || l.rfind("gdpr-purge ", 0) == 0 ||
                          l.rfind("build/app/gdpr-purge ", 0) == 0;
        if (!ours) {
            continue;
        }
        Command command;
        command.text = l;
        std::string body = l;
        if (const auto hash = l.find(" #"); hash != std::string::npos) {
            body = l.substr(0, hash);
            const std::string comment = trim(l.substr(hash + 1));
            std::smatch m;
            if (std::regex_search(comment, m, exit_comment)) {
                command.expected = std::stoi(m[1].str());
            }
        }
        std::istringstream words(body);
        std::string word;
        words >> word;  // the binary
        while (words >> word) {
            command.words.push_back(word);
        }
        result.push_back(command);
    }
    return result;
}

const std::set<std::string> kSubcommands = {"validate-rules", "explain", "plan",  "apply",
                                            "undo-soft",      "review",  "verify"};

// Whether `help` lists the option `name` ("--yes"): the name not followed by more of a name.
bool has_option(const std::string& help, const std::string& name) {
    for (auto at = help.find(name); at != std::string::npos; at = help.find(name, at + 1)) {
        const std::size_t end = at + name.size();
        const bool whole =
            end == help.size() ||
            !(std::isalnum(static_cast<unsigned char>(help[end])) || help[end] == '-');
        const bool starts = at == 0 || help[at - 1] == ' ' || help[at - 1] == '[';
        if (whole && starts) {
            return true;
        }
    }
    return false;
}

std::string help_of(const std::string& command) {
    const e2e::Run run = e2e::run_cli({command, "--help"}, {});
    REQUIRE(run.status == 0);
    return run.out;
}

// The test's own standard input is passed on to the commands: never a terminal, so that apply
// without --yes asks nothing (as under cron or ctest).
void detach_stdin() {
    if (isatty(STDIN_FILENO) == 1) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        ::dup2(fd, STDIN_FILENO);
        ::close(fd);
    }
}

}  // namespace

TEST_CASE("README: every gdpr-purge command runs against the simulator, in README order",
          "[docs]") {
    detach_stdin();
    const std::vector<Command> commands = readme_commands(e2e::read_file(source_file("README.md")));
    std::set<std::string> seen;
    for (const Command& c : commands) {
        if (!c.words.empty()) {
            seen.insert(c.words.front());
        }
    }
    INFO("commands found: " << commands.size());
    REQUIRE(commands.size() >= 8);
    for (const std::string& sub : kSubcommands) {
        INFO("subcommand " << sub);
        CHECK(seen.count(sub) == 1);
    }

    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2)));
    const simtest::TempDir dir;
    // rules.json is the use case the account was made for; rules.example.json as in the tree.
    e2e::write_file(dir.file("rules.json"),
                    e2e::read_file(source_file("examples/usecase2-camping-keep-responder.json")));
    e2e::write_file(dir.file("rules.example.json"),
                    e2e::read_file(source_file("rules.example.json")));
    e2e::write_file(dir.file("api-key"), std::string(e2e::kSimKey) + "\n");
    ::chmod(dir.file("api-key").c_str(), 0600);

    for (const Command& c : commands) {
        std::vector<std::string> args;
        bool key_file = false;
        for (std::size_t i = 0; i < c.words.size(); ++i) {
            const std::string& w = c.words[i];
            if (w == "--domain" && i + 1 < c.words.size()) {
                args.push_back("--base-url");
                args.push_back(sim.base_url());
                ++i;
            } else if (w == "--api-key-file" && i + 1 < c.words.size()) {
                args.push_back("--api-key-file");
                args.push_back(dir.file("api-key"));
                key_file = true;
                ++i;
            } else {
                INFO("command: " << c.text);
                CHECK(w.find_first_of("\"'`$~") == std::string::npos);  // no shell needed
                args.push_back(w);
            }
        }
        std::vector<std::string> env = {"TMPDIR=" + dir.path()};
        if (!key_file) {
            env.push_back(e2e::key_env());
        }
        const e2e::Run run = e2e::run_cli_in(dir.path(), args, env);
        INFO("command: " << c.text);
        INFO("stdout: " << run.out.substr(0, 2000));
        INFO("stderr: " << run.err);
        CHECK(run.status == c.expected);
    }
    // The workflow's files are where the README says.
    for (const char* name : {"plan.json", "plan.json.journal.jsonl", "plan-report.json",
                             "apply-report.json", "gdpr-purge.prom", "review.html"}) {
        INFO("file " << name);
        CHECK(e2e::file_exists(dir.file(name)));
    }
}

TEST_CASE("README: every --option it uses exists in the command's help", "[docs]") {
    const std::string readme = e2e::read_file(source_file("README.md"));
    std::map<std::string, std::string> helps;
    std::string all_helps = e2e::run_cli({"--help"}, {}).out;
    for (const std::string& sub : kSubcommands) {
        helps[sub] = help_of(sub);
        all_helps += helps[sub];
    }
    int options = 0;
    for (const Command& c : readme_commands(readme)) {
        if (c.words.empty() || kSubcommands.count(c.words.front()) == 0) {
            continue;
        }
        for (const std::string& w : c.words) {
            if (w.rfind("--", 0) != 0) {
                continue;
            }
            const std::string name = w.substr(0, w.find('='));
            INFO("command: " << c.text << "\noption: " << name);
            CHECK(has_option(helps[c.words.front()], name));
            ++options;
        }
    }
    CHECK(options >= 10);
    // Options named in the prose (`--max-plan-age`, `--rate-limit N`, ...) exist in some command.
    static const std::regex inline_option("`(--[a-z][a-z0-9-]*)");
    const std::string text = prose(readme);
    int inline_options = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), inline_option), end; it != end; ++it) {
        INFO("option in the prose: " << (*it)[1].str());
        CHECK(has_option(all_helps, (*it)[1].str()));
        ++inline_options;
    }
    CHECK(inline_options >= 5);
}

TEST_CASE("README: the documents it links to exist", "[docs]") {
    const std::string readme = e2e::read_file(source_file("README.md"));
    static const std::regex link(R"(\]\(([^)#\s]+)\))");
    int links = 0;
    for (std::sregex_iterator it(readme.begin(), readme.end(), link), end; it != end; ++it) {
        const std::string target = (*it)[1].str();
        if (target.rfind("http", 0) == 0) {
            continue;
        }
        INFO("link " << target);
        CHECK(std::filesystem::exists(source_file(target)));
        ++links;
    }
    CHECK(links >= 8);
}

namespace {

std::vector<std::string> strings(const json::object& obj, const char* key) {
    std::vector<std::string> result;
    if (const json::value* v = obj.if_contains(key)) {
        for (const json::value& item : v->as_array()) {
            result.emplace_back(item.as_string());
        }
    }
    return result;
}

std::string str(const json::object& obj, const char* key) {
    const json::value* v = obj.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

using Strings = std::vector<std::string>;

struct UseCaseRule {
    const char* file;
    int account;
    Strings types, groups;
    const char* older_than;
    const char* scope;
    const char* delete_mode;
    const char* delete_after;
    const char* exception_key;  // exceptions.<key> holds exactly `exception`; nullptr: none
    Strings exception;
};

}  // namespace

TEST_CASE("examples: every rules file is valid and means its use case", "[docs]") {
    const std::vector<UseCaseRule> cases = {
        {"usecase1-inactive-contacts-vip.json",
         1,
         {"Question"},
         {"Escalations"},
         "180d",
         "contact",
         "hard",
         "immediate",
         "tags",
         {"VIP"}},
        {"usecase2-camping-keep-responder.json",
         2,
         {},
         {"Camping"},
         "90d",
         "contact",
         "soft",
         "30d",
         "responders",
         {"keeper@example.com"}},
        {"usecase3-old-incidents.json",
         3,
         {"Incident"},
         {},
         "60d",
         "ticket",
         "hard",
         "immediate",
         nullptr,
         {}},
    };
    std::set<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(source_file("examples"))) {
        if (entry.path().extension() == ".json") {
            files.insert(entry.path().filename().string());
        }
    }
    for (const std::string& name : files) {
        INFO("examples/" << name);
        const e2e::Run run = e2e::run_cli({"validate-rules", source_file("examples/" + name)}, {});
        INFO("stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::contains(run.out, ": ok ("));
    }
    for (const UseCaseRule& expected : cases) {
        INFO("examples/" << expected.file);
        REQUIRE(files.count(expected.file) == 1);
        const std::string path = source_file(std::string("examples/") + expected.file);
        const json::object rules = e2e::parse_object(e2e::read_file(path));
        const json::array& ticket_rules = e2e::member_array(rules, "ticket_rules");
        REQUIRE(ticket_rules.size() == 1);
        const json::object& rule = ticket_rules.at(0).as_object();
        CHECK(strings(rule, "types") == expected.types);
        CHECK(strings(rule, "groups") == expected.groups);
        CHECK(strings(rule, "tags").empty());
        CHECK(str(rule, "older_than") == expected.older_than);
        CHECK(str(rule, "since") == "closed");
        CHECK(str(rule, "scope") == expected.scope);
        const json::object& policy = e2e::member_object(rules, "contact_policy");
        CHECK(policy.at("keep_contact") == json::value(false));
        CHECK(str(policy, "delete_mode") == expected.delete_mode);
        CHECK(str(policy, "delete_after") == expected.delete_after);
        CHECK(rules.if_contains("orphan_contacts") == nullptr);
        const json::value* exceptions = rules.if_contains("exceptions");
        if (expected.exception_key == nullptr) {
            CHECK((exceptions == nullptr || exceptions->as_object().empty()));
        } else {
            REQUIRE(exceptions != nullptr);
            const json::object& ex = exceptions->as_object();
            CHECK(ex.size() == 1);
            CHECK(strings(ex, expected.exception_key) == expected.exception);
        }
        // Its names exist in the account made for the use case.
        simtest::SimProcess sim(e2e::sim_account(e2e::account_file(expected.account)));
        const e2e::Run online =
            e2e::run_cli({"validate-rules", path, "--online", "--base-url", sim.base_url()});
        INFO("stderr: " << online.err);
        CHECK(online.status == 0);
    }
}
