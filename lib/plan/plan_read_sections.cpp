// The plan's optional sections for people (docs/plan.md): `ticket_ages` and `forecast`, read as
// strictly as the rest.
#include "plan/plan_read_values.hpp"

#include "time/time.hpp"

namespace gp::plan_read {

namespace bj = boost::json;

namespace {

Since to_since(const bj::value& value, const std::string& path) {
    const std::string text = to_text(value, path);
    for (const Since since : {Since::closed, Since::created, Since::updated}) {
        if (text == to_string(since)) {
            return since;
        }
    }
    fail(path, "expected \"closed\", \"created\" or \"updated\", got " + describe(value));
}

AgeChart to_age_chart(const bj::value& value, const std::string& path) {
    Fields fields(value, path);
    fields.allow_only(
        {"rule", "since", "threshold_days", "bucket_days", "counts", "older", "open"});
    AgeChart chart;
    chart.rule = to_text(fields.at("rule"), fields.path("rule"));
    chart.since = to_since(fields.at("since"), fields.path("since"));
    chart.threshold_days = to_count(fields.at("threshold_days"), fields.path("threshold_days"));
    chart.bucket_days = to_count(fields.at("bucket_days"), fields.path("bucket_days"));
    if (chart.bucket_days == 0) {
        fail(fields.path("bucket_days"), "must be at least 1");
    }
    const bj::array& counts = to_array(fields.at("counts"), fields.path("counts"));
    if (counts.size() != age_chart_buckets) {
        fail(fields.path("counts"), "expected " + std::to_string(age_chart_buckets) +
                                        " buckets, got " + std::to_string(counts.size()));
    }
    for (std::size_t i = 0; i < counts.size(); ++i) {
        chart.counts.push_back(to_count(counts[i], json::append_index(fields.path("counts"), i)));
    }
    chart.older = to_count(fields.at("older"), fields.path("older"));
    chart.open = to_count(fields.at("open"), fields.path("open"));
    return chart;
}

ForecastDay to_forecast_day(const bj::value& value, const std::string& path) {
    Fields fields(value, path);
    fields.allow_only({"date", "tickets", "archived_tickets", "contacts", "marked", "purged"});
    ForecastDay day;
    day.date = to_text(fields.at("date"), fields.path("date"));
    if (!parse_date(day.date)) {
        fail(fields.path("date"), "expected a date YYYY-MM-DD, got " + describe(fields.at("date")));
    }
    const std::pair<std::string_view, std::int64_t*> counts[] = {
        {"tickets", &day.tickets},
        {"archived_tickets", &day.archived_tickets},
        {"contacts", &day.contacts},
        {"marked", &day.marked},
        {"purged", &day.purged}};
    for (const auto& [key, count] : counts) {
        *count = to_count(fields.at(key), fields.path(key));
    }
    return day;
}

}  // namespace

std::vector<AgeChart> to_ticket_ages(const bj::value& value, const std::string& path) {
    const bj::array& array = to_array(value, path);
    std::vector<AgeChart> charts;
    for (std::size_t i = 0; i < array.size(); ++i) {
        charts.push_back(to_age_chart(array[i], json::append_index(path, i)));
    }
    return charts;
}

std::vector<ForecastDay> to_forecast(const bj::value& value, const std::string& path) {
    const bj::array& array = to_array(value, path);
    if (array.size() > static_cast<std::size_t>(max_forecast_days)) {
        fail(path, "more than " + std::to_string(max_forecast_days) + " days");
    }
    std::vector<ForecastDay> days;
    for (std::size_t i = 0; i < array.size(); ++i) {
        days.push_back(to_forecast_day(array[i], json::append_index(path, i)));
        if (i > 0 && days[i].date <= days[i - 1].date) {
            fail(json::append_index(path, i), "dates must be ascending");
        }
    }
    return days;
}

}  // namespace gp::plan_read
