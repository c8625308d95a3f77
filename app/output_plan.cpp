// What plan says on standard error: its summary and, with -v, what the reading did (output.hpp).
#include "archive_state.hpp"
#include "output.hpp"

#include <cstdio>

namespace gp::cli {

namespace {

// The first line holds the counts that matter (the one line of -v on a non-terminal).
std::string summary_text(const PlanRunFacts& facts) {
    const Summary& s = facts.summary;
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.1f", facts.duration_seconds);
    std::string text =
        "gdpr-purge plan: " + facts.account + ": read " + std::to_string(s.contacts_read) +
        " contacts and " + std::to_string(s.tickets_read) +
        " tickets: " + std::to_string(s.contacts_to_delete) + " contacts and " +
        std::to_string(s.tickets_to_delete) + " tickets to delete, in " + duration + " s (" +
        std::to_string(facts.api.calls) + " API calls, " + std::to_string(facts.api.credits) +
        " credits, " + std::to_string(facts.api.rate_limited) + " rate-limited)\n";
    text += "contacts to delete: " + std::to_string(s.contacts_to_delete) + "\n";
    text += "tickets to delete: " + std::to_string(s.tickets_to_delete) + "\n";
    text += "archived tickets to delete (permanently): " +
            std::to_string(s.archived_tickets_to_delete) + "\n";
    text += "contacts to mark pending: " + std::to_string(s.contacts_to_mark) + "\n";
    text += "pending marks to clear: " + std::to_string(s.marks_to_clear) + "\n";
    text += "soft-deleted to purge: " + std::to_string(s.soft_deleted_to_purge) + "\n";
    text += "protected:";
    for (std::size_t i = 0; i < protection_reason_count; ++i) {
        text += std::string(i == 0 ? " " : ", ") +
                std::string(to_string(static_cast<ProtectionReason>(i))) + " " +
                std::to_string(s.protected_counts[i]);
    }
    text += "\n";
    for (const RuleCount& count : s.by_rule) {
        text += "rule " + count.rule + ": " + std::to_string(count.contacts) + " contacts, " +
                std::to_string(count.tickets) + " tickets\n";
    }
    if (facts.read.contacts_blocked > 0) {
        text +=
            "blocked contacts left alone: " + std::to_string(facts.read.contacts_blocked) + "\n";
    }
    if (facts.read.archive) {
        text += archive_line(*facts.read.archive) + "\n";
    }
    return text + "plan written to " + (facts.out.empty() ? "standard output" : facts.out);
}

}  // namespace

void emit_plan_summary(const PlanRunFacts& facts) {
    const Summary& s = facts.summary;
    json::object fields{
        {"account", facts.account},
    };
    for (const SummaryCount& count : summary_counts) {
        fields[count.key] = s.*count.member;
    }
    fields.insert({
        {"protected", protected_json(s)},
        {"by_rule", by_rule_json(s)},
        {"api_calls", facts.api.calls},
        {"credits", facts.api.credits},
        {"rate_limited", facts.api.rate_limited},
        {"duration_seconds", facts.duration_seconds},
    });
    fields["contacts_blocked"] = facts.read.contacts_blocked;
    fields["archive"] =
        facts.read.archive ? json::value(archive_json(*facts.read.archive)) : json::value(nullptr);
    fields["out"] = facts.out.empty() ? json::value(nullptr) : json::value(facts.out);
    emit_summary(summary_text(facts), std::move(fields));
}

void emit_read_details(const PlanRunFacts& facts) {
    const reader::ReadReport& r = facts.read;
    const std::string text =
        "gdpr-purge plan: read " + std::to_string(r.ticket_pages) + " ticket pages (" +
        std::to_string(r.ticket_pages_with_stats) + " with stats), " +
        std::to_string(r.contact_pages) + " contact pages, " + std::to_string(r.searches) +
        " searches, " + std::to_string(r.views) + " contact views, " +
        std::to_string(r.ticket_views) + " ticket views, " + std::to_string(r.name_calls) +
        " name calls; " + std::to_string(facts.api.credits) + " credits used, lower bound " +
        std::to_string(r.lower_bound_credits) + "; " + std::to_string(facts.api.retries) +
        " retries, " + std::to_string(facts.api.waited_ms / 1000) + " s waited";
    json::object fields{
        {"ticket_pages", r.ticket_pages},
        {"ticket_pages_with_stats", r.ticket_pages_with_stats},
        {"contact_pages", r.contact_pages},
        {"searches", r.searches},
        {"views", r.views},
        {"ticket_views", r.ticket_views},
        {"name_calls", r.name_calls},
        {"credits", facts.api.credits},
        {"lower_bound_credits", r.lower_bound_credits},
        {"retries", facts.api.retries},
        {"waited_ms", facts.api.waited_ms},
    };
    emit(Level::info, "read", text, std::move(fields));
}

}  // namespace gp::cli
