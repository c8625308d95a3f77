#include "lock.hpp"

#include "cli.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gp::cli {

namespace {

// The pid the holder wrote, for the message; "" when the file says nothing usable.
std::string holder_pid(int fd) {
    char buffer[32] = {};
    const ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
    std::string text(buffer, got > 0 ? static_cast<std::size_t>(got) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    return digits ? text : std::string();
}

void write_own_pid(int fd) {
    // Only informative: a failure here leaves the lock held and correct.
    const std::string text = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        (void)!::pwrite(fd, text.data(), text.size(), 0);
    }
}

}  // namespace

std::string file_name_safe(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        const bool kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!kept) {
            c = '_';
        }
    }
    return out;
}

std::string default_lock_path(std::string_view account) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string dir = tmpdir == nullptr || *tmpdir == '\0' ? std::string("/tmp") : tmpdir;
    while (dir.size() > 1 && dir.back() == '/') {
        dir.pop_back();
    }
    return dir + "/gdpr-purge-" + file_name_safe(account) + ".lock";
}

RunLock::RunLock(std::string path) : path_(std::move(path)) {
    constexpr mode_t owner_only = 0600;
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, owner_only);
    if (fd_ < 0) {
        throw CliError(ExitCode::usage, "cannot open the lock file " + path_, std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const std::string pid = error == EWOULDBLOCK ? holder_pid(fd_) : std::string();
        ::close(fd_);
        fd_ = -1;
        if (error != EWOULDBLOCK) {
            throw CliError(ExitCode::usage, "cannot lock " + path_, std::strerror(error));
        }
        throw CliError(ExitCode::locked, "another gdpr-purge run holds the lock " + path_,
                       (pid.empty() ? std::string("it") : "process " + pid) +
                           " works on this account; try again when it has finished");
    }
    write_own_pid(fd_);
}

RunLock::~RunLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the lock
    }
}

}  // namespace gp::cli
