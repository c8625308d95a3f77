#pragma once
// What standard error shows (docs/cli.md, "Output, logs, progress"), as pure functions of the
// command line's --log-format, --quiet and -v and of whether standard error is a terminal, so
// that the tests check the terminal's case without one.
//
// Text log, standard error not a terminal (cron, which mails any output): errors and warnings
// only; with -v also the summary's first line (it holds the counts) and the details. On a
// terminal: the whole summary, the progress line, warnings and errors; -v adds the details.
// --quiet: warnings and errors only. JSON log: every event whatever the terminal (--quiet drops
// the info ones).

namespace gp::cli {

enum class LogFormat { text, json };

// detail: a notice for -v in the text log (retries, rate-limit waits: normal on a busy account);
// an "info" event in the JSON log.
enum class Level { detail, info, warning, error };

// How much of a command's human summary goes out.
enum class SummaryForm {
    none,      // --quiet; text log on a non-terminal without -v
    one_line,  // text log on a non-terminal with -v: the summary's first line
    full,      // text log on a terminal: every line; JSON log: the "summary" event
};

struct LogMode {
    LogFormat format = LogFormat::text;
    bool quiet = false;     // warnings and errors only
    bool verbose = false;   // -v: also the details (phases, steps, retries)
    bool terminal = false;  // standard error is a terminal
};

// Whether a line of `level` goes out. The lines that only -v asks for (phases, steps done) are
// emitted by their callers only with -v, and then come out as info lines.
constexpr bool shown(const LogMode& mode, Level level) {
    if (level == Level::warning || level == Level::error) {
        return true;
    }
    if (mode.quiet) {
        return false;
    }
    if (mode.format == LogFormat::json) {
        return true;
    }
    return level == Level::detail ? mode.verbose : mode.terminal || mode.verbose;
}

constexpr SummaryForm summary_form(const LogMode& mode) {
    if (mode.quiet) {
        return SummaryForm::none;
    }
    if (mode.format == LogFormat::json || mode.terminal) {
        return SummaryForm::full;
    }
    return mode.verbose ? SummaryForm::one_line : SummaryForm::none;
}

// The progress line, redrawn in place: only on a terminal, in the text log, without --quiet.
constexpr bool progress_shown(const LogMode& mode) {
    return mode.terminal && mode.format == LogFormat::text && !mode.quiet;
}

}  // namespace gp::cli
