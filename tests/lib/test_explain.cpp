// lib/explain: each feature of a ticket rule says its own sentence, in English and in French;
// the rules in order; values escaped for Markdown and HTML. (The contact policy, the orphan rule,
// the exceptions and closed_statuses: test_explain_policy.cpp.)
#include "explain/document.hpp"
#include "explain_fixtures.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

using gp::explain::Format;
using gp::explain::Language;
using gp::explain::render_schedule;
using namespace explain_test;

TEST_CASE("explain: a rule's groups, none, one or several", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("It takes the tickets of any group (also those without "
                                          "a group), "));
    CHECK_THAT(fr(rules), Catch::Contains("Elle prend les tickets de tout groupe (y compris ceux "
                                          "sans groupe), "));
    rules.ticket_rules[0].groups = {"Escalations"};
    CHECK_THAT(en(rules), Catch::Contains("It takes the tickets of the group “Escalations”, "));
    CHECK_THAT(fr(rules), Catch::Contains("Elle prend les tickets du groupe « Escalations », "));
    rules.ticket_rules[0].groups = {"Support", "Billing", "42"};
    CHECK_THAT(en(rules), Catch::Contains("of the groups “Support”, “Billing” or “42”, "));
    CHECK_THAT(fr(rules), Catch::Contains("des groupes « Support », « Billing » ou « 42 », "));
}

TEST_CASE("explain: a rule's types, none, one or several", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains(", of any type (also those without a type), "));
    CHECK_THAT(fr(rules), Catch::Contains(", de tout type (y compris ceux sans type), "));
    rules.ticket_rules[0].types = {"Question"};
    CHECK_THAT(en(rules), Catch::Contains(", of the type “Question”, "));
    CHECK_THAT(fr(rules), Catch::Contains(", du type « Question », "));
    rules.ticket_rules[0].types = {"Incident", "Problem"};
    CHECK_THAT(en(rules), Catch::Contains(", of the types “Incident” or “Problem”, "));
    CHECK_THAT(fr(rules), Catch::Contains(", des types « Incident » ou « Problem », "));
}

TEST_CASE("explain: a rule's tags, none, one or several", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains(", whatever their tags.\n"));
    CHECK_THAT(fr(rules), Catch::Contains(", quelles que soient leurs étiquettes.\n"));
    rules.ticket_rules[0].tags = {"gdpr-ok"};
    CHECK_THAT(en(rules), Catch::Contains(", tagged “gdpr-ok”.\n"));
    CHECK_THAT(fr(rules), Catch::Contains(", portant l’étiquette « gdpr-ok ».\n"));
    rules.ticket_rules[0].tags = {"old", "closed-by-bot"};
    CHECK_THAT(en(rules), Catch::Contains(", carrying at least one of the tags “old” or "
                                          "“closed-by-bot”.\n"));
    CHECK_THAT(fr(rules), Catch::Contains(", portant au moins une des étiquettes « old » ou "
                                          "« closed-by-bot ».\n"));
}

TEST_CASE("explain: since closed, created or updated, with the age in words", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("A ticket is due once it was closed at least 180 days "
                                          "ago (counted from its close time in Freshdesk, or "
                                          "failing that its last update)."));
    CHECK_THAT(fr(rules), Catch::Contains("Un ticket est échu lorsqu’il a été fermé il y a au "
                                          "moins 180 jours (à compter de son heure de fermeture "
                                          "dans Freshdesk, à défaut de sa dernière mise à jour)."));
    rules.ticket_rules[0].since = gp::Since::created;
    rules.ticket_rules[0].older_than = duration("1y");
    CHECK_THAT(en(rules), Catch::Contains("A ticket is due once it was created at least 1 year "
                                          "ago (counted from its creation)."));
    CHECK_THAT(fr(rules), Catch::Contains("Un ticket est échu lorsqu’il a été créé il y a au "
                                          "moins 1 an (à compter de sa création)."));
    rules.ticket_rules[0].since = gp::Since::updated;
    rules.ticket_rules[0].older_than = duration("2y");
    CHECK_THAT(en(rules), Catch::Contains("A ticket is due once it was last updated at least 2 "
                                          "years ago (counted from its last update: any edit, "
                                          "note or reply starts the count again)."));
    CHECK_THAT(fr(rules), Catch::Contains("Un ticket est échu lorsqu’il a été mis à jour pour la "
                                          "dernière fois il y a au moins 2 ans (à compter de sa "
                                          "dernière mise à jour : toute modification, note ou "
                                          "réponse fait repartir le compte)."));
}

TEST_CASE("explain: durations in words, each unit, one and many", "[explain]") {
    gp::Rules rules = base();
    const std::vector<std::tuple<std::string, std::string, std::string>> cases{
        {"1d", "at least 1 day ago", "au moins 1 jour ("},
        {"26w", "at least 26 weeks ago", "au moins 26 semaines ("},
        {"1w", "at least 1 week ago", "au moins 1 semaine ("},
        {"6m", "at least 6 months (180 days) ago", "au moins 6 mois (180 jours) ("},
        {"1m", "at least 1 month (30 days) ago", "au moins 1 mois (30 jours) ("},
        {"4y", "at least 4 years ago", "au moins 4 ans ("},
    };
    for (const auto& [text, english, french] : cases) {
        INFO(text);
        rules.ticket_rules[0].older_than = duration(text);
        CHECK_THAT(en(rules), Catch::Contains(english));
        CHECK_THAT(fr(rules), Catch::Contains(french));
    }
    // A duration built without its text says its days.
    rules.ticket_rules[0].older_than = gp::Duration{3 * gp::seconds_per_day, ""};
    CHECK_THAT(en(rules), Catch::Contains("at least 3 days ago"));
}

