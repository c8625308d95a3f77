#pragma once
// --state-dir and --archive-budget (plan, apply): where the account's archive index lives and
// what one run may spend finding archived tickets (docs/reading.md, "Archived tickets"); opening
// the index; and how the plan's archive coverage reads for people and in JSON.
#include "archive/index.hpp"
#include "options.hpp"
#include "plan/plan.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gp::cli {

inline constexpr std::int64_t default_archive_budget = 20000;

struct ArchiveSettings {
    std::string state_dir;                         // never empty once read
    std::int64_t budget = default_archive_budget;  // -1: all
};

// Adds --state-dir and --archive-budget as a section of their own.
void add_archive_options(po::options_description& visible);

// Throws CliError (usage): a budget that is neither a whole number nor "all", no state directory
// (none given and neither XDG_STATE_HOME nor HOME set).
ArchiveSettings read_archive_settings(std::string_view command, const po::variables_map& values);

// The account's index under the state directory; its warnings (an index set aside, one held by
// another run) are emitted. Throws CliError (usage) when the directory or file cannot be made.
std::unique_ptr<archive::Index> open_archive_index(std::string_view command,
                                                   const ArchiveSettings& settings,
                                                   const std::string& account);

// "archive: 412000 of 800000 ids known; about 20 more runs at this budget" (or "complete", or
// "the account does not archive").
std::string archive_line(const ArchiveCoverage& coverage);

// The plan's `archive` object as the report and the summary event show it.
boost::json::object archive_json(const ArchiveCoverage& coverage);

}  // namespace gp::cli
