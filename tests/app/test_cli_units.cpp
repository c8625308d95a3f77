// The app's pure pieces, tested without the binary: the --metrics-file text (Prometheus text
// exposition format, with the last success carried over from the previous file), the run lock,
// and what standard error shows on a terminal and off one (the tests run without a terminal).
#include "cli.hpp"
#include "lock.hpp"
#include "log_policy.hpp"
#include "metrics.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

using gp::cli::Metric;
using gp::cli::MetricsRun;

namespace {

namespace fs = std::filesystem;

MetricsRun apply_run(bool success) {
    return {"acme.freshdesk.com", "apply", 12.5, 1795951491, success};
}

// A directory of this test process: created afresh by mkdtemp (never one left by an earlier
// process with the same pid, nor another's), removed with everything in it at the end.
struct UnitDir {
    UnitDir() {
        std::string pattern = (fs::temp_directory_path() / "gp-test-cli-units-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
        }
        path = pattern;
    }
    ~UnitDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    UnitDir(const UnitDir&) = delete;
    UnitDir& operator=(const UnitDir&) = delete;
    fs::path path;
};

const fs::path& unit_dir() {
    static const UnitDir dir;
    return dir.path;
}

}  // namespace

TEST_CASE("metrics: each figure with HELP, TYPE gauge and the account and command labels",
          "[metrics]") {
    const std::string text =
        gp::cli::metrics_text({Metric{"contacts_deleted", "Contacts deleted by the last run.", 3}},
                              apply_run(true), std::nullopt);
    CHECK_THAT(text, Catch::StartsWith(
                         "# HELP gdpr_purge_contacts_deleted Contacts deleted by the last run.\n"
                         "# TYPE gdpr_purge_contacts_deleted gauge\n"
                         "gdpr_purge_contacts_deleted{account=\"acme.freshdesk.com\","
                         "command=\"apply\"} 3\n"));
    const std::string labels = "{account=\"acme.freshdesk.com\",command=\"apply\"}";
    CHECK_THAT(text, Catch::Contains("\ngdpr_purge_duration_seconds" + labels + " 12.5\n"));
    CHECK_THAT(text, Catch::Contains("\ngdpr_purge_last_run_timestamp_seconds" + labels +
                                     " 1795951491\n"));
    CHECK_THAT(text, Catch::Contains("\ngdpr_purge_last_run_success" + labels + " 1\n"));
    CHECK_THAT(text, Catch::EndsWith("\ngdpr_purge_last_success_timestamp_seconds" + labels +
                                     " 1795951491\n"));
    CHECK(std::count(text.begin(), text.end(), '\n') == 5 * 3);
}

