// The schedule's French words (phrases.hpp says what each one is and what fills it in).
#include "phrases.hpp"

namespace gp::explain {

extern const Phrases french{
    .language = "fr",
    .title = "Durées de conservation du support Freshdesk",
    .intro =
        "Les délais prévus pour l’effacement des données personnelles conservées dans le support "
        "Freshdesk (RGPD, article 30, paragraphe 1, point f), tels que les fixe le fichier de "
        "règles de gdpr-purge. gdpr-purge les applique à chaque exécution ; ce qu’une exécution "
        "supprime figure dans son plan et dans son journal.",
    .rules_identity =
        "Format du fichier de règles : version {1} ; SHA-256 de sa forme canonique : {2} (le "
        "`rules_sha256` de chaque plan établi selon ces règles).",
    .quoted = "« {1} »",
    .list_comma = ", ",
    .list_or = " ou ",
    .list_and = " et ",
    .day_one = "{1} jour",
    .day_many = "{1} jours",
    .week_one = "{1} semaine",
    .week_many = "{1} semaines",
    .month_one = "{1} mois ({2} jours)",
    .month_many = "{1} mois ({2} jours)",
    .year_one = "{1} an",
    .year_many = "{1} ans",

    .tickets_section = "Tickets",
    .tickets_intro =
        "Chaque règle ci-dessous dit quels tickets sont supprimés, et agit seule : "
        "deux règles ne se combinent jamais pour prendre un contact.",
    .rule_heading = "Règle {1} : {2}",
    .rule_takes = "Elle prend les tickets {1}, {2}, {3}.",
    .groups_any = "de tout groupe (y compris ceux sans groupe)",
    .groups_one = "du groupe {1}",
    .groups_many = "des groupes {1}",
    .types_any = "de tout type (y compris ceux sans type)",
    .types_one = "du type {1}",
    .types_many = "des types {1}",
    .tags_any = "quelles que soient leurs étiquettes",
    .tags_one = "portant l’étiquette {1}",
    .tags_many = "portant au moins une des étiquettes {1}",
    .due_closed =
        "Un ticket est échu lorsqu’il a été fermé il y a au moins {1} (à compter de son "
        "heure de fermeture dans Freshdesk, à défaut de sa dernière mise à jour).",
    .due_created =
        "Un ticket est échu lorsqu’il a été créé il y a au moins {1} (à compter de sa "
        "création).",
    .due_updated =
        "Un ticket est échu lorsqu’il a été mis à jour pour la dernière fois il y a au "
        "moins {1} (à compter de sa dernière mise à jour : toute modification, note ou "
        "réponse fait repartir le compte).",
    .scope_contact =
        "Portée : tous les tickets du contact. La règle ne prend un contact que si chacun de ses "
        "tickets est fermé et pris par cette règle, et si le plus récent est échu ; elle les "
        "supprime alors tous. Un seul ticket ouvert, un seul ticket que cette règle ne prend pas "
        "ou un seul ticket récent garde le contact et tous ses tickets.",
    .scope_ticket =
        "Portée : chaque ticket pour lui-même. Chaque ticket fermé que cette règle "
        "prend est supprimé dès qu’il est échu ; les autres tickets du contact restent.",
    .rule_open_kept =
        "Un contact qui a un ticket ouvert n’est pas touché du tout : aucun de ses "
        "tickets n’est supprimé, pas même les anciens tickets fermés.",
    .rule_contact_kept = "Le contact lui-même est conservé : seuls des tickets sont supprimés.",
    .rule_contact_now =
        "Lorsque les suppressions d’une exécution ne laissent au contact aucun "
        "ticket, le contact est {1} au cours de la même exécution.",
    .rule_contact_later =
        "Lorsque les suppressions d’une exécution ne laissent au contact aucun "
        "ticket, le contact est {1} {2} plus tard ; pendant l’attente, il porte "
        "l’étiquette `gdpr-purge-pending-YYYY-MM-DD`.",
    .mode_hard = "supprimé définitivement (`hard`)",
    .mode_soft = "placé dans les contacts supprimés de Freshdesk (`soft`)",
    .mode_hard_many = "supprimés définitivement (`hard`)",
    .mode_soft_many = "placés dans les contacts supprimés de Freshdesk (`soft`)",

    .contacts_section = "Contacts",
    .contacts_kept =
        "Les contacts ne sont jamais supprimés (`keep_contact: true`) : ni par une "
        "règle, ni comme contacts sans ticket, ni après une attente, ni par une "
        "purge. Seuls des tickets sont supprimés.",
    .contacts_kept_waiting =
        "Un contact encore en attente sous une politique antérieure (étiqueté "
        "`gdpr-purge-pending-YYYY-MM-DD`) garde son étiquette et n’est pas supprimé ; s’il a de "
        "nouveau un ticket, l’étiquette est retirée.",
    .contacts_deleted =
        "Les contacts sont supprimés (`keep_contact: false`) : un contact dont gdpr-purge a "
        "supprimé tous les tickets est {1}.",
    .contacts_hard =
        "Une suppression définitive efface le contact pour de bon, et Freshdesk "
        "efface ses tickets avec lui, y compris ceux de la corbeille.",
    .contacts_soft =
        "Une suppression réversible ajoute au contact l’étiquette "
        "`gdpr-purge-deleted` et le place dans les contacts supprimés de Freshdesk, "
        "d’où il peut être restauré.",
    .contacts_now =
        "Il n’y a pas d’attente (`delete_after: immediate`) : le contact est supprimé "
        "par l’exécution qui supprime son dernier ticket.",
    .contacts_wait =
        "La suppression attend {1} (`delete_after`) : l’exécution qui supprime le dernier ticket "
        "du contact lui ajoute l’étiquette `gdpr-purge-pending-YYYY-MM-DD` (le jour UTC où "
        "l’attente a commencé), et la première exécution à partir de ce jour plus {1} le "
        "supprime. Un nouveau ticket pendant l’attente l’annule, et l’étiquette est retirée. "
        "L’état d’attente est conservé dans Freshdesk, sur le contact.",
    .purge_after =
        "Les contacts supprimés de façon réversible par gdpr-purge (étiquetés "
        "`gdpr-purge-deleted`) sont effacés définitivement {1} après leur suppression (à compter "
        "de leur dernière mise à jour ; `purge_soft_deleted_after`), sauf s’ils ont de nouveau un "
        "ticket ou sont devenus protégés.",
    .purge_never =
        "Les contacts supprimés de façon réversible ne sont jamais effacés par "
        "gdpr-purge (`purge_soft_deleted_after: null`) : ils restent dans les contacts "
        "supprimés de Freshdesk, restaurables, jusqu’à ce que quelqu’un les supprime "
        "dans Freshdesk.",

    .orphans_section = "Contacts sans ticket",
    .orphans_created =
        "Les contacts qui n’ont aucun ticket (ni actif, ni dans la corbeille, ni dans les "
        "indésirables) et ne sont pas en attente sont {2} dès qu’ils ont été créés il y a au "
        "moins {1}, sans attente (`orphan_contacts`).",
    .orphans_updated =
        "Les contacts qui n’ont aucun ticket (ni actif, ni dans la corbeille, ni dans les "
        "indésirables) et ne sont pas en attente sont {2} dès qu’ils ont été mis à jour pour la "
        "dernière fois il y a au moins {1}, sans attente (`orphan_contacts`).",
    .orphans_kept =
        "Les contacts sans ticket ne sont pas supprimés : la règle `orphan_contacts` "
        "est sans effet tant que les contacts sont conservés (`keep_contact: true`).",
    .orphans_none =
        "Les contacts qui n’ont jamais eu de ticket ne sont pas supprimés (pas de "
        "règle `orphan_contacts`).",

    .untouched_section = "Ce qui n’est jamais touché",
    .untouched_open =
        "Les tickets ouverts. Un ticket ne compte comme fermé que si son statut est {1} "
        "(`closed_statuses`) ; tout autre statut ({2}) est ouvert. Un ticket ouvert n’est jamais "
        "supprimé, et un contact qui a un ticket ouvert n’est pas touché du tout, par aucune "
        "règle : aucun de ses tickets n’est supprimé, pas même les anciens tickets fermés.",
    .status_open = "Ouvert",
    .status_pending = "En attente",
    .status_resolved = "Résolu",
    .status_closed = "Fermé",
    .status_custom = "tout statut personnalisé",
    .untouched_agents =
        "Les agents. Un contact qui est aussi un agent du compte (par son "
        "identifiant, ou par son e-mail principal) n’est jamais supprimé, ni ses "
        "tickets.",
    .untouched_blocked =
        "Les contacts bloqués. Freshdesk refuse de les supprimer : ils sont "
        "laissés tels quels, avec leurs tickets.",
    .exceptions_heading = "Exceptions",
    .exceptions_intro =
        "Un contact protégé et tous les tickets qu’il a demandés ne sont jamais "
        "touchés ; chaque plan le mentionne avec la raison. Un contact est protégé "
        "lorsque :",
    .exceptions_none =
        "Le fichier de règles ne prévoit aucune exception : seuls les agents et "
        "les contacts qui ont un ticket ouvert sont protégés.",
    .exception_tag_one =
        "il porte l’étiquette {1} (une étiquette du contact : une étiquette sur "
        "un ticket ne protège rien)",
    .exception_tag_many =
        "il porte l’une des étiquettes {1} (étiquettes du contact : une "
        "étiquette sur un ticket ne protège rien)",
    .exception_email_one = "son e-mail principal, ou l’un de ses autres e-mails, est {1}",
    .exception_email_many = "son e-mail principal, ou l’un de ses autres e-mails, est {1}",
    .exception_company_one =
        "il appartient à l’entreprise {1} (comme entreprise principale ou "
        "comme l’une de ses autres entreprises)",
    .exception_company_many =
        "il appartient à l’une des entreprises {1} (comme entreprise "
        "principale ou comme l’une de ses autres entreprises)",
    .exception_responder_one = "l’un de ses tickets a pour agent responsable {1}",
    .exception_responder_many =
        "l’un de ses tickets a pour agent responsable l’un des agents "
        "{1}",

    .safeguards_section = "Garanties",
    .safeguard_untouched =
        "Les agents, les tickets ouverts, les contacts qui ont un ticket "
        "ouvert et les contacts protégés ne sont jamais touchés (ci-dessus).",
    .safeguard_plan =
        "Toute suppression est d’abord planifiée : un plan énumère chaque contact et "
        "chaque ticket à supprimer, avec la règle et la raison, et ne supprime rien "
        "lui-même.",
    .safeguard_recheck =
        "Juste avant d’agir sur un contact, gdpr-purge le relit et le vérifie de nouveau selon "
        "ces règles : après un ticket nouveau ou rouvert, ou une nouvelle exception, le contact "
        "est laissé de côté.",
    .safeguard_journal =
        "Chaque étape est inscrite dans un journal : ce qui a été effacé, quand, par quelle "
        "exécution, et ce qui ne l’a pas été et pourquoi. Le plan et le journal ne contiennent "
        "que des identifiants, des noms de règles, des dates et des e-mails masqués ; "
        "conservez-les avec ce registre.",

    .safeguard_archive =
        "Tant que gdpr-purge ne connaît pas tous les tickets archivés du compte, il ne supprime, "
        "ne marque et ne purge aucun contact (les suppressions de tickets des règles "
        "`scope: ticket` continuent).",

    .trash_section = "Restauration, et ce qui est définitif",
    .trash_tickets =
        "Les tickets supprimés vont dans la corbeille de Freshdesk, que Freshdesk "
        "vide après 30 jours ; d’ici là, `gdpr-purge undo-soft` (ou un agent) peut "
        "les restaurer.",
    .trash_soft_purged =
        "Un contact supprimé de façon réversible peut être restauré par "
        "`gdpr-purge undo-soft` (ou un agent) jusqu’à son effacement définitif, "
        "{1} après sa suppression.",
    .trash_soft_kept =
        "Un contact supprimé de façon réversible peut être restauré par "
        "`gdpr-purge undo-soft` (ou un agent) tant que personne ne le supprime dans "
        "Freshdesk.",
    .trash_hard =
        "Une suppression définitive est irréversible : le contact, et ses tickets y "
        "compris ceux de la corbeille, ne peuvent pas être restaurés.",
    .trash_purge =
        "L’effacement d’un contact supprimé de façon réversible, après {1}, est "
        "définitif : ses tickets partent avec lui, y compris ceux de la corbeille.",
    .trash_archived =
        "Les tickets archivés (Freshdesk retire de ses listes les tickets fermés inactifs depuis "
        "environ 120 jours) sont des tickets de leur contact comme les autres, et fermés ; une "
        "règle qui en prend un le supprime définitivement : les tickets archivés n’ont pas de "
        "corbeille et ne peuvent pas être restaurés.",
};

}  // namespace gp::explain
