// The schedule's English words (phrases.hpp says what each one is and what fills it in).
#include "phrases.hpp"

namespace gp::explain {

extern const Phrases english{
    .language = "en",
    .title = "Retention schedule of the Freshdesk help desk",
    .intro =
        "The time limits for the erasure of the personal data held in the Freshdesk help desk "
        "(GDPR Art. 30(1)(f)), as the rules file of gdpr-purge sets them. gdpr-purge applies "
        "them at each run; what a run deletes is listed in that run's plan and journal.",
    .rules_identity =
        "Rules file format version {1}; SHA-256 of its canonical form: {2} (the `rules_sha256` "
        "of every plan made under these rules).",
    .quoted = "“{1}”",
    .list_comma = ", ",
    .list_or = " or ",
    .list_and = " and ",
    .day_one = "{1} day",
    .day_many = "{1} days",
    .week_one = "{1} week",
    .week_many = "{1} weeks",
    .month_one = "{1} month ({2} days)",
    .month_many = "{1} months ({2} days)",
    .year_one = "{1} year",
    .year_many = "{1} years",

    .tickets_section = "Tickets",
    .tickets_intro =
        "Each rule below says which tickets are deleted, and works alone: two rules "
        "never combine to take a contact.",
    .rule_heading = "Rule {1}: {2}",
    .rule_takes = "It takes the tickets {1}, {2}, {3}.",
    .groups_any = "of any group (also those without a group)",
    .groups_one = "of the group {1}",
    .groups_many = "of the groups {1}",
    .types_any = "of any type (also those without a type)",
    .types_one = "of the type {1}",
    .types_many = "of the types {1}",
    .tags_any = "whatever their tags",
    .tags_one = "tagged {1}",
    .tags_many = "carrying at least one of the tags {1}",
    .due_closed =
        "A ticket is due once it was closed at least {1} ago (counted from its close "
        "time in Freshdesk, or failing that its last update).",
    .due_created =
        "A ticket is due once it was created at least {1} ago (counted from its "
        "creation).",
    .due_updated =
        "A ticket is due once it was last updated at least {1} ago (counted from its "
        "last update: any edit, note or reply starts the count again).",
    .scope_contact =
        "Scope: all the tickets of the contact. The rule takes a contact only when every one of "
        "its tickets is closed and taken by this rule, and the newest of them is due; it then "
        "deletes them all. One open ticket, one ticket this rule does not take, or one recent "
        "ticket keeps the contact and all its tickets.",
    .scope_ticket =
        "Scope: each ticket on its own. Each closed ticket this rule takes is deleted "
        "once it is due; the other tickets of the contact stay.",
    .rule_open_kept =
        "A contact with an open ticket is not touched at all: none of its tickets is "
        "deleted, not even old closed ones.",
    .rule_contact_kept = "The contact itself is kept: only tickets are deleted.",
    .rule_contact_now =
        "When the deletions of a run leave the contact with no ticket, the contact "
        "is {1} in the same run.",
    .rule_contact_later =
        "When the deletions of a run leave the contact with no ticket, the "
        "contact is {1} {2} later; while it waits, it carries the tag "
        "`gdpr-purge-pending-YYYY-MM-DD`.",
    .mode_hard = "deleted for good (`hard`)",
    .mode_soft = "moved to Freshdesk's deleted contacts (`soft`)",
    .mode_hard_many = "deleted for good (`hard`)",
    .mode_soft_many = "moved to Freshdesk's deleted contacts (`soft`)",

    .contacts_section = "Contacts",
    .contacts_kept =
        "Contacts are never deleted (`keep_contact: true`): not by a rule, not as "
        "contacts without tickets, not after a wait, not by a purge. Only tickets "
        "are deleted.",
    .contacts_kept_waiting =
        "A contact still waiting from an earlier policy (tagged "
        "`gdpr-purge-pending-YYYY-MM-DD`) keeps its tag and is not deleted; if it has a ticket "
        "again, the tag is removed.",
    .contacts_deleted =
        "Contacts are deleted (`keep_contact: false`): a contact whose tickets have all been "
        "deleted by gdpr-purge is {1}.",
    .contacts_hard =
        "A hard deletion erases the contact for good, and Freshdesk erases its "
        "tickets with it, also those in the trash.",
    .contacts_soft =
        "A soft deletion tags the contact `gdpr-purge-deleted` and moves it to "
        "Freshdesk's deleted contacts, where it can be restored.",
    .contacts_now =
        "There is no wait (`delete_after: immediate`): the contact is deleted by the "
        "run that deletes its last ticket.",
    .contacts_wait =
        "The deletion waits {1} (`delete_after`): the run that deletes the last ticket of the "
        "contact tags it `gdpr-purge-pending-YYYY-MM-DD` (the UTC day the wait began), and the "
        "first run on or after that day plus {1} deletes it. A new ticket while it waits cancels "
        "the wait, and the tag is removed. The waiting state is kept in Freshdesk, on the "
        "contact.",
    .purge_after =
        "Contacts soft-deleted by gdpr-purge (tagged `gdpr-purge-deleted`) are erased "
        "for good {1} after their deletion (counted from their last update; "
        "`purge_soft_deleted_after`), unless they have a ticket again or have become "
        "protected.",
    .purge_never =
        "Soft-deleted contacts are never erased by gdpr-purge "
        "(`purge_soft_deleted_after: null`): they stay in Freshdesk's deleted "
        "contacts, restorable, until someone deletes them in Freshdesk.",

    .orphans_section = "Contacts without tickets",
    .orphans_created =
        "Contacts that have no ticket at all (none live, none in the trash, none in spam) and "
        "are not waiting are {2} once they were created at least {1} ago, without a wait "
        "(`orphan_contacts`).",
    .orphans_updated =
        "Contacts that have no ticket at all (none live, none in the trash, none in spam) and "
        "are not waiting are {2} once they were last updated at least {1} ago, without a wait "
        "(`orphan_contacts`).",
    .orphans_kept =
        "Contacts without tickets are not deleted: the rule `orphan_contacts` does "
        "nothing while contacts are kept (`keep_contact: true`).",
    .orphans_none =
        "Contacts that never had a ticket are not deleted (no rule "
        "`orphan_contacts`).",

    .untouched_section = "What is never touched",
    .untouched_open =
        "Open tickets. A ticket counts as closed only when its status is {1} "
        "(`closed_statuses`); every other status ({2}) is open. An open ticket is never "
        "deleted, and a contact with an open ticket is not touched at all, under any rule: none "
        "of its tickets is deleted, not even old closed ones.",
    .status_open = "Open",
    .status_pending = "Pending",
    .status_resolved = "Resolved",
    .status_closed = "Closed",
    .status_custom = "any custom status",
    .untouched_agents =
        "Agents. A contact that is also an agent of the account (by id, or by its "
        "primary email) is never deleted, and neither are its tickets.",
    .untouched_blocked =
        "Blocked contacts. Freshdesk refuses to delete them: they are left alone, "
        "with their tickets.",
    .exceptions_heading = "Exceptions",
    .exceptions_intro =
        "A protected contact and every ticket it requested are never touched; "
        "each plan lists it with the reason. A contact is protected when:",
    .exceptions_none =
        "The rules file lists no exception: only the agents and the contacts with "
        "an open ticket are protected.",
    .exception_tag_one =
        "it carries the tag {1} (a tag of the contact: a tag on a ticket "
        "protects nothing)",
    .exception_tag_many =
        "it carries one of the tags {1} (tags of the contact: a tag on a "
        "ticket protects nothing)",
    .exception_email_one = "its primary email, or one of its other emails, is {1}",
    .exception_email_many = "its primary email, or one of its other emails, is {1}",
    .exception_company_one =
        "it belongs to the company {1} (as its company or one of its other "
        "companies)",
    .exception_company_many =
        "it belongs to one of the companies {1} (as its company or one of "
        "its other companies)",
    .exception_responder_one = "one of its tickets has the agent {1} as its responder",
    .exception_responder_many = "one of its tickets has one of the agents {1} as its responder",

    .safeguards_section = "Safeguards",
    .safeguard_untouched =
        "Agents, open tickets, the contacts with an open ticket and the "
        "protected contacts are never touched (above).",
    .safeguard_plan =
        "Every deletion is planned first: a plan lists each contact and ticket to "
        "delete, with the rule and the reason, and deletes nothing itself.",
    .safeguard_recheck =
        "Just before acting on a contact, gdpr-purge reads it again and checks it again against "
        "these rules: after a new or reopened ticket, or a new exception, the contact is "
        "skipped.",
    .safeguard_journal =
        "Every step is recorded in a journal: what was erased, when, by which run, and what was "
        "not and why. The plan and the journal hold ids, rule names, times and masked emails "
        "only; keep them with this record.",

    .safeguard_archive =
        "Until gdpr-purge knows every archived ticket of the account, it deletes, marks and "
        "purges no contact (ticket deletions of `scope: ticket` rules go on).",

    .trash_section = "Restoring, and what is permanent",
    .trash_tickets =
        "Deleted tickets go to Freshdesk's trash, which Freshdesk empties after 30 "
        "days; until then `gdpr-purge undo-soft` (or an agent) can restore them.",
    .trash_soft_purged =
        "A soft-deleted contact can be restored by `gdpr-purge undo-soft` (or an "
        "agent) until it is erased for good, {1} after its deletion.",
    .trash_soft_kept =
        "A soft-deleted contact can be restored by `gdpr-purge undo-soft` (or an "
        "agent) for as long as nobody deletes it in Freshdesk.",
    .trash_hard =
        "A hard deletion is permanent: the contact, and its tickets also from the "
        "trash, cannot be restored.",
    .trash_purge =
        "Erasing a soft-deleted contact after {1} is permanent: its tickets go with it, "
        "also those in the trash.",
    .trash_archived =
        "Archived tickets (Freshdesk moves closed tickets inactive for about 120 days out of its "
        "lists) are tickets of their contact like any other, and closed; a rule that takes one "
        "deletes it permanently: archived tickets have no trash and cannot be restored.",
};

}  // namespace gp::explain