TEST_CASE("metrics: label values escape backslash, double quote and newline", "[metrics]") {
    CHECK(gp::cli::escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    MetricsRun run = apply_run(true);
    run.account = "we\"ird\n";
    const std::string text = gp::cli::metrics_text({}, run, std::nullopt);
    CHECK_THAT(text, Catch::Contains("{account=\"we\\\"ird\\n\",command=\"apply\"}"));
}

TEST_CASE("metrics: values are plain decimals", "[metrics]") {
    CHECK(gp::cli::format_metric_value(0) == "0");
    CHECK(gp::cli::format_metric_value(3) == "3");
    CHECK(gp::cli::format_metric_value(0.1) == "0.1");
    CHECK(gp::cli::format_metric_value(1795951491) == "1795951491");
}

TEST_CASE("metrics: a failed run carries the last success over, or leaves it out", "[metrics]") {
    const std::string failed = gp::cli::metrics_text({}, apply_run(false), 1700000000.0);
    CHECK_THAT(failed, Catch::Contains("gdpr_purge_last_run_success{account=\"acme.freshdesk.com\","
                                       "command=\"apply\"} 0\n"));
    CHECK_THAT(failed, Catch::EndsWith("} 1700000000\n"));
    const std::string never = gp::cli::metrics_text({}, apply_run(false), std::nullopt);
    CHECK_THAT(never, !Catch::Contains("last_success_timestamp"));
}

TEST_CASE("metrics: the last success is found whatever the labels", "[metrics]") {
    using gp::cli::find_metric_value;
    const std::string metric = "gdpr_purge_last_success_timestamp_seconds";
    CHECK(find_metric_value(metric + " 42\n", metric) == 42.0);
    CHECK(find_metric_value("# HELP " + metric + " x\n# TYPE " + metric + " gauge\n" + metric +
                                "{account=\"a}b\\\"c\",command=\"apply\"} 1.5e9\n",
                            metric) == 1.5e9);
    CHECK_FALSE(find_metric_value(metric + "_other 42\n", metric));
    CHECK_FALSE(find_metric_value(metric + "{account=\"x\"} not-a-number\n", metric));
    CHECK_FALSE(find_metric_value("", metric));
}

TEST_CASE("metrics: the carry-over reads the previous file", "[metrics]") {
    const fs::path path = unit_dir() / "metrics.prom";
    CHECK_FALSE(gp::cli::previous_last_success(path.string()));
    std::ofstream(path) << gp::cli::metrics_text({}, apply_run(true), std::nullopt);
    const auto previous = gp::cli::previous_last_success(path.string());
    REQUIRE(previous);
    CHECK(*previous == 1795951491.0);
    MetricsRun later = apply_run(false);
    later.finished_at += 3600;
    CHECK_THAT(gp::cli::metrics_text({}, later, previous),
               Catch::EndsWith("gdpr_purge_last_success_timestamp_seconds{account=\"acme."
                               "freshdesk.com\",command=\"apply\"} 1795951491\n"));
}

TEST_CASE("lock: the default path is in the temp dir, keyed by a file-name-safe account",
          "[lock]") {
    CHECK(gp::cli::file_name_safe("http://127.0.0.1:8080") == "http___127.0.0.1_8080");
    CHECK(gp::cli::file_name_safe("acme.freshdesk.com") == "acme.freshdesk.com");
    const char* saved = std::getenv("TMPDIR");
    const std::string restore = saved == nullptr ? "" : saved;
    ::setenv("TMPDIR", "/var/tmp/", 1);
    CHECK(gp::cli::default_lock_path("acme.freshdesk.com") ==
          "/var/tmp/gdpr-purge-acme.freshdesk.com.lock");
    ::unsetenv("TMPDIR");
    CHECK(gp::cli::default_lock_path("a/b") == "/tmp/gdpr-purge-a_b.lock");
    if (saved != nullptr) {
        ::setenv("TMPDIR", restore.c_str(), 1);
    }
}

TEST_CASE("lock: a second holder is refused with exit 6 until the first lets go", "[lock]") {
    const std::string path = (unit_dir() / "run.lock").string();
    {
        const gp::cli::RunLock first(path);
        try {
            const gp::cli::RunLock second(path);
            FAIL("the second lock was granted");
        } catch (const gp::cli::CliError& error) {
            CHECK(error.code() == gp::cli::ExitCode::locked);
            CHECK(std::string(error.what()) == "another gdpr-purge run holds the lock " + path);
            CHECK_THAT(error.why(), Catch::StartsWith("process " + std::to_string(::getpid())));
        }
    }
    CHECK_NOTHROW(gp::cli::RunLock(path));
    CHECK(fs::status(path).permissions() == (fs::perms::owner_read | fs::perms::owner_write));
}

TEST_CASE("lock: a lock file that cannot be created is a usage error", "[lock]") {
    try {
        const gp::cli::RunLock lock((unit_dir() / "no-such-dir" / "x.lock").string());
        FAIL("locked a file in a missing directory");
    } catch (const gp::cli::CliError& error) {
        CHECK(error.code() == gp::cli::ExitCode::usage);
    }
}

// ---- what standard error shows (log_policy.hpp)

namespace {

using gp::cli::Level;
using gp::cli::LogFormat;
using gp::cli::LogMode;
using gp::cli::SummaryForm;

LogMode text_mode(bool terminal, bool verbose = false, bool quiet = false) {
    return {LogFormat::text, quiet, verbose, terminal};
}

}  // namespace

TEST_CASE(
    "log: text, not a terminal - errors and warnings only; -v adds the details and the "
    "summary's first line",
    "[log]") {
    const LogMode cron = text_mode(false);
    CHECK(shown(cron, Level::error));
    CHECK(shown(cron, Level::warning));
    CHECK_FALSE(shown(cron, Level::info));
    CHECK_FALSE(shown(cron, Level::detail));  // retries, rate-limit waits
    CHECK(summary_form(cron) == SummaryForm::none);
    CHECK_FALSE(progress_shown(cron));

    const LogMode verbose = text_mode(false, true);
    CHECK(shown(verbose, Level::info));
    CHECK(shown(verbose, Level::detail));
    CHECK(summary_form(verbose) == SummaryForm::one_line);
    CHECK_FALSE(progress_shown(verbose));
}

TEST_CASE("log: text on a terminal - the whole summary and the progress line - retries with -v",
          "[log]") {
    const LogMode terminal = text_mode(true);
    CHECK(shown(terminal, Level::error));
    CHECK(shown(terminal, Level::warning));
    CHECK(shown(terminal, Level::info));
    CHECK_FALSE(shown(terminal, Level::detail));
    CHECK(summary_form(terminal) == SummaryForm::full);
    CHECK(progress_shown(terminal));

    const LogMode verbose = text_mode(true, true);
    CHECK(shown(verbose, Level::detail));
    CHECK(summary_form(verbose) == SummaryForm::full);
    CHECK(progress_shown(verbose));
}

TEST_CASE("log: --quiet - warnings and errors only, terminal or not, -v or not", "[log]") {
    for (const bool terminal : {false, true}) {
        for (const bool verbose : {false, true}) {
            for (const LogFormat format : {LogFormat::text, LogFormat::json}) {
                const LogMode quiet{format, true, verbose, terminal};
                CHECK(shown(quiet, Level::error));
                CHECK(shown(quiet, Level::warning));
                CHECK_FALSE(shown(quiet, Level::info));
                CHECK_FALSE(shown(quiet, Level::detail));
                CHECK(summary_form(quiet) == SummaryForm::none);
                CHECK_FALSE(progress_shown(quiet));
            }
        }
    }
}

TEST_CASE("log: JSON - every event and the summary event, whatever the terminal - no progress line",
          "[log]") {
    for (const bool terminal : {false, true}) {
        for (const bool verbose : {false, true}) {
            const LogMode json{LogFormat::json, false, verbose, terminal};
            for (const Level level : {Level::detail, Level::info, Level::warning, Level::error}) {
                CHECK(shown(json, level));
            }
            CHECK(summary_form(json) == SummaryForm::full);
            CHECK_FALSE(progress_shown(json));
        }
    }
}
