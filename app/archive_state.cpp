#include "archive_state.hpp"

#include "cli.hpp"
#include "output.hpp"
#include "util/text.hpp"

#include <charconv>

namespace gp::cli {

void add_archive_options(po::options_description& visible) {
    po::options_description options("archived tickets");
    auto add = options.add_options();
    add("state-dir", po::value<std::string>()->value_name("DIR"),
        "keep the account's archive index in DIR: what was learnt of archived tickets, so that "
        "each id is probed once (default: $XDG_STATE_HOME/gdpr-purge, else "
        "~/.local/state/gdpr-purge)");
    static const std::string budget_help =
        "spend at most N credits on finding archived tickets in this run; 0: none (default: " +
        std::to_string(default_archive_budget) + ")";
    add("archive-budget", po::value<std::string>()->value_name("N|all"), budget_help.c_str());
    visible.add(options);
}

ArchiveSettings read_archive_settings(std::string_view command, const po::variables_map& values) {
    ArchiveSettings settings;
    settings.state_dir = given(values, "state-dir");
    if (settings.state_dir.empty()) {
        settings.state_dir = archive::default_state_dir();
    }
    if (settings.state_dir.empty()) {
        throw usage_error(command,
                          "no state directory: give --state-dir DIR (neither "
                          "XDG_STATE_HOME nor HOME is set)");
    }
    const std::string budget = std::string(trim(given(values, "archive-budget")));
    if (budget.empty()) {
        return settings;
    }
    if (budget == "all") {
        settings.budget = -1;
        return settings;
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(budget.data(), budget.data() + budget.size(), value);
    if (error != std::errc() || end != budget.data() + budget.size() || value < 0) {
        throw usage_error(command,
                          "option --archive-budget must be a whole number of credits "
                          "(0 or more) or \"all\"");
    }
    settings.budget = value;
    return settings;
}

std::unique_ptr<archive::Index> open_archive_index(std::string_view command,
                                                   const ArchiveSettings& settings,
                                                   const std::string& account) {
    std::vector<std::string> warnings;
    std::unique_ptr<archive::Index> index;
    try {
        index = archive::Index::open(settings.state_dir, account, warnings);
    } catch (const archive::IndexError& error) {
        throw CliError(ExitCode::usage, "cannot use the state directory " + settings.state_dir,
                       error.what());
    }
    for (const std::string& warning : warnings) {
        emit(Level::warning, "archive_index",
             "gdpr-purge " + std::string(command) + ": warning: " + warning,
             boost::json::object{{"message", warning}});
    }
    return index;
}

std::string archive_line(const ArchiveCoverage& coverage) {
    if (coverage.feature == false) {
        return "archive: the account does not archive tickets";
    }
    const std::int64_t known = coverage.highest_id - coverage.unprobed;
    std::string text = "archive: " + std::to_string(known) + " of " +
                       std::to_string(coverage.highest_id) + " ids known (" +
                       std::to_string(coverage.archived_known) + " archived, " +
                       std::to_string(coverage.probes) + " probed in this run)";
    if (coverage.complete) {
        return text + "; complete";
    }
    if (coverage.budget == 0) {
        return text + "; incomplete: --archive-budget is 0, contact deletions wait";
    }
    const std::int64_t per_run = coverage.budget < 0 ? coverage.unprobed : coverage.budget;
    const std::int64_t runs = (coverage.unprobed + per_run - 1) / per_run;
    return text + "; about " + std::to_string(runs) + " more run" + (runs == 1 ? "" : "s") +
           " at this budget; contact deletions wait until it is complete";
}

boost::json::object archive_json(const ArchiveCoverage& coverage) {
    boost::json::object out;
    out["feature"] =
        coverage.feature ? boost::json::value(*coverage.feature) : boost::json::value(nullptr);
    out["complete"] = coverage.complete;
    out["highest_id"] = coverage.highest_id;
    out["archived_known"] = coverage.archived_known;
    out["gone_known"] = coverage.gone_known;
    out["unprobed"] = coverage.unprobed;
    out["probes"] = coverage.probes;
    out["budget"] =
        coverage.budget < 0 ? boost::json::value("all") : boost::json::value(coverage.budget);
    return out;
}

}  // namespace gp::cli
