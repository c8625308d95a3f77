#include "rules/rules.hpp"
#include "util/sha256.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace bj = boost::json;
using Problems = std::vector<gp::RulesProblem>;

namespace {

// A valid document that each test breaks in one place.
bj::value base() {
    return bj::parse(R"({
      "version": 1,
      "ticket_rules": [
        {"name": "first", "groups": ["Escalations", 42], "types": ["Question"], "tags": ["t"],
         "older_than": "180d", "since": "closed", "scope": "contact"},
        {"name": "second", "older_than": "2y", "since": "updated", "scope": "ticket"}
      ],
      "contact_policy": {"keep_contact": false, "delete_mode": "soft", "delete_after": "30d",
                         "purge_soft_deleted_after": "90d"},
      "orphan_contacts": {"older_than": "1y", "since": "created"},
      "exceptions": {"tags": ["VIP"], "emails": ["ceo@example.com"],
                     "companies": ["Key Account Ltd", 7], "responders": ["dpo@example.com"]},
      "closed_statuses": ["resolved", "closed"]
    })");
}

// base() with the member at a JSON pointer ("/ticket_rules/1/name") set, or removed (nullopt).
bj::value edit(const std::string& pointer, std::optional<bj::value> value) {
    bj::value doc = base();
    const std::size_t slash = pointer.rfind('/');
    bj::value& parent = slash == 0 ? doc : doc.at_pointer(pointer.substr(0, slash));
    const std::string key = pointer.substr(slash + 1);
    if (parent.is_array()) {
        parent.as_array().at(std::stoul(key)) = std::move(*value);
    } else if (value) {
        parent.as_object()[key] = std::move(*value);
    } else {
        parent.as_object().erase(key);
    }
    return doc;
}
bj::value with(const std::string& pointer, bj::value value) {
    return edit(pointer, std::move(value));
}
bj::value without(const std::string& pointer) {
    return edit(pointer, std::nullopt);
}

gp::RulesParseResult parse(const bj::value& doc) {
    return gp::parse_rules(bj::serialize(doc));
}

std::string listed(const Problems& problems) {
    std::string text;
    for (const auto& problem : problems) {
        text += gp::to_string(problem) + "\n";
    }
    return text;
}

// The one problem a document has; fails the test when it has none or several.
gp::RulesProblem only_problem(std::string_view text) {
    const auto result = gp::parse_rules(text);
    INFO("problems:\n" << listed(result.problems));
    CHECK_FALSE(result.rules);
    REQUIRE(result.problems.size() == 1);
    return result.problems.front();
}

void expect_problem(const bj::value& doc, const std::string& path, const std::string& message) {
    CHECK(only_problem(bj::serialize(doc)) == gp::RulesProblem{path, message});
}

std::string data_file(const std::string& name) {
    return std::string(GP_TEST_DATA_DIR) + "/rules/" + name;
}

std::vector<std::string> shipped_files() {
    return {data_file("usecase1_inactive_vip.json"), data_file("usecase2_camping_responder.json"),
            data_file("usecase3_old_incidents.json"),
            std::string(GP_SOURCE_DIR) + "/rules.example.json"};
}

}  // namespace

TEST_CASE("a full document gives the model, names as written", "[rules]") {
    const auto result = parse(base());
    REQUIRE(result.rules);
    const gp::Rules& r = *result.rules;
    const std::int64_t day = gp::seconds_per_day;
    REQUIRE((result.problems.empty() && r.ticket_rules.size() == 2));
    CHECK(r.ticket_rules[0].groups == std::vector<std::string>{"Escalations", "42"});
    CHECK(r.ticket_rules[0].older_than == gp::Duration{180 * day, "180d"});
    CHECK(r.ticket_rules[1] ==
          gp::TicketRule{
              "second", {}, {}, {}, {730 * day, "2y"}, gp::Since::updated, gp::Scope::ticket});
    CHECK(r.contact_policy ==
          gp::ContactPolicy{
              false, gp::DeleteMode::soft, {30 * day, "30d"}, gp::Duration{90 * day, "90d"}});
    CHECK(r.orphan_contacts == gp::OrphanRule{{365 * day, "1y"}, gp::Since::created});
    CHECK(r.exceptions.companies == std::vector<std::string>{"Key Account Ltd", "7"});
    CHECK((r.counts_as_closed(4) && r.counts_as_closed(5) && !r.counts_as_closed(2)));
}

