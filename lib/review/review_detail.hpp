#pragma once
// Private to lib/review: the page's parts.
#include "review/review.hpp"

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace gp::review::detail {

extern const std::string_view page_css;
extern const std::string_view page_js;

// Text for HTML element content and attribute values.
std::string html(std::string_view text);
// A JSON string literal that is safe inside <script>: every '<' written as \u003c.
std::string json_string(std::string_view text);
// 12,345
std::string count(std::int64_t value);

// review_data.cpp: the tables' data, as a <script type="application/json" id="gp-data"> block;
// `view`: the journals' entry states, or nullptr.
void write_data(std::ostream& out, const Plan& plan, const JournalView* view);

// review_charts.cpp: inline SVG.
// The tickets a rule's filters accept, by age, against its threshold.
std::string age_chart_svg(const AgeChart& chart);
// The forecast per week: tickets and contacts.
std::string forecast_svg(const std::vector<ForecastDay>& days);

}  // namespace gp::review::detail
