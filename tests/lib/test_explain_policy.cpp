// lib/explain: the contact policy, the orphan rule, each kind of exception and closed_statuses
// say their own sentences, in English and in French; what is always said.
#include "explain_fixtures.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace explain_test;

TEST_CASE("explain: keep_contact true keeps every contact", "[explain]") {
    gp::Rules rules = base();
    rules.contact_policy.keep_contact = true;
    rules.orphan_contacts = gp::OrphanRule{duration("2y"), gp::Since::updated};
    const std::string e = en(rules);
    const std::string f = fr(rules);
    CHECK_THAT(e, Catch::Contains("- The contact itself is kept: only tickets are deleted.\n"));
    CHECK_THAT(f, Catch::Contains("- Le contact lui-même est conservé : seuls des tickets sont "
                                  "supprimés.\n"));
    CHECK_THAT(e, Catch::Contains("Contacts are never deleted (`keep_contact: true`): not by a "
                                  "rule, not as contacts without tickets, not after a wait, not "
                                  "by a purge."));
    CHECK_THAT(f, Catch::Contains("Les contacts ne sont jamais supprimés (`keep_contact: true`) "
                                  ": ni par une règle, ni comme contacts sans ticket, ni après "
                                  "une attente, ni par une purge."));
    CHECK_THAT(e, !Catch::Contains("deleted for good (`hard`)"));
    CHECK_THAT(f, !Catch::Contains("supprimé définitivement (`hard`)"));
}

TEST_CASE("explain: keep_contact false deletes the contact left without tickets", "[explain]") {
    const gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("Contacts are deleted (`keep_contact: false`): a "
                                          "contact whose tickets have all been deleted by "
                                          "gdpr-purge is deleted for good (`hard`)."));
    CHECK_THAT(fr(rules), Catch::Contains("Les contacts sont supprimés (`keep_contact: false`) : "
                                          "un contact dont gdpr-purge a supprimé tous les tickets "
                                          "est supprimé définitivement (`hard`)."));
    CHECK_THAT(en(rules), !Catch::Contains("The contact itself is kept"));
}

TEST_CASE("explain: delete_mode hard or soft", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("A hard deletion erases the contact for good, and "
                                          "Freshdesk erases its tickets with it, also those in "
                                          "the trash."));
    CHECK_THAT(fr(rules), Catch::Contains("Une suppression définitive efface le contact pour de "
                                          "bon, et Freshdesk efface ses tickets avec lui, y "
                                          "compris ceux de la corbeille."));
    CHECK_THAT(en(rules), Catch::Contains("- A hard deletion is permanent: the contact, and its "
                                          "tickets also from the trash, cannot be restored.\n"));
    CHECK_THAT(fr(rules), Catch::Contains("- Une suppression définitive est irréversible : le "
                                          "contact, et ses tickets y compris ceux de la "
                                          "corbeille, ne peuvent pas être restaurés.\n"));
    rules.contact_policy.delete_mode = gp::DeleteMode::soft;
    CHECK_THAT(en(rules), Catch::Contains("is moved to Freshdesk's deleted contacts (`soft`). A "
                                          "soft deletion tags the "
                                          "contact `gdpr-purge-deleted` and moves it to "
                                          "Freshdesk's deleted contacts, where it can be "
                                          "restored."));
    CHECK_THAT(fr(rules), Catch::Contains("est placé dans les contacts supprimés de Freshdesk "
                                          "(`soft`). Une suppression "
                                          "réversible ajoute au contact l’étiquette "
                                          "`gdpr-purge-deleted` et le place dans les contacts "
                                          "supprimés de Freshdesk, d’où il peut être restauré."));
    CHECK_THAT(en(rules), !Catch::Contains("A hard deletion"));
    CHECK_THAT(fr(rules), !Catch::Contains("Une suppression définitive"));
}