TEST_CASE("the rules' predicates read the document", "[rules]") {
    const auto full = parse(base());
    REQUIRE(full.rules);
    CHECK(full.rules->deletes_contacts());
    CHECK(full.rules->takes_orphans());
    CHECK(full.rules->has_tag_condition());
    CHECK(full.rules->uses_close_time());

    const auto kept = parse(with("/contact_policy", bj::parse(R"({"keep_contact": true})")));
    REQUIRE(kept.rules);
    CHECK_FALSE(kept.rules->deletes_contacts());
    CHECK_FALSE(kept.rules->takes_orphans());  // set, but contacts are kept

    const auto no_orphans = parse(without("/orphan_contacts"));
    REQUIRE(no_orphans.rules);
    CHECK(no_orphans.rules->deletes_contacts());
    CHECK_FALSE(no_orphans.rules->takes_orphans());

    const auto plain = parse(bj::parse(R"({"version": 1, "ticket_rules": [
        {"name": "r", "older_than": "1y", "since": "updated", "scope": "ticket"}],
        "contact_policy": {"keep_contact": true}})"));
    INFO(listed(plain.problems));
    REQUIRE(plain.rules);
    CHECK_FALSE(plain.rules->has_tag_condition());
    CHECK_FALSE(plain.rules->uses_close_time());
}

TEST_CASE("parse_delete_mode reads what to_string writes, and nothing else", "[rules]") {
    for (const gp::DeleteMode mode : {gp::DeleteMode::hard, gp::DeleteMode::soft}) {
        CHECK(gp::parse_delete_mode(gp::to_string(mode)) == mode);
    }
    for (const std::string_view text : {"", "Hard", "SOFT", "hard ", "delete"}) {
        INFO(text);
        CHECK_FALSE(gp::parse_delete_mode(text));
    }
}

TEST_CASE("the use-case files and rules.example.json are valid and round-trip", "[rules]") {
    for (const auto& path : shipped_files()) {
        const auto result = gp::load_rules_file(path);
        INFO(path << ":\n" << listed(result.problems));
        REQUIRE(result.rules);
        const auto again = gp::parse_rules(gp::canonical_json(*result.rules));
        REQUIRE(again.rules);
        CHECK(*again.rules == *result.rules);
    }
}

TEST_CASE("canonical_json gives the rules back, with a fixed key order", "[rules]") {
    const auto minimal = gp::parse_rules(R"({"version":1,"contact_policy":{"keep_contact":true},
        "ticket_rules":[{"scope":"ticket","since":"closed","older_than":"4y","name":"a"}]})");
    REQUIRE(minimal.rules);
    CHECK(gp::canonical_json(*minimal.rules) ==
          R"({"version":1,"ticket_rules":[{"name":"a","groups":[],"types":[],"tags":[],)"
          R"("older_than":"4y","since":"closed","scope":"ticket"}],"contact_policy":)"
          R"({"keep_contact":true,"delete_mode":"hard","delete_after":"immediate",)"
          R"("purge_soft_deleted_after":null},"orphan_contacts":null,"exceptions":{"tags":[],)"
          R"("emails":[],"companies":[],"responders":[]},"closed_statuses":["closed"]})");
    CHECK((!minimal.rules->counts_as_closed(4) && minimal.rules->counts_as_closed(5)));
    // Reading the canonical forms back also reads keep_contact true without delete_mode, an
    // "immediate" delete_after, and null purge_soft_deleted_after and orphan_contacts.
    for (const auto& rules : {*minimal.rules, parse(base()).rules.value()}) {
        const std::string canonical = gp::canonical_json(rules);
        const auto again = gp::parse_rules(canonical);
        REQUIRE(again.rules);
        CHECK(*again.rules == rules);
        CHECK(gp::canonical_json(*again.rules) == canonical);
    }
}

