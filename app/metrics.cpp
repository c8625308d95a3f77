#include "metrics.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace gp::cli {

namespace {

constexpr std::string_view prefix = "gdpr_purge_";

// The Prometheus text format (docs/logs.md) is written by hand: no library in the stack writes
// it, and a few gauges need none.
void append_metric(std::string& out, std::string_view name, std::string_view help,
                   const std::string& labels, double value) {
    out += "# HELP ";
    out += prefix;
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += prefix;
    out += name;
    out += " gauge\n";
    out += prefix;
    out += name;
    out += labels;
    out += ' ';
    out += format_metric_value(value);
    out += '\n';
}

// Where a sample's labels end: after the closing brace that no quoted value holds.
std::size_t end_of_labels(std::string_view line, std::size_t open) {
    bool quoted = false;
    for (std::size_t i = open + 1; i < line.size(); ++i) {
        if (quoted && line[i] == '\\') {
            ++i;  // an escaped character, maybe a quote
        } else if (line[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && line[i] == '}') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

std::optional<double> sample_value(std::string_view line, std::string_view metric) {
    if (!line.starts_with(metric)) {
        return std::nullopt;
    }
    std::size_t at = metric.size();
    if (at < line.size() && line[at] == '{') {
        at = end_of_labels(line, at);
    }
    if (at >= line.size() || (line[at] != ' ' && line[at] != '\t')) {
        return std::nullopt;  // another metric whose name starts with this one, or no value
    }
    line.remove_prefix(at);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    line.remove_prefix(first);
    const std::string_view number = line.substr(0, line.find_first_of(" \t\r"));
    double value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error != std::errc() || end != number.data() + number.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_metric_value(double value) {
    char buffer[64];
    // Fixed notation: a timestamp stays 1795000000, not 1.795e+09.
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, result.ptr);
}

std::string metrics_text(const std::vector<Metric>& figures, const MetricsRun& run,
                         std::optional<double> previous_success) {
    const std::string labels = "{account=\"" + escape_label_value(run.account) + "\",command=\"" +
                               escape_label_value(run.command) + "\"}";
    std::string out;
    for (const Metric& metric : figures) {
        append_metric(out, metric.name, metric.help, labels, metric.value);
    }
    const auto finished = static_cast<double>(run.finished_at);
    append_metric(out, "duration_seconds", "Duration of the last run in seconds.", labels,
                  run.duration_seconds);
    append_metric(out, "last_run_timestamp_seconds", "When the last run ended, in Unix time.",
                  labels, finished);
    append_metric(out, "last_run_success", "1 when the last run succeeded (exit 0), else 0.",
                  labels, run.success ? 1 : 0);
    const std::optional<double> last_success = run.success ? finished : previous_success;
    if (last_success) {
        append_metric(out, last_success_metric.substr(prefix.size()),
                      "When the last successful run ended, in Unix time.", labels, *last_success);
    }
    return out;
}

std::optional<double> find_metric_value(std::string_view text, std::string_view metric) {
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        if (const auto value = sample_value(line, metric)) {
            return value;
        }
        if (end == std::string_view::npos) {
            break;
        }
        text.remove_prefix(end + 1);
    }
    return std::nullopt;
}

std::optional<double> previous_last_success(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return find_metric_value(text.str(), last_success_metric);
}

}  // namespace gp::cli
