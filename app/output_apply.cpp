// What apply and undo-soft say on standard error: their summaries and the journal's records as
// they are written (output.hpp).
#include "output.hpp"

#include <boost/json/array.hpp>

#include <cstdio>

namespace gp::cli {

namespace {

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", seconds);
    return text;
}

std::string api_text(const freshdesk::Counters& api) {
    return std::to_string(api.calls) + " API calls, " + std::to_string(api.credits) + " credits, " +
           std::to_string(api.rate_limited) + " rate-limited";
}

std::string apply_summary_text(const ApplyRunFacts& facts) {
    const executor::ApplyTotals& t = facts.totals;
    std::string text = "gdpr-purge apply: " + facts.account + ": " + std::to_string(t.entries) +
                       " entries: " + std::to_string(t.entries_done) + " done";
    if (t.entries_done_before > 0) {
        text += " (" + std::to_string(t.entries_done_before) + " of them by earlier runs)";
    }
    text += ", " + std::to_string(t.entries_skipped) + " skipped, " +
            std::to_string(t.entries_failed) + " failed, in " +
            seconds_text(facts.times.duration_seconds) + " s (" + api_text(facts.api) + ")\n";
    text += "contacts deleted: " + std::to_string(t.contacts_deleted) + "\n";
    text += "tickets deleted: " + std::to_string(t.tickets_deleted) + "\n";
    text +=
        "archived tickets deleted (permanently): " + std::to_string(t.archived_tickets_deleted) +
        "\n";
    text += "contacts marked pending: " + std::to_string(t.contacts_marked) + "\n";
    text += "pending marks cleared: " + std::to_string(t.marks_cleared) + "\n";
    text += "soft-deleted purged: " + std::to_string(t.soft_deleted_purged) + "\n";
    return text + "journal: " + facts.journal;
}

std::string undo_summary_text(const UndoRunFacts& facts) {
    const executor::UndoTotals& t = facts.totals;
    // The first line holds the counts that matter (the one line of -v on a non-terminal).
    std::string text = "gdpr-purge undo-soft: " + facts.account + ": restored " +
                       std::to_string(t.contacts_restored) + " contacts and " +
                       std::to_string(t.tickets_restored) + " tickets, " +
                       std::to_string(t.contacts_not_restorable + t.tickets_not_restorable) +
                       " not restorable, " + std::to_string(t.tickets_lost) + " lost, " +
                       std::to_string(t.steps_failed) + " steps failed, in " +
                       seconds_text(facts.times.duration_seconds) + " s (" + api_text(facts.api) +
                       ")\n";
    text += "not restorable (hard-deleted): " + std::to_string(t.contacts_not_restorable) +
            " contacts, " + std::to_string(t.tickets_not_restorable) + " tickets\n";
    text += "lost (purged from the trash): " + std::to_string(t.tickets_lost) + " tickets\n";
    text += "failed: " + std::to_string(t.steps_failed) + " steps\n";
    text += "done by earlier runs: " + std::to_string(t.steps_done_before) + " steps\n";
    return text + "journal: " + facts.undo_journal;
}

std::string record_text(const executor::JournalRecord& r) {
    std::string text = "contact " + std::to_string(r.contact_id);
    if (r.step) {
        text += " step " + std::to_string(*r.step);
    }
    if (!r.action.empty()) {
        text += " " + r.action;
    }
    // "contact 1002 skipped: ..." for a whole entry, "contact 1001 step 0 ...: done" for a step.
    text += (r.step || !r.action.empty()) ? ": " : " ";
    text += executor::to_string(r.outcome);
    if (!r.reason.empty()) {
        text += ": " + r.reason;
    }
    if (r.outcome == executor::Outcome::failed && (r.status != 0 || !r.code.empty())) {
        text += " (" + (r.status != 0 ? "HTTP " + std::to_string(r.status) : std::string()) +
                (r.status != 0 && !r.code.empty() ? ", " : "") + r.code + ")";
    }
    return text;
}

json::object record_fields(const executor::JournalRecord& r) {
    json::object fields;
    fields["contact_id"] = r.contact_id;
    fields["step"] = r.step ? json::value(*r.step) : json::value(nullptr);
    fields["action"] = r.action.empty() ? json::value(nullptr) : json::value(r.action);
    fields["outcome"] = executor::to_string(r.outcome);
    fields["reason"] = r.reason.empty() ? json::value(nullptr) : json::value(r.reason);
    if (!r.ticket_ids.empty()) {
        fields["ticket_ids"] = json::array(r.ticket_ids.begin(), r.ticket_ids.end());
    }
    if (r.permanent) {
        fields["permanent"] = true;
    }
    if (r.status != 0) {
        fields["status"] = r.status;
    }
    if (!r.code.empty()) {
        fields["code"] = r.code;
    }
    return fields;
}

bool needs_attention(executor::Outcome outcome) {
    using executor::Outcome;
    return outcome == Outcome::skipped || outcome == Outcome::failed ||
           outcome == Outcome::not_restorable || outcome == Outcome::lost;
}

}  // namespace

