#pragma once
// Follows the executor while it works (its callbacks come from several threads): the progress
// line on a terminal, a line per journal record (skips and failures always, the rest with -v),
// and a tally of the records, which gives the metrics of a run that an error stops before the
// executor returns its totals.
#include "executor/executor.hpp"
#include "freshdesk/client.hpp"
#include "output.hpp"

#include <mutex>
#include <set>
#include <string>

namespace gp::cli {

class ApplyWatcher {
  public:
    explicit ApplyWatcher(freshdesk::Client& client) : client_(client) {}

    void on_progress(const executor::ApplyProgress& progress);
    void on_record(const executor::JournalRecord& record);
    void done();

    // What this run's records show so far (entries done, done before and totals unknown).
    executor::ApplyTotals tally() const;
    // The run id the records of the plan now executed carry; "" before the first.
    std::string run_id() const;
    // Another plan is executed next (apply --rules after a resumption): its records carry another
    // run id.
    void next_plan();

  private:
    void count(const executor::JournalRecord& record);  // with the lock held

    freshdesk::Client& client_;
    mutable std::mutex mutex_;
    ProgressLine line_;
    ProgressFacts facts_;
    executor::ApplyTotals tally_;
    std::set<Id> failed_contacts_;
    std::string run_;
};

}  // namespace gp::cli
