#pragma once
// The files that `apply --rules` makes in the current directory (docs/cli.md, "Default files"):
// gdpr-purge-<UTC time>.plan.json and the .journal.jsonl next to it. A cron script may work
// through several accounts in one directory, and two runs may start within the same second: the
// name is reserved (the plan file created exclusively) and gets "-2", "-3", ... when taken, so that
// each run keeps its own plan and journal.
#include "time/time.hpp"

#include <string>

namespace gp::cli {

// "gdpr-purge-20261129T040003Z": the UTC time in a form that is safe in a file name.
std::string made_plan_base_name(UnixTime now);

class MadePlanName {
  public:
    // Reserves the first free name: no plan and no journal of that name. Throws CliError (usage)
    // when the current directory is not writable.
    explicit MadePlanName(UnixTime now);
    // Removes the reserved, still empty plan file unless keep() was called.
    ~MadePlanName();
    MadePlanName(const MadePlanName&) = delete;
    MadePlanName& operator=(const MadePlanName&) = delete;

    std::string plan_path() const { return base_ + ".plan.json"; }
    std::string journal_path() const { return base_ + ".journal.jsonl"; }
    // The plan was written over the reservation: it stays.
    void keep() { kept_ = true; }

  private:
    std::string base_;
    bool kept_ = false;
};

}  // namespace gp::cli
