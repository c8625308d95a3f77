// Where each entry of a plan stands, per the journal records of that plan (docs/apply.md, "After a
// crash, a kill or a failed step").
#include "executor/apply_detail.hpp"

#include <map>
#include <set>

namespace gp::executor::detail {

std::unordered_map<Id, EntryState> entry_states(const std::vector<JournalRecord>& records,
                                                const std::string& plan_sha256,
                                                const std::vector<Entry>& entries) {
    std::map<Id, std::set<int>> done;
    std::map<Id, std::set<int>> begun;  // steps with a started record, a job's or not
    std::map<Id, std::pair<int, std::string>> jobs;
    std::set<Id> skipped;
    std::set<Id> recorded;
    for (const JournalRecord& r : records) {
        if (r.source != JournalSource::plan || r.source_sha256 != plan_sha256) {
            continue;
        }
        recorded.insert(r.contact_id);
        if (r.outcome == Outcome::skipped && !r.step) {
            skipped.insert(r.contact_id);
        } else if (r.outcome == Outcome::done && r.step) {
            done[r.contact_id].insert(*r.step);
        } else if (r.outcome == Outcome::started && r.step) {
            begun[r.contact_id].insert(*r.step);
            // Only a started record with a job_id is a bulk job to wait for; one without (the
            // archived deletions') only says that the step's calls began.
            if (!r.job_id.empty()) {
                jobs[r.contact_id] = {*r.step, r.job_id};
            }
        }
    }
    std::unordered_map<Id, EntryState> states;
    for (const Entry& entry : entries) {
        EntryState state;
        const auto& steps = done[entry.contact_id];
        while (state.next_step < entry.steps.size() &&
               steps.contains(static_cast<int>(state.next_step))) {
            ++state.next_step;
        }
        state.skipped = skipped.contains(entry.contact_id);
        const int next = static_cast<int>(state.next_step);
        if (auto it = jobs.find(entry.contact_id); it != jobs.end() && it->second.first == next) {
            state.job_id = it->second.second;
        }
        state.begun = begun[entry.contact_id].contains(next);
        state.recorded = recorded.contains(entry.contact_id);
        states.emplace(entry.contact_id, std::move(state));
    }
    return states;
}

}  // namespace gp::executor::detail

namespace gp::executor {

std::int64_t entries_finished(const Plan& plan, const std::string& plan_sha256,
                              const std::vector<JournalRecord>& records) {
    const auto states = detail::entry_states(records, plan_sha256, plan.entries);
    std::int64_t count = 0;
    for (const Entry& entry : plan.entries) {
        count += states.at(entry.contact_id).finished(entry) ? 1 : 0;
    }
    return count;
}

}  // namespace gp::executor
