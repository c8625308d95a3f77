#pragma once
// Speculation during the tickets pass (docs/reading.md, "The reads, in order", 6b): which contacts
// to view before the last ticket is read. On the calling thread only; the views themselves are
// the overlap's (reader_overlap.cpp).
#include "reader/reader_detail.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gp::reader::detail {

// A contact the tickets pass has shown no ticket of for this long (on the pass's own clock: the
// updated_at of the rows it reads) is taken to have no later one: when the rules would take it on
// what was read so far, it is viewed at once, while the pass goes on. Near the end of the pass
// (now: ReadOptions::now or this machine's clock), quiet_factor times what is left to read
// suffices, and at least quiet_least.
inline constexpr std::int64_t quiet_seconds = 365 * seconds_per_day;
inline constexpr std::int64_t quiet_least = 30 * seconds_per_day;
inline constexpr std::int64_t quiet_factor = 3;

// Hears of every ticket the lists add and hands to `ask` the contacts worth viewing now: those the
// rules would take on their tickets read so far, once quiet (above), and near the pass's end the
// orphan rule's aged contacts that no ticket names (`aged` gives them once the contacts list is
// read, nullopt before). A guess only: the exact candidates are computed once every ticket is read.
class Speculation final : public TicketWatcher {
  public:
    using Ask = std::function<void(const std::vector<Id>&)>;
    using Aged = std::function<std::optional<std::vector<Id>>()>;

    Speculation(const ReadOptions& options, const Rules& rules, const Snapshot& names, Ask ask,
                Aged aged);

    // False once it has given up (tags missing from the lists, contacts coming back too often)
    // or ended.
    bool active() const { return active_; }
    // The tickets pass is over.
    void end() { active_ = false; }
    void added(const Snapshot& snapshot, std::size_t index, bool has_tags) override;

  private:
    struct Who {
        UnixTime last_seen = no_time;  // the newest updated_at of its live tickets
        std::uint32_t head = 0;        // 1 + the index of its latest ticket in the snapshot
        std::uint32_t count = 0;       // its tickets in the snapshot
        std::uint32_t evaluated = 0;   // `count` when the rules last looked at it
        bool viewed = false;           // its view asked for by speculation
    };

    void step(const Snapshot& snapshot);
    void evaluate_batch(const Snapshot& snapshot, UnixTime until);
    void speculate_orphans();
    bool is_agent(Id id) const;
    bool has_archived(Id id) const;

    const ReadOptions& options_;
    const Rules& rules_;
    Ask ask_;
    Aged aged_;
    bool active_ = false;
    bool tag_rules_ = false;
    std::unordered_map<Id, Who> who_;
    std::vector<std::uint32_t> previous_;  // per snapshot ticket: 1 + its requester's one before
    std::deque<std::pair<UnixTime, Id>> quiet_;  // (updated_at, requester) of the live rows
    UnixTime cursor_ = no_time;                  // the newest updated_at the pass has shown
    std::int64_t live_rows_ = 0;
    std::int64_t pages_since_batch_ = 0;
    std::vector<Id> batch_;
    std::vector<Id> agents_;               // sorted
    std::vector<Id> archived_requesters_;  // sorted: their archived tickets are not in the pass
    std::int64_t speculated_ = 0;
    std::int64_t revisits_ = 0;
    UnixTime present_ = no_time;       // ReadOptions::now, or this machine's clock
    UnixTime orphans_from_ = no_time;  // no_time: no orphan rule, or its candidates were asked for
};

}  // namespace gp::reader::detail
