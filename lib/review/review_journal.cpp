// What the journals say of a plan (docs/review.md, "With journals"): each entry's state, the runs,
// and what undo-soft could still restore (docs/apply.md, "undo-soft": the trash keeps a soft
// deletion 30 days).
#include "review/review.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace gp::review {

namespace {

constexpr UnixTime trash_seconds = 30 * seconds_per_day;

struct StepSeen {
    executor::Outcome outcome = executor::Outcome::done;
    UnixTime at = no_time;
};

struct EntrySeen {
    std::vector<std::optional<StepSeen>> steps;
    bool skipped = false;           // the latest whole-entry line said skipped
    bool contact_restored = false;  // undo-soft's restore_contact, done
    bool tickets_restored = false;  // undo-soft's restore_tickets, done
};

std::optional<std::size_t> entry_index(const std::vector<Entry>& entries, Id contact_id) {
    const auto it = std::lower_bound(entries.begin(), entries.end(), contact_id,
                                     [](const Entry& e, Id id) { return e.contact_id < id; });
    if (it == entries.end() || it->contact_id != contact_id) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(it - entries.begin());
}

EntryState state_of(const EntrySeen& seen) {
    bool all_done = !seen.steps.empty();
    bool any = false;
    for (const auto& step : seen.steps) {
        if (step && step->outcome == executor::Outcome::failed) {
            return EntryState::failed;
        }
        all_done = all_done && step && step->outcome == executor::Outcome::done;
        any = any || step.has_value();
    }
    if (all_done) {
        return EntryState::done;
    }
    if (any) {
        return EntryState::partly_done;
    }
    return seen.skipped ? EntryState::skipped : EntryState::not_run;
}

void count_run(std::vector<RunSummary>& runs, const executor::JournalRecord& record) {
    auto it = std::find_if(runs.begin(), runs.end(),
                           [&](const RunSummary& r) { return r.run == record.run; });
    if (it == runs.end()) {
        runs.push_back({record.run, record.ts, record.ts});
        it = runs.end() - 1;
    }
    it->last_ts = std::max(it->last_ts, record.ts);
    switch (record.outcome) {
        case executor::Outcome::done:
            ++it->done;
            break;
        case executor::Outcome::skipped:
            ++it->skipped;
            break;
        case executor::Outcome::failed:
            ++it->failed;
            break;
        default:
            ++it->started;
            break;
    }
}

// What undo-soft could take back of one entry, `now` (docs/apply.md, "Soft deletion, the 30-day
// trash and hard deletion"): trashed tickets for 30 days; a soft-deleted contact until a run
// purges it, purge_soft_deleted_after later (never, without a purge).
void add_restorable(std::vector<Restorable>& out, const Entry& entry, const EntrySeen& seen,
                    const std::optional<Duration>& purge_after, UnixTime now) {
    bool gone = false;  // hard-deleted or purged: its trashed tickets went with it
    std::optional<UnixTime> soft_at;
    std::int64_t trashed = 0;
    UnixTime trashed_at = no_time;
    for (std::size_t i = 0; i < entry.steps.size(); ++i) {
        const Step& step = entry.steps[i];
        const auto& s = seen.steps[i];
        if (!s || s->outcome != executor::Outcome::done) {
            continue;
        }
        switch (step.action) {
            case StepAction::delete_tickets:
                trashed += static_cast<std::int64_t>(step.ticket_ids.size());
                trashed_at = std::max(trashed_at, s->at);
                break;
            case StepAction::delete_contact:
                if (step.mode == DeleteMode::hard) {
                    gone = true;
                } else {
                    soft_at = s->at;
                }
                break;
            case StepAction::purge_soft_deleted:
                gone = true;
                break;
            default:
                break;
        }
    }
    if (gone) {
        return;
    }
    if (soft_at && *soft_at != no_time && !seen.contact_restored) {
        if (!purge_after) {
            out.push_back({entry.contact_id, "the contact (soft-deleted)",
                           "no purge is set: until someone deletes it for good"});
        } else if (now < *soft_at + purge_after->seconds) {
            out.push_back({entry.contact_id, "the contact (soft-deleted)",
                           "its purge, due " + format_date(*soft_at + purge_after->seconds)});
        }
    }
    if (trashed > 0 && trashed_at != no_time && now < trashed_at + trash_seconds &&
        !seen.tickets_restored) {
        out.push_back({entry.contact_id, std::to_string(trashed) + " ticket(s) in the trash",
                       "Freshdesk empties its trash, " + format_date(trashed_at + trash_seconds)});
    }
}

}  // namespace

std::string_view to_string(EntryState state) {
    switch (state) {
        case EntryState::not_run:
            return "not run";
        case EntryState::done:
            return "done";
        case EntryState::partly_done:
            return "partly done";
        case EntryState::skipped:
            return "skipped";
        case EntryState::failed:
            return "failed";
    }
    return "";
}

JournalView read_journals(const ReviewInput& input) {
    const std::vector<Entry>& entries = input.plan.entries;
    JournalView view;
    std::vector<EntrySeen> seen(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        seen[i].steps.resize(entries[i].steps.size());
    }
    std::vector<std::string> journal_hashes;
    for (const JournalFile& file : input.journals) {
        journal_hashes.push_back(file.sha256);
    }
    for (const JournalFile& file : input.journals) {
        for (const executor::JournalRecord& record : file.records) {
            const auto index = entry_index(entries, record.contact_id);
            const bool undo = record.source == executor::JournalSource::journal;
            if (undo) {
                // undo-soft's own lines: what it restored of a journal given here.
                const bool ours = std::find(journal_hashes.begin(), journal_hashes.end(),
                                            record.source_sha256) != journal_hashes.end();
                if (ours && index && record.outcome == executor::Outcome::done) {
                    if (record.action == executor::restore_contact_action) {
                        seen[*index].contact_restored = true;
                    } else if (record.action == executor::restore_tickets_action) {
                        seen[*index].tickets_restored = true;
                    }
                    ++view.restored;
                }
                continue;
            }
            if (record.source_sha256 != input.plan_sha256) {
                ++view.other_plan_lines;
                continue;
            }
            ++view.lines;
            count_run(view.runs, record);
            if (!index) {
                continue;  // not an entry of the plan: `gdpr-purge verify` names such lines
            }
            EntrySeen& entry = seen[*index];
            if (!record.step) {
                entry.skipped = record.outcome == executor::Outcome::skipped;
                continue;
            }
            const auto step = static_cast<std::size_t>(*record.step);
            if (step < entry.steps.size()) {
                entry.steps[step] =
                    StepSeen{record.outcome, parse_timestamp(record.ts).value_or(no_time)};
            }
        }
    }
    view.states.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        view.states.push_back(state_of(seen[i]));
        add_restorable(view.restorable, entries[i], seen[i],
                       input.plan.header.rules.contact_policy.purge_soft_deleted_after, input.now);
    }
    return view;
}

}  // namespace gp::review