TEST_CASE("explain: scope contact or ticket", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("Scope: all the tickets of the contact. The rule takes "
                                          "a contact only when every one of its tickets is closed "
                                          "and taken by this rule, and the newest of them is due; "
                                          "it then deletes them all."));
    CHECK_THAT(fr(rules), Catch::Contains("Portée : tous les tickets du contact. La règle ne "
                                          "prend un contact que si chacun de ses tickets est "
                                          "fermé et pris par cette règle, et si le plus récent "
                                          "est échu ; elle les supprime alors tous."));
    CHECK_THAT(en(rules), !Catch::Contains("Scope: each ticket on its own."));
    rules.ticket_rules[0].scope = gp::Scope::ticket;
    CHECK_THAT(en(rules), Catch::Contains("Scope: each ticket on its own. Each closed ticket this "
                                          "rule takes is deleted once it is due; the other "
                                          "tickets of the contact stay."));
    CHECK_THAT(fr(rules), Catch::Contains("Portée : chaque ticket pour lui-même. Chaque ticket "
                                          "fermé que cette règle prend est supprimé dès qu’il est "
                                          "échu ; les autres tickets du contact restent."));
    CHECK_THAT(en(rules), !Catch::Contains("Scope: all the tickets of the contact."));
}

TEST_CASE("explain: every rule in file order, with its number and name", "[explain]") {
    gp::Rules rules = base();
    gp::TicketRule second = rules.ticket_rules[0];
    second.name = "old-incidents";
    rules.ticket_rules.push_back(second);
    const std::string e = en(rules);
    const auto first = e.find("\n### Rule 1: “support”\n");
    const auto next = e.find("\n### Rule 2: “old-incidents”\n");
    CHECK(first != std::string::npos);
    CHECK(next != std::string::npos);
    CHECK(first < next);
    CHECK_THAT(fr(rules), Catch::Contains("\n### Règle 2 : « old-incidents »\n"));
    CHECK_THAT(e,
               Catch::Contains("SHA-256 of its canonical form: `" + gp::rules_sha256(rules) + "`"));
}

TEST_CASE("explain: HTML escapes every value and is one self-contained page", "[explain]") {
    gp::Rules rules = base();
    rules.ticket_rules[0].name = "<script>alert(1)</script>";
    rules.ticket_rules[0].groups = {"R&D \"lab\" <b>"};
    rules.exceptions.emails = {"o'neil@example.com"};
    for (const Language language : {Language::en, Language::fr}) {
        const std::string page = render_schedule(rules, Format::html, language);
        INFO(page);
        CHECK_THAT(
            page, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"" +
                                    std::string(language == Language::en ? "en" : "fr") + "\">\n"));
        CHECK_THAT(page, Catch::EndsWith("</html>\n"));
        CHECK_THAT(page, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        CHECK_THAT(page, Catch::Contains("R&amp;D &quot;lab&quot; &lt;b&gt;"));
        CHECK_THAT(page, Catch::Contains("o&#39;neil@example.com"));
        CHECK_THAT(page, !Catch::Contains("<script"));
        CHECK_THAT(page, !Catch::Contains("<b>"));
        CHECK_THAT(page, !Catch::Contains("http://"));
        CHECK_THAT(page, !Catch::Contains("https://"));
        CHECK_THAT(page, !Catch::Contains("src="));
        CHECK_THAT(page, !Catch::Contains("<link"));
        CHECK_THAT(page, Catch::Contains("<style>"));
        CHECK_THAT(page, Catch::Contains("default-src 'none'"));
        CHECK_THAT(page, Catch::Contains("<code>gdpr-purge undo-soft</code>"));
    }
}

TEST_CASE("explain: Markdown escapes what would break it", "[explain]") {
    gp::Rules rules = base();
    rules.ticket_rules[0].name = "a_b";
    rules.ticket_rules[0].groups = {"*VIP* [x](y) `z` <i> & #1 | ~t~ !"};
    rules.ticket_rules[0].tags = {"two\nlines"};
    const std::string e = en(rules);
    CHECK_THAT(e, Catch::Contains("\n### Rule 1: “a\\_b”\n"));
    CHECK_THAT(e, Catch::Contains("of the group “\\*VIP\\* \\[x\\](y) \\`z\\` \\<i\\> \\& \\#1 "
                                  "\\| \\~t\\~ \\!”"));
    // A control character is shown as the JSON file wrote it, and breaks no line.
    CHECK_THAT(e, Catch::Contains("tagged “two\\\\nlines”."));
    CHECK(gp::explain::escape_markdown("plain text, ok (1).") == "plain text, ok (1).");
    CHECK(gp::explain::escape_html("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
}

TEST_CASE("explain: --format and --lang names", "[explain]") {
    CHECK(gp::explain::parse_format("md") == Format::markdown);
    CHECK(gp::explain::parse_format("html") == Format::html);
    CHECK_FALSE(gp::explain::parse_format("pdf"));
    CHECK_FALSE(gp::explain::parse_format("MD"));
    CHECK(gp::explain::parse_language("en") == Language::en);
    CHECK(gp::explain::parse_language("fr") == Language::fr);
    CHECK_FALSE(gp::explain::parse_language("de"));
}
