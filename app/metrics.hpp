#pragma once
// --metrics-file: the run's figures in Prometheus' text exposition format, for node_exporter's
// textfile collector. Every metric is a gauge labelled with the account and the command. The time
// of the last successful run is carried over from the file's previous version when this run fails,
// so that an alert such as "no successful purge in 2 days" holds across failed runs.
//
// Pure text in and out (the caller writes the file atomically): no I/O but reading the old file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gp::cli {

// One figure of the run: gdpr_purge_<name>.
struct Metric {
    std::string_view name;  // "contacts_deleted"
    std::string_view help;  // one sentence, "Contacts deleted by the last run."
    double value = 0;
};

// What every metrics file holds besides the command's figures.
struct MetricsRun {
    std::string account;
    std::string command;  // "apply", "undo-soft"
    double duration_seconds = 0;
    std::int64_t finished_at = 0;  // Unix time
    bool success = false;          // exit 0
};

// How a run ended, for MetricsRun::success.
enum class RunEnd { failed, succeeded };

inline constexpr std::string_view last_success_metric = "gdpr_purge_last_success_timestamp_seconds";

// The whole file: the figures, then duration_seconds, last_run_timestamp_seconds,
// last_run_success and last_success_timestamp_seconds (this run's end when it succeeded, else
// `previous_success`; left out when there is none).
std::string metrics_text(const std::vector<Metric>& figures, const MetricsRun& run,
                         std::optional<double> previous_success);

// The value of the first sample of `metric` in a text of the exposition format, whatever its
// labels; nothing when absent or unreadable.
std::optional<double> find_metric_value(std::string_view text, std::string_view metric);

// The last success time that the metrics file at `path` holds; nothing when there is no file.
std::optional<double> previous_last_success(const std::string& path);

// A label value as the format writes it between double quotes: \ " and newline escaped.
std::string escape_label_value(std::string_view value);

// A sample value: integers without a fraction, others in the shortest exact form.
std::string format_metric_value(double value);

}  // namespace gp::cli
