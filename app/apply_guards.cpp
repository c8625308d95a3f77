#include "apply_guards.hpp"

#include "cli.hpp"
#include "util/text.hpp"

#include <iostream>

namespace gp::cli {

namespace {

void check_account(const PlanHeader& header, const std::string& account) {
    if (header.account != account) {
        throw CliError(
            ExitCode::refused,
            "plan is for account " + header.account + ", this run is configured for " + account,
            "make a plan for " + account + ", or run apply against " + header.account);
    }
}

void check_age(const PlanHeader& header, UnixTime now, const Duration& max_age) {
    const auto generated = parse_timestamp(header.generated_at);
    if (!generated) {
        throw CliError(ExitCode::invalid_input, "invalid plan",
                       "generated_at \"" + header.generated_at + "\" is not a UTC timestamp");
    }
    if (now - *generated > max_age.seconds) {
        throw CliError(
            ExitCode::refused,
            "plan generated at " + header.generated_at + " is older than " + max_age.text,
            "make a new plan, or raise --max-plan-age");
    }
}

// A plan from the future, or one that evaluated the rules as of a time still to come (a what-if
// plan: `plan --as-of` next year) would delete what is not due yet.
void check_timing(const PlanHeader& header, UnixTime now) {
    constexpr UnixTime clock_skew = 300;
    const UnixTime generated = parse_timestamp(header.generated_at).value_or(no_time);
    if (generated > now + clock_skew) {
        throw CliError(ExitCode::refused,
                       "plan generated at " + header.generated_at + ", later than now",
                       "check this machine's clock, or make a new plan");
    }
    const auto as_of = parse_timestamp(header.as_of);
    if (as_of && *as_of > now + clock_skew) {
        throw CliError(ExitCode::refused,
                       "plan evaluated as of " + header.as_of +
                           ", later than now: a what-if plan deletes what is not due yet",
                       "make a plan as of now (plan without --as-of) and apply that one");
    }
}

void check_deletions(std::int64_t deletions, std::int64_t max_deletions) {
    if (deletions > max_deletions) {
        throw CliError(ExitCode::refused,
                       "the plan deletes " + std::to_string(deletions) +
                           " contacts, more than --max-deletions " + std::to_string(max_deletions),
                       "review it and raise --max-deletions");
    }
}

}  // namespace

void check_guards(const PlanOutline& plan, const Guards& guards) {
    check_account(plan.header, guards.account);
    check_age(plan.header, guards.now, guards.max_plan_age);
    if (guards.saved_plan) {
        check_timing(plan.header, guards.now);
    }
    check_deletions(plan.contact_deletions, guards.max_deletions);
}

void confirm_apply(const PlanOutline& plan, const std::string& plan_path,
                   std::int64_t entries_done) {
    const Summary& s = plan.header.summary;
    std::cerr << "plan " << plan_path << " for " << plan.header.account << "\n"
              << "  as of " << plan.header.as_of << ", generated at " << plan.header.generated_at
              << "\n"
              << "  contacts to delete: " << s.contacts_to_delete << "\n"
              << "  tickets to delete: " << s.tickets_to_delete << "\n"
              << "  archived tickets to delete, permanently (no trash, no undo): "
              << s.archived_tickets_to_delete << "\n"
              << "  contacts to mark pending: " << s.contacts_to_mark << "\n"
              << "  pending marks to clear: " << s.marks_to_clear << "\n"
              << "  soft-deleted to purge: " << s.soft_deleted_to_purge << "\n"
              << "  entries the journal shows done already: " << entries_done << " of "
              << plan.entries << "\n"
              << "Apply this plan to " << plan.header.account
              << "? Only 'yes' is accepted: " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        std::cerr << "\n";  // the input ended (Ctrl-D) on the prompt's line
    }
    if (trim(answer) != "yes") {
        throw CliError(ExitCode::refused, "apply cancelled", "this plan was not applied");
    }
}

}  // namespace gp::cli