void emit_apply_summary(const ApplyRunFacts& facts) {
    const executor::ApplyTotals& t = facts.totals;
    json::object fields{
        {"account", facts.account},
        {"plan", facts.plan},
        {"entries", t.entries},
        {"entries_done", t.entries_done},
        {"entries_done_before", t.entries_done_before},
        {"entries_skipped", t.entries_skipped},
        {"entries_failed", t.entries_failed},
        {"contacts_deleted", t.contacts_deleted},
        {"tickets_deleted", t.tickets_deleted},
        {"archived_tickets_deleted", t.archived_tickets_deleted},
        {"contacts_marked", t.contacts_marked},
        {"marks_cleared", t.marks_cleared},
        {"soft_deleted_purged", t.soft_deleted_purged},
        {"api_calls", facts.api.calls},
        {"credits", facts.api.credits},
        {"rate_limited", facts.api.rate_limited},
        {"duration_seconds", facts.times.duration_seconds},
        {"journal", facts.journal},
    };
    emit_summary(apply_summary_text(facts), std::move(fields));
}

void emit_undo_summary(const UndoRunFacts& facts) {
    const executor::UndoTotals& t = facts.totals;
    json::object fields{
        {"account", facts.account},
        {"journal", facts.journal},
        {"contacts_restored", t.contacts_restored},
        {"tickets_restored", t.tickets_restored},
        {"contacts_not_restorable", t.contacts_not_restorable},
        {"tickets_not_restorable", t.tickets_not_restorable},
        {"tickets_lost", t.tickets_lost},
        {"steps_failed", t.steps_failed},
        {"steps_done_before", t.steps_done_before},
        {"api_calls", facts.api.calls},
        {"credits", facts.api.credits},
        {"rate_limited", facts.api.rate_limited},
        {"duration_seconds", facts.times.duration_seconds},
        {"undo_journal", facts.undo_journal},
    };
    emit_summary(undo_summary_text(facts), std::move(fields));
}

void emit_resume_start(const UnfinishedRun& run) {
    const std::int64_t entries = run.plan->outline().entries;
    emit(Level::info, "resume",
         "gdpr-purge apply: resuming " + run.plan_path + " (journal " + run.journal_path +
             "): " + std::to_string(entries - run.entries_finished) + " of " +
             std::to_string(entries) + " entries unfinished",
         json::object{{"plan", run.plan_path},
                      {"journal", run.journal_path},
                      {"entries", entries},
                      {"entries_finished", run.entries_finished}});
}

void emit_resumed(const ResumedRunFacts& run) {
    const executor::ApplyTotals& t = run.totals;
    emit(t.complete() ? Level::info : Level::warning, "resumed",
         "gdpr-purge apply: resumed " + run.plan + ": " + std::to_string(t.entries) +
             " entries: " + std::to_string(t.entries_done) + " done, " +
             std::to_string(t.entries_skipped) + " skipped, " + std::to_string(t.entries_failed) +
             " failed; " + std::to_string(t.contacts_deleted) + " contacts and " +
             std::to_string(t.tickets_deleted) + " tickets deleted",
         json::object{{"plan", run.plan},
                      {"journal", run.journal},
                      {"entries", t.entries},
                      {"entries_done", t.entries_done},
                      {"entries_skipped", t.entries_skipped},
                      {"entries_failed", t.entries_failed},
                      {"contacts_deleted", t.contacts_deleted},
                      {"tickets_deleted", t.tickets_deleted}});
}

void emit_not_resumed(const NotResumed& run) {
    emit(Level::warning, "not_resumed",
         "gdpr-purge apply: " + run.plan_path + " is unfinished and not resumed (" + run.reason +
             "); " + run.advice,
         json::object{{"plan", run.plan_path},
                      {"journal", run.journal_path},
                      {"reason", run.reason},
                      {"advice", run.advice}});
}

void emit_journal_record(const executor::JournalRecord& record) {
    const bool attention = needs_attention(record.outcome);
    if (!attention && !output_settings().verbose) {
        return;
    }
    const Level level = record.outcome == executor::Outcome::failed ? Level::error
                        : attention                                 ? Level::warning
                                                                    : Level::info;
    emit(level, "step", record_text(record), record_fields(record));
}

}  // namespace gp::cli
