// The review page's charts, as inline SVG (docs/review.md): no script needed to see them, and
// they print.
#include "review/review_detail.hpp"

#include <algorithm>
#include <cstdio>

namespace gp::review::detail {

namespace {

constexpr int chart_width = 640;
constexpr int chart_height = 180;
constexpr int left = 48;
constexpr int bottom = 28;
constexpr int top = 12;

std::string num(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

std::string text_at(double x, double y, std::string_view anchor, std::string_view content) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + std::string(anchor) +
           "\">" + html(content) + "</text>";
}

std::string rect(double x, double y, double w, double h, std::string_view fill,
                 std::string_view title) {
    return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"" + std::string(fill) + "\"><title>" + html(title) +
           "</title></rect>";
}

std::string open_svg(std::string_view label) {
    return "<svg role=\"img\" aria-label=\"" + html(label) + "\" viewBox=\"0 0 " +
           std::to_string(chart_width) + " " + std::to_string(chart_height) + "\">";
}

std::string y_axis(std::int64_t highest) {
    const double base = chart_height - bottom;
    std::string out = "<line x1=\"" + std::to_string(left) + "\" y1=\"" + num(base) + "\" x2=\"" +
                      std::to_string(chart_width) + "\" y2=\"" + num(base) +
                      "\" stroke=\"#d9dde5\"/>";
    out += text_at(left - 6, top + 8, "end", count(highest));
    out += text_at(left - 6, base, "end", "0");
    return out;
}

}  // namespace

std::string age_chart_svg(const AgeChart& chart) {
    std::vector<std::int64_t> bars = chart.counts;
    bars.push_back(chart.older);
    const std::int64_t highest =
        std::max<std::int64_t>(1, *std::max_element(bars.begin(), bars.end()));
    const double plot_width = chart_width - left - 8;
    const double bar_width = plot_width / static_cast<double>(bars.size());
    const double plot_height = chart_height - bottom - top;
    const double base = chart_height - bottom;
    const double threshold_at =
        static_cast<double>(chart.threshold_days) / static_cast<double>(chart.bucket_days);
    std::string out = open_svg("closed tickets of rule " + chart.rule +
                               " by age in days, against "
                               "its threshold of " +
                               std::to_string(chart.threshold_days) + " days");
    out += y_axis(highest);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double h = plot_height * static_cast<double>(bars[i]) / static_cast<double>(highest);
        const bool last = i + 1 == bars.size();
        const std::int64_t from = static_cast<std::int64_t>(i) * chart.bucket_days;
        const std::string range = last ? std::to_string(from) + " days and older"
                                       : std::to_string(from) + "\u2013" +
                                             std::to_string(from + chart.bucket_days - 1) + " days";
        // Past the threshold: what the rule may take (unless a protection or another ticket of
        // the contact says otherwise).
        const bool past = static_cast<double>(i) >= threshold_at;
        out += rect(left + bar_width * static_cast<double>(i) + 1, base - h, bar_width - 2, h,
                    past ? "#c0392b" : "#5b7fa6", range + ": " + count(bars[i]) + " ticket(s)");
    }
    const double x = left + bar_width * threshold_at;
    out += "<line x1=\"" + num(x) + "\" y1=\"" + num(top - 4) + "\" x2=\"" + num(x) + "\" y2=\"" +
           num(base + 4) + "\" stroke=\"#1d2330\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>";
    out += text_at(x + 4, top + 4, "start",
                   "older than " + std::to_string(chart.threshold_days) + " days");
    for (int k = 0; k <= 4; ++k) {
        const double at = threshold_at * k;
        if (at <= static_cast<double>(age_chart_buckets)) {
            out += text_at(left + bar_width * at, base + 16, "middle",
                           std::to_string(chart.threshold_days * k) + "d");
        }
    }
    out += "</svg>";
    return out;
}

std::string forecast_svg(const std::vector<ForecastDay>& days) {
    struct Week {
        std::string from;
        std::int64_t tickets = 0;
        std::int64_t contacts = 0;
    };
    std::vector<Week> weeks;
    for (std::size_t i = 0; i < days.size(); ++i) {
        if (i % 7 == 0) {
            weeks.push_back({days[i].date});
        }
        weeks.back().tickets += days[i].tickets + days[i].archived_tickets;
        weeks.back().contacts += days[i].contacts + days[i].purged;
    }
    std::int64_t highest = 1;
    for (const Week& week : weeks) {
        highest = std::max({highest, week.tickets, week.contacts});
    }
    const double plot_width = chart_width - left - 8;
    const double slot = plot_width / static_cast<double>(std::max<std::size_t>(1, weeks.size()));
    const double plot_height = chart_height - bottom - top;
    const double base = chart_height - bottom;
    std::string out = open_svg("tickets and contacts the rules would delete per week");
    out += y_axis(highest);
    for (std::size_t i = 0; i < weeks.size(); ++i) {
        const double x = left + slot * static_cast<double>(i);
        const double th =
            plot_height * static_cast<double>(weeks[i].tickets) / static_cast<double>(highest);
        const double ch =
            plot_height * static_cast<double>(weeks[i].contacts) / static_cast<double>(highest);
        out += rect(x + slot * 0.1, base - th, slot * 0.4, th, "#c0392b",
                    "week of " + weeks[i].from + ": " + count(weeks[i].tickets) + " ticket(s)");
        out += rect(x + slot * 0.5, base - ch, slot * 0.4, ch, "#5b7fa6",
                    "week of " + weeks[i].from + ": " + count(weeks[i].contacts) + " contact(s)");
        if (weeks.size() <= 8 || i % ((weeks.size() + 7) / 8) == 0) {
            out += text_at(x + slot * 0.5, base + 16, "middle", weeks[i].from.substr(5));
        }
    }
    out += "</svg>";
    return out;
}

}  // namespace gp::review::detail
