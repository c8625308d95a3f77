#pragma once
// The phrase tables: every word of the schedule, one table per language (phrases_en.cpp,
// phrases_fr.cpp), composed by the one logic of explain.cpp. "{1}" to "{9}" are what the
// composition fills in (a list of names, a duration, another phrase); text between backquotes is
// code. A Phrase has no default: a table that leaves one out does not compile.
#include <string_view>

namespace gp::explain {

struct Phrase {
    consteval Phrase(const char* words) : text(words) {}
    std::string_view text;
};

struct Phrases {
    Phrase language;  // the HTML page's lang
    // The heading of the page and what it is.
    Phrase title;
    Phrase intro;
    Phrase rules_identity;  // {1} format version, {2} canonical SHA-256
    // Values and lists: {1} a value.
    Phrase quoted;
    Phrase list_comma;
    Phrase list_or;
    Phrase list_and;
    // Durations: {1} the number, {2} the days of months.
    Phrase day_one;
    Phrase day_many;
    Phrase week_one;
    Phrase week_many;
    Phrase month_one;
    Phrase month_many;
    Phrase year_one;
    Phrase year_many;

    // Ticket rules.
    Phrase tickets_section;
    Phrase tickets_intro;
    Phrase rule_heading;  // {1} its number, {2} its name
    Phrase rule_takes;    // {1} groups, {2} types, {3} tags
    Phrase groups_any;
    Phrase groups_one;   // {1} the group
    Phrase groups_many;  // {1} the groups, joined with "or"
    Phrase types_any;
    Phrase types_one;
    Phrase types_many;
    Phrase tags_any;
    Phrase tags_one;
    Phrase tags_many;
    Phrase due_closed;  // {1} the duration
    Phrase due_created;
    Phrase due_updated;
    Phrase scope_contact;
    Phrase scope_ticket;
    Phrase rule_open_kept;
    Phrase rule_contact_kept;
    Phrase rule_contact_now;    // {1} mode
    Phrase rule_contact_later;  // {1} mode, {2} the wait
    Phrase mode_hard;           // of one contact
    Phrase mode_soft;
    Phrase mode_hard_many;  // of contacts (French agrees in number)
    Phrase mode_soft_many;

    // The contact policy.
    Phrase contacts_section;
    Phrase contacts_kept;
    Phrase contacts_kept_waiting;
    Phrase contacts_deleted;  // {1} mode
    Phrase contacts_hard;
    Phrase contacts_soft;
    Phrase contacts_now;
    Phrase contacts_wait;  // {1} the wait
    Phrase purge_after;    // {1} the duration
    Phrase purge_never;

    // Contacts without tickets.
    Phrase orphans_section;
    Phrase orphans_created;  // {1} the duration, {2} mode
    Phrase orphans_updated;
    Phrase orphans_kept;
    Phrase orphans_none;

    // What is never touched.
    Phrase untouched_section;
    Phrase untouched_open;  // {1} the closed statuses, {2} the open ones
    Phrase status_open;
    Phrase status_pending;
    Phrase status_resolved;
    Phrase status_closed;
    Phrase status_custom;
    Phrase untouched_agents;
    Phrase untouched_blocked;
    Phrase exceptions_heading;
    Phrase exceptions_intro;
    Phrase exceptions_none;
    Phrase exception_tag_one;  // {1} the value, or the values joined with "or"
    Phrase exception_tag_many;
    Phrase exception_email_one;
    Phrase exception_email_many;
    Phrase exception_company_one;
    Phrase exception_company_many;
    Phrase exception_responder_one;
    Phrase exception_responder_many;

    // Safeguards.
    Phrase safeguards_section;
    Phrase safeguard_untouched;
    Phrase safeguard_plan;
    Phrase safeguard_recheck;
    Phrase safeguard_journal;
    Phrase safeguard_archive;

    // The trash, restoring, and what is permanent.
    Phrase trash_section;
    Phrase trash_tickets;
    Phrase trash_soft_purged;  // {1} the duration
    Phrase trash_soft_kept;
    Phrase trash_hard;
    Phrase trash_purge;  // {1} the duration
    Phrase trash_archived;
};

extern const Phrases english;
extern const Phrases french;

}  // namespace gp::explain
