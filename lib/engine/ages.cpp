// docs/plan.md, `ticket_ages`: the account's tickets by age, per ticket rule, for the review
// page's chart. The same filters (in_scope) and the same reference times as the rules use.
#include "engine/evaluator.hpp"

namespace gp {

namespace engine_detail {

std::vector<AgeChart> Evaluator::age_charts() const {
    std::vector<AgeChart> charts;
    for (const ResolvedRule& rule : resolved_.ticket_rules) {
        const TicketRule& spec = *rule.rule;
        AgeChart chart;
        chart.rule = spec.name;
        chart.since = spec.since;
        chart.threshold_days = spec.older_than.seconds / seconds_per_day;
        // A quarter of the threshold: bucket 4 starts at it, the chart shows four thresholds.
        chart.bucket_days = std::max<std::int64_t>(1, chart.threshold_days / 4);
        chart.counts.assign(age_chart_buckets, 0);
        for (const Ticket& ticket : snapshot_.tickets()) {
            if (!ticket.current() || !in_scope(ticket, rule)) {
                continue;
            }
            // An archived ticket is closed for good, whatever closed_statuses says.
            if (!ticket.archived && !rules_.counts_as_closed(ticket.status)) {
                ++chart.open;
                continue;
            }
            const UnixTime reference = reference_time(ticket, spec.since);
            const std::int64_t age_days =
                reference == no_time
                    ? 0
                    : std::max<std::int64_t>(0, (as_of_ - reference) / seconds_per_day);
            const auto bucket = static_cast<std::size_t>(age_days / chart.bucket_days);
            if (bucket < age_chart_buckets) {
                ++chart.counts[bucket];
            } else {
                ++chart.older;
            }
        }
        charts.push_back(std::move(chart));
    }
    return charts;
}

}  // namespace engine_detail

std::vector<AgeChart> ticket_ages(const Snapshot& snapshot, const Rules& rules, UnixTime as_of) {
    return engine_detail::Evaluator(snapshot, rules, as_of).age_charts();
}

}  // namespace gp
