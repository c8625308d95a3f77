// Where each entry of a plan stands, per the journal records of that plan (docs/apply.md, "After a
// crash, a kill or a failed step").
#include "executor/apply_detail.hpp"

namespace gp::executor::detail {

JournalStates::JournalStates(const std::vector<JournalRecord>& records,
                             const std::string& plan_sha256) {
    for (const JournalRecord& r : records) {
        if (r.source != JournalSource::plan || r.source_sha256 != plan_sha256) {
            continue;
        }
        recorded_.insert(r.contact_id);
        if (r.outcome == Outcome::skipped && !r.step) {
            skipped_.insert(r.contact_id);
        } else if (r.outcome == Outcome::done && r.step) {
            done_[r.contact_id].insert(*r.step);
        } else if (r.outcome == Outcome::started && r.step) {
            begun_[r.contact_id].insert(*r.step);
            // Only a started record with a job_id is a bulk job to wait for; one without (the
            // archived deletions') only says that the step's calls began.
            if (!r.job_id.empty()) {
                jobs_[r.contact_id] = {*r.step, r.job_id};
            }
        }
    }
}

EntryState JournalStates::of(const Entry& entry) const {
    EntryState state;
    const Id id = entry.contact_id;
    if (const auto done = done_.find(id); done != done_.end()) {
        while (state.next_step < entry.steps.size() &&
               done->second.contains(static_cast<int>(state.next_step))) {
            ++state.next_step;
        }
    }
    state.skipped = skipped_.contains(id);
    const int next = static_cast<int>(state.next_step);
    if (const auto job = jobs_.find(id); job != jobs_.end() && job->second.first == next) {
        state.job_id = job->second.second;
    }
    const auto begun = begun_.find(id);
    state.begun = begun != begun_.end() && begun->second.contains(next);
    state.recorded = recorded_.contains(id);
    return state;
}

std::unordered_map<Id, EntryState> entry_states(const std::vector<JournalRecord>& records,
                                                const std::string& plan_sha256,
                                                const std::vector<Entry>& entries) {
    const JournalStates journal(records, plan_sha256);
    std::unordered_map<Id, EntryState> states;
    for (const Entry& entry : entries) {
        states.emplace(entry.contact_id, journal.of(entry));
    }
    return states;
}

}  // namespace gp::executor::detail

namespace gp::executor {

std::int64_t entries_finished(const EntryStream& entries, const std::string& plan_sha256,
                              const std::vector<JournalRecord>& records) {
    const detail::JournalStates journal(records, plan_sha256);
    std::int64_t count = 0;
    entries([&](Entry&& entry) { count += journal.of(entry).finished(entry) ? 1 : 0; });
    return count;
}

std::int64_t entries_finished(const Plan& plan, const std::string& plan_sha256,
                              const std::vector<JournalRecord>& records) {
    return entries_finished(entries_of(plan), plan_sha256, records);
}

EntryStream entries_of(const Plan& plan) {
    return [&plan](const std::function<void(Entry &&)>& each) {
        for (const Entry& entry : plan.entries) {
            each(Entry(entry));
        }
    };
}

}  // namespace gp::executor
