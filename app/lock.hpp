#pragma once
// The run lock (docs/cli.md, "Safety guards"): one apply or undo-soft at a time per account. An
// flock on a file, so that the kernel releases it when the process ends, however it ends; the file
// itself stays (removing it would let a third run lock a new file while the second holds the old).
#include <string>
#include <string_view>

namespace gp::cli {

// "<temp dir>/gdpr-purge-<account>.lock", the temp dir being $TMPDIR or /tmp.
std::string default_lock_path(std::string_view account);

// `text` with every character but [A-Za-z0-9._-] replaced by '_' ("http://127.0.0.1:8080" ->
// "http___127.0.0.1_8080").
std::string file_name_safe(std::string_view text);

class RunLock {
  public:
    // Takes the lock or throws CliError: another process holds it (locked, exit 6), the file
    // cannot be opened (usage, exit 2). Writes this process's id into the file for the message
    // that the next run shows.
    explicit RunLock(std::string path);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace gp::cli