TEST_CASE("rules_sha256 hashes the canonical form", "[rules]") {
    const auto a = parse(base());
    const auto b = parse(with("/ticket_rules/0/older_than", "181d"));
    // White space does not change the hash; only the rules do.
    const auto c = gp::parse_rules(bj::serialize(base()) + "\n\n");
    REQUIRE((a.rules && b.rules && c.rules));
    CHECK(gp::rules_sha256(*a.rules) == gp::sha256_hex(gp::canonical_json(*a.rules)));
    CHECK(gp::rules_sha256(*a.rules) != gp::rules_sha256(*b.rules));
    CHECK(gp::rules_sha256(*c.rules) == gp::rules_sha256(*a.rules));
}

TEST_CASE("to_string names enums and problems", "[rules]") {
    using gp::to_string;
    CHECK((to_string(gp::Since::closed) == "closed" && to_string(gp::Since::created) == "created" &&
           to_string(gp::Since::updated) == "updated"));
    CHECK((to_string(gp::Scope::contact) == "contact" && to_string(gp::Scope::ticket) == "ticket"));
    CHECK((to_string(gp::DeleteMode::hard) == "hard" && to_string(gp::DeleteMode::soft) == "soft"));
    CHECK(to_string(gp::RulesProblem{"a.b", "is wrong"}) == "a.b: is wrong");
    CHECK(to_string(gp::RulesProblem{"", "line 1, column 2: x"}) == "line 1, column 2: x");
    CHECK(to_string(gp::RulesProblem{"a.b", ""}) == "a.b");
}

TEST_CASE("syntax errors carry line and column", "[rules][errors]") {
    CHECK(only_problem("{\n  \"version\": 1,\n  \"ticket_rules\": [}\n}") ==
          gp::RulesProblem{"", "line 3, column 20: syntax error at '}'"});
    CHECK(gp::load_rules_file(data_file("invalid/syntax_error.json")).problems ==
          Problems{{"", "line 7, column 7: syntax error at '\"' (a missing comma before it?)"}});
}

TEST_CASE("a duplicate key carries its path, line and column", "[rules][errors]") {
    CHECK(gp::load_rules_file(data_file("invalid/duplicate_key.json")).problems ==
          Problems{
              {"ticket_rules[1].older_than", "line 15, column 7: duplicate key \"older_than\""}});
}

TEST_CASE("the document must be an object", "[rules][errors]") {
    CHECK_THAT(gp::to_string(only_problem("[1]")),  // no path: the message comes first
               Catch::StartsWith("the document must be a JSON object"));
}

TEST_CASE("an unreadable file is a problem without path", "[rules][errors]") {
    CHECK(gp::load_rules_file(data_file("no-such-file.json")).problems ==
          Problems{{"", "cannot read the file: No such file or directory"}});
    CHECK(gp::load_rules_file(data_file("invalid")).problems ==
          Problems{{"", "cannot read the file: Is a directory"}});
}

TEST_CASE("version must be the integer 1", "[rules][errors]") {
    expect_problem(without("/version"), "version", "is missing (required: the integer 1)");
    expect_problem(with("/version", "1"), "version", "must be the integer 1, got \"1\"");
    expect_problem(with("/version", 1.0), "version", "must be the integer 1, got 1.0");
    expect_problem(with("/version", 2), "version",
                   "2 is not supported: this gdpr-purge reads version 1");
}