TEST_CASE("explain: delete_after immediate or a wait with the pending tag", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("When the deletions of a run leave the contact with no "
                                          "ticket, the contact is deleted for good (`hard`) in "
                                          "the same run."));
    CHECK_THAT(fr(rules), Catch::Contains("Lorsque les suppressions d’une exécution ne laissent "
                                          "au contact aucun ticket, le contact est supprimé "
                                          "définitivement (`hard`) au cours de la même "
                                          "exécution."));
    CHECK_THAT(en(rules), Catch::Contains("There is no wait (`delete_after: immediate`)"));
    CHECK_THAT(fr(rules), Catch::Contains("Il n’y a pas d’attente (`delete_after: immediate`)"));
    CHECK_THAT(en(rules), !Catch::Contains("gdpr-purge-pending-"));
    rules.contact_policy.delete_after = duration("30d");
    CHECK_THAT(en(rules), Catch::Contains("the contact is deleted for good (`hard`) 30 days "
                                          "later; while it waits, it carries the tag "
                                          "`gdpr-purge-pending-YYYY-MM-DD`."));
    CHECK_THAT(fr(rules), Catch::Contains("le contact est supprimé définitivement (`hard`) 30 "
                                          "jours plus tard ; pendant l’attente, il porte "
                                          "l’étiquette `gdpr-purge-pending-YYYY-MM-DD`."));
    CHECK_THAT(en(rules), Catch::Contains("The deletion waits 30 days (`delete_after`): the run "
                                          "that deletes the last ticket of the contact tags it "
                                          "`gdpr-purge-pending-YYYY-MM-DD` (the UTC day the wait "
                                          "began), and the first run on or after that day plus "
                                          "30 days deletes it."));
    CHECK_THAT(fr(rules), Catch::Contains("La suppression attend 30 jours (`delete_after`) : "
                                          "l’exécution qui supprime le dernier ticket du contact "
                                          "lui ajoute l’étiquette "
                                          "`gdpr-purge-pending-YYYY-MM-DD`"));
    CHECK_THAT(en(rules), !Catch::Contains("There is no wait"));
}

TEST_CASE("explain: purge_soft_deleted_after set or absent", "[explain]") {
    gp::Rules rules = base();
    rules.contact_policy.delete_mode = gp::DeleteMode::soft;
    CHECK_THAT(en(rules), Catch::Contains("Soft-deleted contacts are never erased by gdpr-purge "
                                          "(`purge_soft_deleted_after: null`)"));
    CHECK_THAT(fr(rules), Catch::Contains("Les contacts supprimés de façon réversible ne sont "
                                          "jamais effacés par gdpr-purge "
                                          "(`purge_soft_deleted_after: null`)"));
    CHECK_THAT(en(rules), Catch::Contains("A soft-deleted contact can be restored by `gdpr-purge "
                                          "undo-soft` (or an agent) for as long as nobody deletes "
                                          "it in Freshdesk."));
    rules.contact_policy.purge_soft_deleted_after = duration("90d");
    CHECK_THAT(en(rules), Catch::Contains("Contacts soft-deleted by gdpr-purge (tagged "
                                          "`gdpr-purge-deleted`) are erased for good 90 days "
                                          "after their deletion"));
    CHECK_THAT(fr(rules), Catch::Contains("Les contacts supprimés de façon réversible par "
                                          "gdpr-purge (étiquetés `gdpr-purge-deleted`) sont "
                                          "effacés définitivement 90 jours après leur "
                                          "suppression"));
    CHECK_THAT(en(rules), Catch::Contains("until it is erased for good, 90 days after its "
                                          "deletion."));
    CHECK_THAT(fr(rules), Catch::Contains("jusqu’à son effacement définitif, 90 jours après sa "
                                          "suppression."));
    CHECK_THAT(en(rules), !Catch::Contains("never erased by gdpr-purge"));
}

TEST_CASE("explain: the orphan rule present, absent, or idle while contacts are kept",
          "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("Contacts that never had a ticket are not deleted (no "
                                          "rule `orphan_contacts`)."));
    CHECK_THAT(fr(rules), Catch::Contains("Les contacts qui n’ont jamais eu de ticket ne sont pas "
                                          "supprimés (pas de règle `orphan_contacts`)."));
    rules.orphan_contacts = gp::OrphanRule{duration("2y"), gp::Since::updated};
    CHECK_THAT(en(rules), Catch::Contains("Contacts that have no ticket at all (none live, none "
                                          "in the trash, none in spam) and are not waiting are "
                                          "deleted for good (`hard`) once they were last updated "
                                          "at least 2 years ago, without a wait"));
    CHECK_THAT(fr(rules), Catch::Contains("sont supprimés définitivement (`hard`) dès qu’ils ont "
                                          "été mis à jour pour la dernière fois il y a au moins 2 "
                                          "ans, sans attente"));
    rules.orphan_contacts->since = gp::Since::created;
    CHECK_THAT(en(rules), Catch::Contains("once they were created at least 2 years ago"));
    CHECK_THAT(fr(rules), Catch::Contains("dès qu’ils ont été créés il y a au moins 2 ans"));
    rules.contact_policy.keep_contact = true;
    CHECK_THAT(en(rules), Catch::Contains("Contacts without tickets are not deleted: the rule "
                                          "`orphan_contacts` does nothing while contacts are kept "
                                          "(`keep_contact: true`)."));
    CHECK_THAT(fr(rules), Catch::Contains("Les contacts sans ticket ne sont pas supprimés : la "
                                          "règle `orphan_contacts` est sans effet tant que les "
                                          "contacts sont conservés (`keep_contact: true`)."));
}

