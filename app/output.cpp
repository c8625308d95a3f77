#include "output.hpp"

#include "options.hpp"
#include "time/time.hpp"
#include "util/clock.hpp"

#include <boost/json/serialize.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace gp::cli {

namespace {

// One lock for every line written to standard error and for the progress line's state.
std::mutex& output_mutex() {
    static std::mutex mutex;
    return mutex;
}

OutputSettings& settings() {
    static OutputSettings value;
    return value;
}

std::string& progress_text() {  // what the terminal shows now ("" when nothing)
    static std::string text;
    return text;
}

std::string now_timestamp() {
    return format_timestamp(now_seconds());
}

std::string_view level_name(Level level) {
    switch (level) {
        case Level::detail:
        case Level::info:
            return "info";
        case Level::warning:
            return "warning";
        case Level::error:
            return "error";
    }
    return "info";
}

// Called with the lock held.
void write_line(const std::string& line) {
    if (!progress_text().empty()) {
        std::cerr << "\r\033[K";
    }
    std::cerr << line << "\n";
    if (!progress_text().empty()) {
        std::cerr << progress_text();
    }
    std::cerr.flush();
}

void write_json(std::string& out, const json::value& value);

void write_double(std::string& out, double number) {
    if (!std::isfinite(number)) {
        out += "null";
        return;
    }
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
    out += text;
    if (text.find_first_of(".eE") == std::string_view::npos) {
        out += ".0";  // stays a double when read back
    }
}

void write_json(std::string& out, const json::value& value) {
    if (value.is_double()) {
        write_double(out, value.get_double());
    } else if (value.is_object()) {
        out += '{';
        const char* separator = "";
        for (const auto& item : value.get_object()) {
            out += separator;
            out += json::serialize(json::string(item.key()));
            out += ':';
            write_json(out, item.value());
            separator = ",";
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        const char* separator = "";
        for (const auto& item : value.get_array()) {
            out += separator;
            write_json(out, item);
            separator = ",";
        }
        out += ']';
    } else {
        out += json::serialize(value);
    }
}

}  // namespace

void set_output(const OutputSettings& value) {
    const std::lock_guard lock(output_mutex());
    settings() = value;
}

const OutputSettings& output_settings() {
    return settings();
}

bool stderr_is_terminal() {
    return isatty(STDERR_FILENO) == 1;
}

void set_early_output(std::string_view command, const Args& args) {
    OutputSettings early;
    early.command = command;
    early.format = scan_log_format(args);
    set_output(early);
}

LogFormat scan_log_format(const Args& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--log-format=json" ||
            (args[i] == "--log-format" && i + 1 < args.size() && args[i + 1] == "json")) {
            return LogFormat::json;
        }
    }
    return LogFormat::text;
}

LogFormat parse_log_format(std::string_view command, const std::string& value) {
    if (value == "text") {
        return LogFormat::text;
    }
    if (value == "json") {
        return LogFormat::json;
    }
    throw usage_error(command, "option --log-format must be text or json");
}

void emit(Level level, std::string_view event, std::string_view text, json::object fields) {
    const std::lock_guard lock(output_mutex());
    const OutputSettings& current = settings();
    if (!shown(current, level)) {
        return;
    }
    if (current.format == LogFormat::text) {
        write_line(std::string(text));
        return;
    }
    json::object line;
    line["ts"] = now_timestamp();
    line["level"] = level_name(level);
    line["command"] = current.command.empty() ? "gdpr-purge" : current.command;
    line["event"] = event;
    for (auto& item : fields) {
        line[item.key()] = std::move(item.value());
    }
    write_line(to_json_text(line));
}

void emit_error(std::string_view prefix, std::string_view message, ExitCode code) {
    json::object fields;
    fields["message"] = message;
    fields["exit_code"] = static_cast<int>(code);
    emit(Level::error, "error", std::string(prefix) + ": " + std::string(message),
         std::move(fields));
}

void emit_rules_problems(std::string_view file, const std::vector<RulesProblem>& problems,
                         ExitCode code) {
    for (const RulesProblem& problem : problems) {
        const std::string text = std::string(file) + ": " + to_string(problem);
        json::object fields{{"message", text},
                            {"file", file},
                            {"path", problem.path},
                            {"exit_code", static_cast<int>(code)}};
        emit(Level::error, "error", text, std::move(fields));
    }
}