TEST_CASE("ticket_rules holds 1 to 10 rules", "[rules][errors]") {
    const std::string path = "ticket_rules";
    expect_problem(without("/ticket_rules"), path,
                   "is missing (required: a list of 1 to 10 rules)");
    expect_problem(with("/ticket_rules", bj::object{}), path,
                   "must be a list of 1 to 10 rules, got an object");
    expect_problem(with("/ticket_rules", bj::array{}), path,
                   "is empty: give at least 1 rule (at most 10)");
    expect_problem(with("/ticket_rules/1", "rule"), "ticket_rules[1]",
                   "must be a rule object, got \"rule\"");
    const auto eleven = gp::load_rules_file(data_file("invalid/too_many_rules.json"));
    REQUIRE(eleven.problems.size() == 1);
    CHECK(gp::to_string(eleven.problems[0]) ==
          "ticket_rules: has 11 rules: at most 10 are allowed");
}

TEST_CASE("a rule name is a short lower-case word, unique", "[rules][errors]") {
    const std::string path = "ticket_rules[1].name";
    const std::string rule =
        " is not a valid rule name: use 1 to 48 characters a-z, 0-9, '_' and '-', starting with "
        "a-z or 0-9";
    expect_problem(without("/ticket_rules/1/name"), path,
                   "is missing (required: a rule name such as \"old-questions\")");
    expect_problem(with("/ticket_rules/1/name", "Old"), path, "\"Old\"" + rule);
    expect_problem(with("/ticket_rules/1/name", "-old"), path, "\"-old\"" + rule);
    expect_problem(with("/ticket_rules/1/name", ""), path, "\"\"" + rule);
    const std::string long_name(49, 'a');
    expect_problem(with("/ticket_rules/1/name", long_name.c_str()), path,
                   "\"" + long_name + "\"" + rule);
    expect_problem(with("/ticket_rules/1/name", "first"), path,
                   "\"first\" is already the name of ticket_rules[0]: names must be unique");
    const std::string longest = "0_a-" + std::string(44, 'z');
    CHECK(parse(with("/ticket_rules/1/name", longest.c_str())).rules);
}

TEST_CASE("groups are names or non-negative integer ids", "[rules][errors]") {
    const std::string what = "must be a group name or id (a string, or a non-negative integer id)";
    expect_problem(with("/ticket_rules/0/groups", "Escalations"), "ticket_rules[0].groups",
                   "must be a list of group names or ids, got \"Escalations\"");
    expect_problem(with("/ticket_rules/0/groups", {"A", -3}), "ticket_rules[0].groups[1]",
                   what + ", got -3");
    expect_problem(with("/ticket_rules/0/groups", {1.5}), "ticket_rules[0].groups[0]",
                   what + ", got 1.5");
    expect_problem(with("/ticket_rules/0/groups", {"A", " \t"}), "ticket_rules[0].groups[1]",
                   "is empty: write a group name or id");
}

TEST_CASE("types and tags are strings", "[rules][errors]") {
    expect_problem(with("/ticket_rules/0/types", {5}), "ticket_rules[0].types[0]",
                   "must be a ticket type (a string), got 5");
    expect_problem(with("/ticket_rules/0/tags", {"ok", ""}), "ticket_rules[0].tags[1]",
                   "is empty: write a tag");
    expect_problem(with("/ticket_rules/0/tags", nullptr), "ticket_rules[0].tags",
                   "must be a list of tags, got null");
}

TEST_CASE("older_than is a duration from 1d to 4y", "[rules][errors]") {
    const std::string path = "ticket_rules[1].older_than";
    const auto older = [](const std::string& text) {
        return with("/ticket_rules/1/older_than", text.c_str());
    };
    const std::string not_duration =
        " is not a duration: write a whole number and a unit, d (day), w (7 days), m (30 days) "
        "or y (365 days), such as \"180d\"";
    for (const std::string too_long : {"5y", "1461d", "209w", "99999999999999d"}) {
        expect_problem(older(too_long), path, '"' + too_long + "\" is longer than 4y (1460d)");
    }
    expect_problem(older("0d"), path, "\"0d\" is shorter than 1d");
    expect_problem(older("48h"), path,
                   "\"48h\" is in hours, which rules do not allow: use d, w, m (30 days) or y "
                   "(365 days)");
    expect_problem(older("5 years"), path, "\"5 years\"" + not_duration);
    expect_problem(older("-1d"), path, "\"-1d\"" + not_duration);
    expect_problem(with("/ticket_rules/1/older_than", 180), path,
                   "must be a duration such as \"180d\", got 180");
    expect_problem(without("/ticket_rules/1/older_than"), path,
                   "is missing (required: a duration from 1d to 4y such as \"180d\")");
}