TEST_CASE("explain: exception tags", "[explain]") {
    gp::Rules rules = base();
    rules.exceptions.tags = {"VIP"};
    CHECK_THAT(en(rules), Catch::Contains("- it carries the tag “VIP” (a tag of the contact: a tag "
                                          "on a ticket protects nothing)\n"));
    CHECK_THAT(fr(rules), Catch::Contains("- il porte l’étiquette « VIP » (une étiquette du "
                                          "contact : une étiquette sur un ticket ne protège "
                                          "rien)\n"));
    rules.exceptions.tags = {"VIP", "legal-hold"};
    CHECK_THAT(en(rules), Catch::Contains("- it carries one of the tags “VIP” or “legal-hold” "));
    CHECK_THAT(fr(rules), Catch::Contains("- il porte l’une des étiquettes « VIP » ou "
                                          "« legal-hold » "));
}

TEST_CASE("explain: exception emails, as written", "[explain]") {
    gp::Rules rules = base();
    rules.exceptions.emails = {"CEO@Example.com", "dpo@example.com"};
    CHECK_THAT(en(rules), Catch::Contains("- its primary email, or one of its other emails, is "
                                          "“CEO@Example.com” or “dpo@example.com”\n"));
    CHECK_THAT(fr(rules), Catch::Contains("- son e-mail principal, ou l’un de ses autres e-mails, "
                                          "est « CEO@Example.com » ou « dpo@example.com »\n"));
}

TEST_CASE("explain: exception companies", "[explain]") {
    gp::Rules rules = base();
    rules.exceptions.companies = {"Key Account Ltd"};
    CHECK_THAT(en(rules), Catch::Contains("- it belongs to the company “Key Account Ltd” (as its "
                                          "company or one of its other companies)\n"));
    CHECK_THAT(fr(rules), Catch::Contains("- il appartient à l’entreprise « Key Account Ltd » "
                                          "(comme entreprise principale ou comme l’une de ses "
                                          "autres entreprises)\n"));
    rules.exceptions.companies = {"Key Account Ltd", "7"};
    CHECK_THAT(en(rules), Catch::Contains("- it belongs to one of the companies “Key Account Ltd” "
                                          "or “7” "));
    CHECK_THAT(fr(rules), Catch::Contains("- il appartient à l’une des entreprises « Key Account "
                                          "Ltd » ou « 7 » "));
}

TEST_CASE("explain: exception responders", "[explain]") {
    gp::Rules rules = base();
    rules.exceptions.responders = {"keeper@example.com"};
    CHECK_THAT(en(rules), Catch::Contains("- one of its tickets has the agent "
                                          "“keeper@example.com” as its responder\n"));
    CHECK_THAT(fr(rules), Catch::Contains("- l’un de ses tickets a pour agent responsable "
                                          "« keeper@example.com »\n"));
}

TEST_CASE("explain: no exception at all says so", "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("The rules file lists no exception: only the agents "
                                          "and the contacts with an open ticket are protected."));
    CHECK_THAT(fr(rules), Catch::Contains("Le fichier de règles ne prévoit aucune exception : "
                                          "seuls les agents et les contacts qui ont un ticket "
                                          "ouvert sont protégés."));
    rules.exceptions.tags = {"VIP"};
    CHECK_THAT(en(rules), !Catch::Contains("lists no exception"));
    CHECK_THAT(en(rules), Catch::Contains("A contact is protected when:"));
}

