#pragma once
// A plan file as apply, undo's checks and the review read it (docs/plan.md, "Reading a plan"):
// entry by entry, never whole, with the SHA-256 of its bytes (the journal keys its records by it:
// docs/apply.md). The file is opened once and read as often as its user needs, from the same open
// file: a plan replaced by a rename meanwhile is not seen, and one changed in place is an error.
#include "plan/plan.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gp {

// The plan file cannot be opened or read: "cannot read plan file \"PATH\": REASON".
class PlanUnreadable : public PlanFormatError {
  public:
    PlanUnreadable(const std::string& path, int error);
    int error() const { return error_; }

  private:
    int error_;
};

// What the first reading of a plan learns besides its entries.
struct PlanOutline {
    PlanHeader header;
    std::string sha256;  // of the file's bytes
    std::int64_t entries = 0;
    // The contacts it deletes: its delete_contact and purge_soft_deleted steps (apply's
    // --max-deletions guard: docs/cli.md).
    std::int64_t contact_deletions = 0;
};

// A plan's entries, streamed: each call hands every entry, in the plan's order, to `each`, one at
// a time, and returns after the last (apply_plan takes one: docs/apply.md, "Memory").
using EntryStream = std::function<void(const std::function<void(Entry&&)>& each)>;

// The contact deletions of one entry: its delete_contact and purge_soft_deleted steps.
std::int64_t contact_deletions(const Entry& entry);

// A visitor that keeps everything in `plan`: for what must show the whole plan at once (the
// review page), and read_plan(std::istream&).
PlanVisitor collect_into(Plan& plan);

class StreamedPlan {
  public:
    // Opens the file and reads it through once, checking all of it (so that a plan that is bad
    // anywhere is refused before anything acts on it), handing what it holds to `first` on the
    // way. Throws PlanUnreadable, and what read_plan throws (PlanFormatError, PlanVersionError).
    explicit StreamedPlan(std::string path, const PlanVisitor& first = {});
    ~StreamedPlan();
    StreamedPlan(const StreamedPlan&) = delete;
    StreamedPlan& operator=(const StreamedPlan&) = delete;

    const std::string& path() const { return path_; }
    const PlanOutline& outline() const { return outline_; }

    // One more reading, from the start of the same open file: every entry, in the plan's order,
    // handed over one at a time. Throws PlanFormatError when the file changed since the first
    // reading: before anything is handed over when its size or modification time did, at the end
    // when only its bytes did (then what was handed over came from the changed file).
    void for_each_entry(const std::function<void(Entry&&)>& each) const;
    // for_each_entry as an EntryStream (this StreamedPlan must outlive it).
    EntryStream entries() const {
        return [this](const std::function<void(Entry &&)>& each) { for_each_entry(each); };
    }

  private:
    struct File;
    std::string path_;
    std::unique_ptr<File> file_;
    PlanOutline outline_;
};

}  // namespace gp
