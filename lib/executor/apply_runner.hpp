#pragma once
// Internal to lib/executor's apply (apply.cpp, apply_entry.cpp): the run of one plan.
#include "executor/apply_detail.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gp::executor::detail {

// One apply_plan run: the entries handed out to a few threads, each looked at, then carried out
// step by step, every outcome journaled.
class Runner {
  public:
    Runner(freshdesk::Client& client, const PlanHeader& header, const EntryStream& entries,
           std::string plan_sha256, Journal& journal, const ApplyOptions& options);

    ApplyTotals run();

  private:
    // apply.cpp: the run, the workers, the steps and their records.
    std::optional<Looks::Expected> take_stock();
    void read_names();
    void hand_out();
    std::optional<Entry> next_entry();
    void work();
    void stop(std::exception_ptr error);
    enum class Ending { done, skipped, failed };

    void process(const Entry& entry, const EntryState& state);
    Ending carry_out(const Entry& entry, const EntryState& state, Fresh& fresh, bool exact);
    Ending skip_rest(const Entry& entry, Id gone_before);
    void count(const Step& step, const StepResult& result);
    JournalRecord record_of(const Entry& entry, std::optional<std::size_t> step) const;
    void append(const JournalRecord& record);
    void finish_entry(std::int64_t ApplyTotals::*counter);

    // apply_entry.cpp: an entry looked at before its steps (the look, or the re-read and
    // re-check), and what the run knows of the contact.
    std::chrono::steady_clock::time_point looked_at_at(Id contact_id);
    bool by_look(const Entry& entry, Fresh& fresh, std::optional<Ending>& ending);
    Fresh read_fresh(const Entry& entry);
    std::vector<TicketRecord> archived_of(Id contact_id);
    void archived_found(const TicketRecord& ticket);
    void archived_gone(Id ticket_id);
    std::optional<Ending> reread(const Entry& entry, std::size_t next, bool begun, Fresh& fresh);
    void record_read_failure(const Entry& entry, const std::string& what, int status,
                             const std::string& code);
    std::optional<Ending> conclude(const Entry& entry, std::size_t next, const Check& check);

    freshdesk::Client& client_;
    const PlanHeader& header_;
    const EntryStream& entries_;
    std::string sha_;
    Journal& journal_;
    const ApplyOptions& options_;
    std::string run_;
    UnixTime as_of_;
    bool archive_complete_;  // the plan's archive.complete (false without `archive`)
    Snapshot names_;
    std::unordered_set<Id> blocked_;  // GET /contacts?state=blocked, read once
    // The unfinished entries' states, by contact: the entries to carry out (read-only once the
    // threads start).
    std::unordered_map<Id, EntryState> states_;
    std::int64_t untouched_ = 0;  // of those: not named by any record (no job either)
    // The entries handed out: the reading thread fills it, the workers take from it.
    std::mutex queue_mutex_;  // queue_, queue_closed_, and stop_ as the queue's waits see it
    std::condition_variable queue_changed_;
    std::deque<Entry> queue_;
    std::size_t queue_capacity_ = 1;
    bool queue_closed_ = false;             // the reading ended: what is in queue_ is the last
    std::unique_ptr<detail::Looks> looks_;  // nothing: every entry is re-read
    // The start of the look each looked-at entry relies on (for the window), by contact.
    std::unordered_map<Id, std::chrono::steady_clock::time_point> looked_at_;
    std::atomic<std::int64_t> job_ms_{0};  // the shortest time a job was seen to take; 0: none yet
    std::mutex mutex_;             // totals_, progress_, error_, gone_, the options' callbacks
    std::unordered_set<Id> gone_;  // archived tickets this run deleted or found gone
    ApplyTotals totals_;
    ApplyProgress progress_;
    std::exception_ptr error_;
    std::atomic<bool> stop_{false};
};

}  // namespace gp::executor::detail