TEST_CASE("durations at the limits", "[rules][boundaries]") {
    for (const char* ok : {"1d", "1460d", "4y", "208w", "48m"}) {
        INFO(ok);
        CHECK(parse(with("/ticket_rules/0/older_than", ok)).rules);
        CHECK(parse(with("/contact_policy/purge_soft_deleted_after", ok)).rules);
        CHECK(parse(with("/orphan_contacts/older_than", ok)).rules);
    }
    for (const char* bad : {"1461d", "0d", "5y", "49m"}) {
        INFO(bad);
        CHECK(only_problem(bj::serialize(with("/ticket_rules/0/older_than", bad))).path ==
              "ticket_rules[0].older_than");
        CHECK(only_problem(bj::serialize(with("/orphan_contacts/older_than", bad))).path ==
              "orphan_contacts.older_than");
    }
}

TEST_CASE("since and scope take their listed values", "[rules][errors]") {
    expect_problem(with("/ticket_rules/0/since", "close"), "ticket_rules[0].since",
                   "\"close\" is not allowed: use \"closed\", \"created\" or \"updated\"");
    expect_problem(with("/ticket_rules/0/scope", "all"), "ticket_rules[0].scope",
                   "\"all\" is not allowed: use \"contact\" or \"ticket\"");
    expect_problem(without("/ticket_rules/0/scope"), "ticket_rules[0].scope",
                   "is missing (required: \"contact\" or \"ticket\")");
}

TEST_CASE("unknown keys are errors everywhere", "[rules][errors]") {
    const std::string unknown = "unknown key; allowed here: ";
    expect_problem(with("/versoin", 1), "versoin",
                   unknown +
                       "version, ticket_rules, contact_policy, orphan_contacts, exceptions, "
                       "closed_statuses");
    expect_problem(with("/ticket_rules/1/group", bj::array{}), "ticket_rules[1].group",
                   unknown + "name, groups, types, tags, older_than, since, scope");
    expect_problem(with("/contact_policy/mode", "hard"), "contact_policy.mode",
                   unknown + "keep_contact, delete_mode, delete_after, purge_soft_deleted_after");
    expect_problem(with("/orphan_contacts/age", 1), "orphan_contacts.age",
                   unknown + "older_than, since");
    expect_problem(with("/exceptions/agents", bj::array{}), "exceptions.agents",
                   unknown + "tags, emails, companies, responders");
}

TEST_CASE("contact_policy: keep_contact, and what deleting needs", "[rules][errors]") {
    const std::string p = "contact_policy";
    const std::string after = "\"immediate\", \"30d\", \"60d\" or \"90d\"";
    expect_problem(without("/contact_policy"), p,
                   "is missing (required: an object with keep_contact)");
    expect_problem(without("/contact_policy/keep_contact"), p + ".keep_contact",
                   "is missing (required: true or false)");
    expect_problem(with("/contact_policy/keep_contact", "no"), p + ".keep_contact",
                   "must be true or false, got \"no\"");
    expect_problem(without("/contact_policy/delete_mode"), p + ".delete_mode",
                   "is missing (required when keep_contact is false: \"hard\" or \"soft\")");
    expect_problem(with("/contact_policy/delete_mode", "trash"), p + ".delete_mode",
                   "\"trash\" is not allowed: use \"hard\" or \"soft\"");
    expect_problem(with("/contact_policy/delete_after", "45d"), p + ".delete_after",
                   "\"45d\" is not allowed: use " + after);
    expect_problem(with("/contact_policy/delete_after", "1m"), p + ".delete_after",
                   "\"1m\" is not allowed: use " + after);
    expect_problem(without("/contact_policy/delete_after"), p + ".delete_after",
                   "is missing (required when keep_contact is false: " + after + ")");
    expect_problem(with("/contact_policy/purge_soft_deleted_after", "5y"),
                   p + ".purge_soft_deleted_after", "\"5y\" is longer than 4y (1460d)");
}