std::string to_json_text(const json::value& value) {
    std::string out;
    write_json(out, value);
    return out;
}

double seconds_between(std::chrono::steady_clock::time_point from,
                       std::chrono::steady_clock::time_point to) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
    return std::round(static_cast<double>(ms) / 100.0) / 10.0;
}

// ---- progress line

namespace {

std::string format_eta(std::int64_t seconds) {
    std::string text;
    if (seconds >= 3600) {
        text = std::to_string(seconds / 3600) + "h";
        seconds %= 3600;
        return text + (seconds / 60 < 10 ? "0" : "") + std::to_string(seconds / 60) + "m";
    }
    if (seconds >= 60) {
        text = std::to_string(seconds / 60) + "m";
        seconds %= 60;
        return text + (seconds < 10 ? "0" : "") + std::to_string(seconds) + "s";
    }
    return std::to_string(seconds) + "s";
}

std::size_t terminal_width() {
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return size.ws_col;
    }
    return 80;
}

// The phase and what changes fastest first: a narrow terminal cuts the end of the line.
std::string progress_body(const ProgressFacts& facts, const std::string& eta) {
    std::string text = facts.phase;
    if (facts.views_total > 0) {
        text += " " + std::to_string(facts.views_done) + "/" + std::to_string(facts.views_total) +
                " contacts";
    }
    if (!eta.empty()) {
        text += ", ETA " + eta;
    }
    if (facts.applying) {
        text += " | " + std::to_string(facts.steps_done) + " steps done, " +
                std::to_string(facts.steps_failed) + " failed";
    } else {
        text += " | " + std::to_string(facts.pages) + " pages, " + std::to_string(facts.tickets) +
                " tickets";
    }
    text += " | " + std::to_string(facts.credits) + " credits";
    if (facts.rate_limited > 0) {
        text += " | " + std::to_string(facts.rate_limited) + " rate-limited";
    }
    if (facts.waited_ms >= 1000) {
        text += " | waited " + format_eta(facts.waited_ms / 1000);
    }
    return text;
}

}  // namespace

ProgressLine::ProgressLine() {
    enabled_ = progress_shown(output_settings());
}

ProgressLine::~ProgressLine() {
    done();
}

void ProgressLine::update(const ProgressFacts& facts) {
    if (!enabled_) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (facts.views_total > 0 && views_started_ == std::chrono::steady_clock::time_point{}) {
        views_started_ = now;
        views_at_start_ = facts.views_done;
    }
    if (now - last_draw_ < std::chrono::milliseconds(100)) {
        return;
    }
    last_draw_ = now;
    std::string eta;
    const std::int64_t done_since = facts.views_done - views_at_start_;
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - views_started_);
    if (facts.views_total > facts.views_done && done_since > 0 && elapsed.count() >= 2) {
        eta = format_eta((facts.views_total - facts.views_done) * elapsed.count() / done_since);
    }
    std::string text = "gdpr-purge " + output_settings().command + ": " + progress_body(facts, eta);
    const std::size_t width = terminal_width();
    if (text.size() >= width) {
        text.resize(width - 1);
    }
    const std::lock_guard lock(output_mutex());
    progress_text() = text;
    std::cerr << "\r" << text << "\033[K";
    std::cerr.flush();
}

void ProgressLine::done() {
    if (!enabled_) {
        return;
    }
    enabled_ = false;
    const std::lock_guard lock(output_mutex());
    if (!progress_text().empty()) {
        progress_text().clear();
        std::cerr << "\r\033[K";
        std::cerr.flush();
    }
}

// ---- summaries

void emit_summary(const std::string& text, json::object fields) {
    switch (summary_form(output_settings())) {
        case SummaryForm::none:
            return;
        case SummaryForm::one_line:
            emit(Level::info, "summary", text.substr(0, text.find('\n')), std::move(fields));
            return;
        case SummaryForm::full:
            emit(Level::info, "summary", text, std::move(fields));
            return;
    }
}

}  // namespace gp::cli
