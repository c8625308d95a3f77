// The review page (docs/review.md): the sections a person reads, in order; the tables' data
// (review_data.cpp) and the script that draws them (review_assets.cpp) come last.
#include "review/review_detail.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>

namespace gp::review {

namespace {

using detail::count;
using detail::html;

constexpr std::string_view csp =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

// A number the tests (and anyone) can find: <b data-count="key">.
std::string counted(std::string_view key, std::int64_t value) {
    return "<b data-count=\"" + std::string(key) + "\">" + count(value) + "</b>";
}

// A card for deletions that cannot be undone is marked so.
enum class Undoable { yes, no };

std::string card(std::string_view key, std::int64_t value, std::string_view label,
                 Undoable undoable = Undoable::yes) {
    return std::string("<div class=\"card") + (undoable == Undoable::no ? " perm" : "") + "\">" +
           counted(key, value) + "<span>" + html(label) + "</span></div>";
}

std::string list_names(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += i == 0 ? "" : i + 1 == names.size() ? " or " : ", ";
        out += "<q>" + html(names[i]) + "</q>";
    }
    return out;
}

std::string_view since_words(Since since) {
    switch (since) {
        case Since::closed:
            return "since it was closed";
        case Since::created:
            return "since it was created";
        case Since::updated:
            return "since its last update";
    }
    return "";
}

std::string_view reason_words(ProtectionReason reason) {
    switch (reason) {
        case ProtectionReason::agent:
            return "an agent of the help desk: agents and their tickets are never touched";
        case ProtectionReason::exception_tag:
            return "carries a tag the rules except";
        case ProtectionReason::exception_email:
            return "has an email address the rules except";
        case ProtectionReason::exception_company:
            return "belongs to a company the rules except";
        case ProtectionReason::responder:
            return "has a ticket handled by an agent the rules except (responders)";
        case ProtectionReason::archive_incomplete:
            return "held: not every archived ticket is known yet, so contact-level steps wait";
    }
    return "";
}

struct Tally {
    std::int64_t hard = 0;
    std::int64_t soft = 0;
    std::int64_t waiting = 0;
    std::string first_due;
    std::string last_due;
    std::map<std::string, std::int64_t> by_engine_rule;  // orphan_contacts, pending, ...
};

Tally tally(const Plan& plan) {
    Tally t;
    const Duration& after = plan.header.rules.contact_policy.delete_after;
    std::set<std::string> ticket_rules;
    for (const TicketRule& rule : plan.header.rules.ticket_rules) {
        ticket_rules.insert(rule.name);
    }
    for (const Entry& entry : plan.entries) {
        for (const std::string& rule : entry.rules) {
            if (!ticket_rules.contains(rule)) {
                ++t.by_engine_rule[rule];
            }
        }
        for (const Step& step : entry.steps) {
            if (step.action == StepAction::delete_contact) {
                ++(step.mode == DeleteMode::hard ? t.hard : t.soft);
            } else if (step.action == StepAction::mark_pending) {
                ++t.waiting;
                const auto since = parse_date(step.since);
                const std::string due = since ? format_date(*since + after.seconds) : step.since;
                t.first_due = t.first_due.empty() ? due : std::min(t.first_due, due);
                t.last_due = std::max(t.last_due, due);
            }
        }
    }
    return t;
}

void write_head(std::ostream& out, const ReviewInput& input) {
    const PlanHeader& h = input.plan.header;
    out << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta http-equiv=\"Content-Security-Policy\" content=\""
        << csp << "\"><title>gdpr-purge review: " << html(h.account) << ", as of " << html(h.as_of)
        << "</title><style>" << detail::page_css
        << "</style></head>\n<body><main>\n<h1>Retention purge review: " << html(h.account)
        << "</h1>\n<p class=\"meta\">Plan <code>"
        << html(std::filesystem::path(input.plan_name).filename().string())
        << "</code> (SHA-256 <code>" << html(input.plan_sha256) << "</code>), made "
        << html(h.generated_at) << ", rules evaluated as of " << html(h.as_of)
        << " (rules SHA-256 <code>" << html(h.rules_sha256) << "</code>). This page was made "
        << html(format_timestamp(input.now)) << " by <code>gdpr-purge review</code> from the plan"
        << (input.journals.empty() ? "" : " and its journals")
        << "; it holds contact ids and masked emails only.</p>\n";
}

void write_summary(std::ostream& out, const Plan& plan, const Tally& t) {
    const Summary& s = plan.header.summary;
    std::set<Id> protected_ids;
    for (const ProtectedContact& p : plan.protected_contacts) {
        if (p.reason != ProtectionReason::archive_incomplete) {
            protected_ids.insert(p.contact_id);
        }
    }
    const auto held =
        s.protected_counts[static_cast<std::size_t>(ProtectionReason::archive_incomplete)];
    out << "<section id=\"summary\"><h2>What will happen</h2>\n<div class=\"cards\">"
        << card("tickets_to_delete", s.tickets_to_delete, "tickets to the trash")
        << card("archived_tickets_to_delete", s.archived_tickets_to_delete,
                "archived tickets, permanently", Undoable::no)
        << card("contacts_to_delete", s.contacts_to_delete, "contacts deleted",
                t.hard > 0 ? Undoable::no : Undoable::yes)
        << card("contacts_to_mark", s.contacts_to_mark, "contacts set to wait")
        << card("soft_deleted_to_purge", s.soft_deleted_to_purge, "soft-deleted contacts purged",
                Undoable::no)
        << card("protected_contacts", static_cast<std::int64_t>(protected_ids.size()),
                "contacts protected")
        << "</div>\n<p>Applied as it stands, this plan would:</p><ul class=\"says\">";
    out << "<li>move " << counted("tickets_to_delete_text", s.tickets_to_delete)
        << " ticket(s) to Freshdesk's trash, where <code>gdpr-purge undo-soft</code> can restore "
           "them for 30 days (unless their contact is deleted hard, which takes them along);</li>";
    out << "<li>delete " << count(s.archived_tickets_to_delete)
        << " archived ticket(s) <b>permanently</b>: archived tickets have no trash;</li>";
    out << "<li>delete " << count(s.contacts_to_delete) << " contact(s): " << count(t.hard)
        << " hard (<b>permanently</b>, with the tickets they still have) and " << count(t.soft)
        << " soft (to Freshdesk's deleted contacts, restorable until the contact policy purges "
           "them);</li>";
    out << "<li>mark " << count(s.contacts_to_mark)
        << " contact(s) as waiting: their deletion comes later, when the contact policy's wait "
           "is over"
        << (t.waiting > 0 ? " (due " + t.first_due + " to " + t.last_due + ")" : "") << ";</li>";
    out << "<li>clear " << count(s.marks_to_clear)
        << " wait(s), of contacts that have tickets again;</li>";
    out << "<li>purge " << count(s.soft_deleted_to_purge)
        << " contact(s) it soft-deleted earlier, <b>permanently</b>.</li></ul>\n";
    out << "<p>It leaves alone " << count(static_cast<std::int64_t>(protected_ids.size()))
        << " protected contact(s) (below), every open ticket and every agent";
    if (held > 0) {
        out << ", and holds " << count(held) << " contact(s) whose contact-level steps wait for "
            << "the archive index";
    }
    out << ". It read " << counted("contacts_read", s.contacts_read) << " contacts and "
        << counted("tickets_read", s.tickets_read) << " tickets.</p>\n";
    if (plan.header.archive && !plan.header.archive->complete) {
        out << "<p class=\"note\">The archive index is incomplete: "
            << count(plan.header.archive->unprobed)
            << " ticket id(s) may still hide an archived ticket. Until they are known, no "
               "contact is deleted (held, below); later runs probe the rest.</p>\n";
    }
    out << "</section>\n";
}

void write_rule(std::ostream& out, const Plan& plan, const TicketRule& rule) {
    const auto by =
        std::find_if(plan.header.summary.by_rule.begin(), plan.header.summary.by_rule.end(),
                     [&](const RuleCount& c) { return c.rule == rule.name; });
    const RuleCount counts = by == plan.header.summary.by_rule.end() ? RuleCount{} : *by;
    out << "<div class=\"rule\"><h3>" << html(rule.name) << "</h3><p>Takes the closed tickets";
    if (!rule.groups.empty()) {
        out << " of the group " << list_names(rule.groups);
    }
    if (!rule.types.empty()) {
        out << " of the type " << list_names(rule.types);
    }
    if (!rule.tags.empty()) {
        out << " tagged " << list_names(rule.tags);
    }
    out << " once each is older than <b>" << html(rule.older_than.text) << "</b> "
        << since_words(rule.since) << ". ";
    out << (rule.scope == Scope::contact
                ? "Scope contact: a contact's tickets go together, only when every one of them "
                  "is the rule's and the newest is that old."
                : "Scope ticket: each ticket on its own, whatever the contact's other tickets.");
    out << "</p><p>In this plan: " << counted("rule_contacts", counts.contacts) << " contact(s), "
        << counted("rule_tickets", counts.tickets) << " ticket(s).</p>";
    if (plan.header.ticket_ages) {
        for (const AgeChart& chart : *plan.header.ticket_ages) {
            if (chart.rule == rule.name) {
                out << detail::age_chart_svg(chart) << "<p class=\"meta\">The account's closed "
                    << "tickets this rule's groups, types and tags accept, by days "
                    << since_words(chart.since) << " (the last bar: older still); red, old enough. "
                    << count(chart.open) << " open ticket(s) of its scope are never touched.</p>";
            }
        }
    }
    out << "</div>\n";
}

void write_rules(std::ostream& out, const Plan& plan, const Tally& t) {
    const Rules& rules = plan.header.rules;
    out << "<section id=\"rules\"><h2>What each rule takes, and why</h2>\n";
    for (const TicketRule& rule : rules.ticket_rules) {
        write_rule(out, plan, rule);
    }
    const ContactPolicy& policy = rules.contact_policy;
    out << "<p>Contact policy: ";
    if (policy.keep_contact) {
        out << "contacts are kept; only their tickets go.";
    } else {
        out << "a contact left with no ticket is deleted " << to_string(policy.delete_mode) << ", "
            << (policy.delete_after.seconds == 0
                    ? std::string("immediately")
                    : html(policy.delete_after.text) + " after its last ticket went")
            << ".";
        if (policy.purge_soft_deleted_after) {
            out << " A contact gdpr-purge soft-deleted is purged for good "
                << html(policy.purge_soft_deleted_after->text) << " later.";
        }
    }
    if (rules.takes_orphans()) {
        out << " Contacts with no ticket at all go once "
            << html(rules.orphan_contacts->older_than.text) << " have passed "
            << since_words(rules.orphan_contacts->since) << ".";
    }
    out << "</p>";
    if (!t.by_engine_rule.empty()) {
        out << "<ul>";
        for (const auto& [name, n] : t.by_engine_rule) {
            out << "<li><code>" << html(name) << "</code>: " << count(n) << " contact(s)</li>";
        }
        out << "</ul>";
    }
    out << "</section>\n";
}

void write_forecast(std::ostream& out, const std::vector<ForecastDay>& days) {
    std::int64_t tickets = 0;
    std::int64_t contacts = 0;
    for (const ForecastDay& day : days) {
        tickets += day.tickets + day.archived_tickets;
        contacts += day.contacts + day.purged;
    }
    out << "<section id=\"forecast\"><h2>What the rules would take next</h2><p>If a run happened "
           "every day and nothing else changed in the account, the next "
        << days.size() << " days would delete " << counted("forecast_tickets", tickets)
        << " ticket(s) and " << counted("forecast_contacts", contacts)
        << " contact(s) (red: tickets, blue: contacts, per week).</p>" << detail::forecast_svg(days)
        << "</section>\n";
}

void write_protected(std::ostream& out, const Plan& plan) {
    const Summary& s = plan.header.summary;
    out << "<section id=\"protected\"><h2>Protected contacts, and what protected them</h2><ul>";
    for (std::size_t r = 0; r < protection_reason_count; ++r) {
        const auto reason = static_cast<ProtectionReason>(r);
        if (reason == ProtectionReason::archive_incomplete) {
            continue;  // a hold, in its own section
        }
        out << "<li>"
            << counted(std::string("protected_") + std::string(to_string(reason)),
                       s.protected_counts[r])
            << " <code>" << to_string(reason) << "</code>: " << html(reason_words(reason))
            << "</li>";
    }
    out << "</ul><p>A contact may be protected for several reasons: each is a row below.</p>"
           "<noscript><p>The tables need JavaScript; the plan file holds the same rows.</p>"
           "</noscript><div id=\"protected-table\"></div></section>\n";
}

void write_held(std::ostream& out, const Plan& plan, const Tally& t) {
    const auto held =
        plan.header.summary
            .protected_counts[static_cast<std::size_t>(ProtectionReason::archive_incomplete)];
    out << "<section id=\"held\"><h2>Held and waiting</h2><ul><li>"
        << counted("held_archive_incomplete", held)
        << " contact(s) held: " << html(reason_words(ProtectionReason::archive_incomplete))
        << ".</li><li>" << counted("waiting", t.waiting)
        << " contact(s) set to wait by this plan: the contact policy deletes a contact "
        << html(plan.header.rules.contact_policy.delete_after.text)
        << " after its last ticket went, if it has no new ticket by then"
        << (t.waiting > 0 ? " (due " + t.first_due + " to " + t.last_due + ")" : "") << ".</li>"
        << "</ul></section>\n";
}

void write_journal(std::ostream& out, const ReviewInput& input, const JournalView& view) {
    std::array<std::int64_t, 5> states{};
    for (const EntryState state : view.states) {
        ++states[static_cast<std::size_t>(state)];
    }
    out << "<section id=\"journal\"><h2>What was done</h2><p>From " << input.journals.size()
        << " journal(s): " << count(view.lines) << " line(s) of this plan";
    if (view.other_plan_lines > 0) {
        out << " (" << count(view.other_plan_lines) << " line(s) of other plans left aside)";
    }
    out << ".</p><ul class=\"meta\">";
    for (const JournalFile& file : input.journals) {
        out << "<li><code>" << html(std::filesystem::path(file.name).filename().string())
            << "</code>, SHA-256 <code>" << html(file.sha256)
            << "</code>: " << count(static_cast<std::int64_t>(file.records.size()))
            << " step line(s)</li>";
    }
    out << "</ul><p class=\"meta\">Whether a journal is intact and the one apply wrote is "
           "<code>gdpr-purge verify</code>'s to say.</p><div class=\"cards\">";
    for (const EntryState state : {EntryState::done, EntryState::partly_done, EntryState::skipped,
                                   EntryState::failed, EntryState::not_run}) {
        std::string key = "journal_" + std::string(to_string(state));
        std::replace(key.begin(), key.end(), ' ', '_');
        out << card(key, states[static_cast<std::size_t>(state)],
                    "entries " + std::string(to_string(state)));
    }
    out << "</div><div class=\"scroll\"><table><thead><tr><th>Run</th><th>From</th><th>To</th>"
           "<th class=\"num\">done</th><th class=\"num\">skipped</th><th class=\"num\">failed</th>"
           "<th class=\"num\">started</th></tr></thead><tbody>";
    for (const RunSummary& run : view.runs) {
        out << "<tr><td><code>" << html(run.run.substr(0, 12)) << "</code></td><td>"
            << html(run.first_ts) << "</td><td>" << html(run.last_ts) << "</td><td class=\"num\">"
            << count(run.done) << "</td><td class=\"num\">" << count(run.skipped)
            << "</td><td class=\"num\">" << count(run.failed) << "</td><td class=\"num\">"
            << count(run.started) << "</td></tr>";
    }
    out << "</tbody></table></div><h3>What undo-soft could still restore</h3><p>As of "
        << html(format_timestamp(input.now)) << ": "
        << counted("restorable", static_cast<std::int64_t>(view.restorable.size())) << " item(s)";
    if (view.restored > 0) {
        out << "; " << count(view.restored) << " restoration(s) already done by undo-soft";
    }
    out << ". Hard deletions, archived tickets and purges are never restorable.</p>";
    constexpr std::size_t shown = 500;
    if (!view.restorable.empty()) {
        out << "<div class=\"scroll\"><table><thead><tr><th class=\"num\">Contact</th><th>What"
               "</th><th>Restorable until</th></tr></thead><tbody>";
        for (std::size_t i = 0; i < std::min(shown, view.restorable.size()); ++i) {
            const Restorable& r = view.restorable[i];
            out << "<tr><td class=\"num\">" << r.contact_id << "</td><td>" << html(r.what)
                << "</td><td>" << html(r.until) << "</td></tr>";
        }
        out << "</tbody></table></div>";
        if (view.restorable.size() > shown) {
            out << "<p class=\"meta\">and "
                << count(static_cast<std::int64_t>(view.restorable.size() - shown))
                << " more: <code>gdpr-purge undo-soft</code> lists them all.</p>";
        }
    }
    out << "</section>\n";
}

}  // namespace

void write_review(std::ostream& out, const ReviewInput& input) {
    const Plan& plan = input.plan;
    const Tally t = tally(plan);
    write_head(out, input);
    write_summary(out, plan, t);
    write_rules(out, plan, t);
    if (plan.header.forecast) {
        write_forecast(out, *plan.header.forecast);
    }
    write_protected(out, plan);
    write_held(out, plan, t);
    std::optional<JournalView> view;
    if (!input.journals.empty()) {
        view = read_journals(input);
        write_journal(out, input, *view);
    }
    out << "<section id=\"entries-section\"><h2>Every entry</h2><p>"
        << counted("entries", static_cast<std::int64_t>(plan.entries.size()))
        << " contact(s) with steps or held, sortable by any column (click its name), searchable; "
           "permanent steps are marked. Printing prints the page of rows on screen.</p>"
           "<noscript><p>The table needs JavaScript; the plan file holds the same entries.</p>"
           "</noscript><div id=\"entries\"></div></section>\n";
    detail::write_data(out, plan, view ? &*view : nullptr);
    out << "<script>" << detail::page_js << "</script>\n</main></body></html>\n";
    out.flush();
    if (!out) {
        throw std::runtime_error("the review page could not be written completely");
    }
}

}  // namespace gp::review
