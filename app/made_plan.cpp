#include "made_plan.hpp"

#include "cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gp::cli {

namespace {

bool exists(const std::string& path) {
    struct stat status {};
    return ::lstat(path.c_str(), &status) == 0;
}

}  // namespace

std::string made_plan_base_name(UnixTime now) {
    std::string stamp;
    for (const char c : format_timestamp(now)) {
        if (c != '-' && c != ':') {
            stamp += c;  // "2026-11-29T04:00:03Z" -> "20261129T040003Z"
        }
    }
    return "gdpr-purge-" + stamp;
}

MadePlanName::MadePlanName(UnixTime now) {
    constexpr int max_tries = 1000;
    const std::string stamp = made_plan_base_name(now);
    for (int n = 1; n <= max_tries; ++n) {
        base_ = n == 1 ? stamp : stamp + "-" + std::to_string(n);
        if (exists(journal_path())) {
            continue;  // another run's journal: this name belongs to it
        }
        constexpr mode_t mode = 0666;  // less the umask, as AtomicFile's
        const int fd =
            ::open(plan_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd >= 0) {
            ::close(fd);
            return;
        }
        if (errno != EEXIST) {
            throw CliError(ExitCode::usage, "cannot write " + plan_path(), std::strerror(errno));
        }
    }
    throw CliError(ExitCode::usage, "cannot write " + stamp + ".plan.json",
                   "every name up to -" + std::to_string(max_tries) + " is taken");
}

MadePlanName::~MadePlanName() {
    if (!kept_) {
        ::unlink(plan_path().c_str());
    }
}

}  // namespace gp::cli
