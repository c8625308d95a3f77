#include "apply_watch.hpp"

namespace gp::cli {

void ApplyWatcher::on_progress(const executor::ApplyProgress& progress) {
    const std::lock_guard lock(mutex_);
    if (!line_.shown()) {
        return;
    }
    const freshdesk::Counters counters = client_.counters();
    facts_.phase = "applying";
    facts_.applying = true;
    facts_.views_done = progress.entries_finished;
    facts_.views_total = progress.entries_total;
    facts_.steps_done = tally_.steps_done;
    facts_.steps_failed = tally_.steps_failed;
    facts_.credits = counters.credits;
    facts_.rate_limited = counters.rate_limited;
    facts_.waited_ms = counters.waited_ms;
    facts_.pace_per_minute = counters.pace_per_minute;
    line_.update(facts_);
}

void ApplyWatcher::on_record(const executor::JournalRecord& record) {
    {
        const std::lock_guard lock(mutex_);
        count(record);
    }
    emit_journal_record(record);
}

void ApplyWatcher::done() {
    const std::lock_guard lock(mutex_);
    line_.done();
}

executor::ApplyTotals ApplyWatcher::tally() const {
    const std::lock_guard lock(mutex_);
    return tally_;
}

void ApplyWatcher::next_plan() {
    const std::lock_guard lock(mutex_);
    run_.clear();
}

std::string ApplyWatcher::run_id() const {
    const std::lock_guard lock(mutex_);
    return run_;
}

void ApplyWatcher::count(const executor::JournalRecord& record) {
    if (run_.empty()) {
        run_ = record.run;
    }
    using executor::Outcome;
    if (record.outcome == Outcome::skipped) {
        ++tally_.entries_skipped;
    } else if (record.outcome == Outcome::failed) {
        ++tally_.steps_failed;
        failed_contacts_.insert(record.contact_id);
        tally_.entries_failed = static_cast<std::int64_t>(failed_contacts_.size());
    }
    if (record.outcome != Outcome::done) {
        return;
    }
    ++tally_.steps_done;
    const auto action = parse_step_action(record.action);
    if (action == StepAction::delete_tickets) {
        tally_.tickets_deleted += static_cast<std::int64_t>(record.ticket_ids.size());
    } else if (action == StepAction::delete_archived_tickets) {
        tally_.archived_tickets_deleted += static_cast<std::int64_t>(record.ticket_ids.size());
    } else if (action == StepAction::delete_contact) {
        ++tally_.contacts_deleted;
    } else if (action == StepAction::mark_pending) {
        ++tally_.contacts_marked;
    } else if (action == StepAction::clear_pending) {
        ++tally_.marks_cleared;
    } else if (action == StepAction::purge_soft_deleted) {
        ++tally_.soft_deleted_purged;
    }
}

}  // namespace gp::cli