TEST_CASE("orphan_contacts: older_than and since created or updated", "[rules][errors]") {
    expect_problem(with("/orphan_contacts/since", "closed"), "orphan_contacts.since",
                   "\"closed\" is not allowed: use \"created\" or \"updated\"");
    expect_problem(without("/orphan_contacts/older_than"), "orphan_contacts.older_than",
                   "is missing (required: a duration from 1d to 4y such as \"2y\")");
    expect_problem(with("/orphan_contacts", "2y"), "orphan_contacts",
                   "must be an object {\"older_than\", \"since\"} or null, got \"2y\"");
}

TEST_CASE("exceptions are lists of strings and emails have an @", "[rules][errors]") {
    expect_problem(with("/exceptions/emails", {"ceo.example.com"}), "exceptions.emails[0]",
                   "\"ceo.example.com\" is not an email address (no \"@\")");
    expect_problem(with("/exceptions/responders", {"a@example.com", "dpo"}),
                   "exceptions.responders[1]", "\"dpo\" is not an email address (no \"@\")");
    expect_problem(with("/exceptions/companies", {-1}), "exceptions.companies[0]",
                   "must be a company name or id (a string, or a non-negative integer id), got -1");
    expect_problem(with("/exceptions/tags", {true}), "exceptions.tags[0]",
                   "must be a tag (a string), got true");
    expect_problem(with("/exceptions/emails", {""}), "exceptions.emails[0]",
                   "is empty: write an email address");
    expect_problem(with("/exceptions", bj::array{}), "exceptions",
                   "must be an object of lists, got an empty list");
}

TEST_CASE("closed_statuses: a non-empty subset of resolved and closed", "[rules][errors]") {
    const std::string what = "must be a list of \"resolved\", \"closed\" or both, got ";
    expect_problem(with("/closed_statuses", bj::array{}), "closed_statuses",
                   what + "an empty list");
    expect_problem(with("/closed_statuses", "closed"), "closed_statuses", what + "\"closed\"");
    expect_problem(with("/closed_statuses", {"closed", "open"}), "closed_statuses[1]",
                   "\"open\" is not allowed: use \"resolved\" or \"closed\"");
    expect_problem(with("/closed_statuses", {"closed", "closed"}), "closed_statuses[1]",
                   "\"closed\" is listed twice");
    const auto resolved = parse(with("/closed_statuses", {"resolved"}));
    REQUIRE(resolved.rules);
    CHECK(resolved.rules->counts_as_closed(4));
    CHECK_FALSE(resolved.rules->counts_as_closed(5));
}

TEST_CASE("every problem of a file is reported at once", "[rules][errors]") {
    const auto result = gp::load_rules_file(data_file("invalid/many_problems.json"));
    CHECK_FALSE(result.rules);
    std::vector<std::string> paths;
    for (const auto& problem : result.problems) {
        paths.push_back(problem.path);
    }
    CHECK(paths ==
          std::vector<std::string>{"version", "ticket_rules[1].name", "ticket_rules[2].olderthan",
                                   "ticket_rules[2].groups[1]", "ticket_rules[2].older_than",
                                   "contact_policy.delete_after", "exceptions.emails[0]",
                                   "closed_statuses[0]"});
    const auto missing = gp::load_rules_file(data_file("invalid/missing_policy_fields.json"));
    REQUIRE(missing.problems.size() == 2);
    CHECK(missing.problems[0].path == "contact_policy.delete_mode");
    CHECK(missing.problems[1].path == "contact_policy.delete_after");
}