TEST_CASE("explain: closed_statuses, closed by default, with resolved, resolved alone",
          "[explain]") {
    gp::Rules rules = base();
    CHECK_THAT(en(rules), Catch::Contains("A ticket counts as closed only when its status is "
                                          "Closed (`closed_statuses`); every other status (Open, "
                                          "Pending, Resolved and any custom status) is open."));
    CHECK_THAT(fr(rules), Catch::Contains("Un ticket ne compte comme fermé que si son statut est "
                                          "Fermé (`closed_statuses`) ; tout autre statut (Ouvert, "
                                          "En attente, Résolu et tout statut personnalisé) est "
                                          "ouvert."));
    rules.resolved_is_closed = true;
    CHECK_THAT(en(rules), Catch::Contains("only when its status is Resolved or Closed "
                                          "(`closed_statuses`); every other status (Open, Pending "
                                          "and any custom status) is open."));
    CHECK_THAT(fr(rules), Catch::Contains("que si son statut est Résolu ou Fermé "
                                          "(`closed_statuses`) ; tout autre statut (Ouvert, En "
                                          "attente et tout statut personnalisé) est ouvert."));
    rules.closed_is_closed = false;
    CHECK_THAT(en(rules), Catch::Contains("only when its status is Resolved (`closed_statuses`); "
                                          "every other status (Open, Pending, Closed and any "
                                          "custom status) is open."));
    CHECK_THAT(fr(rules), Catch::Contains("que si son statut est Résolu (`closed_statuses`) ; tout "
                                          "autre statut (Ouvert, En attente, Fermé et tout statut "
                                          "personnalisé) est ouvert."));
}

TEST_CASE("explain: open tickets, agents, safeguards and the trash, always said", "[explain]") {
    const gp::Rules rules = base();
    const std::string e = en(rules);
    const std::string f = fr(rules);
    CHECK_THAT(e, Catch::Contains("- A contact with an open ticket is not touched at all: none "
                                  "of its tickets is deleted, not even old closed ones.\n"));
    CHECK_THAT(f, Catch::Contains("- Un contact qui a un ticket ouvert n’est pas touché du tout : "
                                  "aucun de ses tickets n’est supprimé, pas même les anciens "
                                  "tickets fermés.\n"));
    CHECK_THAT(e, Catch::Contains("Agents. A contact that is also an agent of the account"));
    CHECK_THAT(f, Catch::Contains("Les agents. Un contact qui est aussi un agent du compte"));
    CHECK_THAT(e, Catch::Contains("gdpr-purge reads it again and checks it again against these "
                                  "rules"));
    CHECK_THAT(f, Catch::Contains("gdpr-purge le relit et le vérifie de nouveau selon ces "
                                  "règles"));
    CHECK_THAT(e, Catch::Contains("Every step is recorded in a journal"));
    CHECK_THAT(e, Catch::Contains("Until gdpr-purge knows every archived ticket of the account, "
                                  "it deletes, marks and purges no contact"));
    CHECK_THAT(f, Catch::Contains("Chaque étape est inscrite dans un journal"));
    CHECK_THAT(e, Catch::Contains("Deleted tickets go to Freshdesk's trash, which Freshdesk "
                                  "empties after 30 days; until then `gdpr-purge undo-soft` (or "
                                  "an agent) can restore them."));
    CHECK_THAT(f, Catch::Contains("Les tickets supprimés vont dans la corbeille de Freshdesk, que "
                                  "Freshdesk vide après 30 jours"));
    CHECK_THAT(e, Catch::Contains("archived tickets have no trash and cannot be restored."));
    CHECK_THAT(f, Catch::Contains("les tickets archivés n’ont pas de corbeille et ne peuvent pas "
                                  "être restaurés."));
}

TEST_CASE("explain: a parsed rules file, its emails as written", "[explain]") {
    const gp::RulesParseResult parsed = gp::parse_rules(R"({
      "version": 1,
      "ticket_rules": [{"name": "camping", "groups": ["Camping", 12], "older_than": "90d",
                        "since": "closed", "scope": "contact"}],
      "contact_policy": {"keep_contact": false, "delete_mode": "soft", "delete_after": "30d"},
      "exceptions": {"emails": ["Jane.Doe+gdpr@Example.com"]}
    })");
    REQUIRE(parsed.rules);
    const std::string e = en(*parsed.rules);
    CHECK_THAT(e, Catch::Contains("of the groups “Camping” or “12”"));
    CHECK_THAT(e, Catch::Contains("is “Jane.Doe+gdpr@Example.com”"));
    CHECK_THAT(e, Catch::Contains("moved to Freshdesk's deleted contacts (`soft`) 30 days later"));
}
