#pragma once
// Appending to a file durably, as the journal and the archive index do (docs/apply.md, "The
// journal"; docs/reading.md, "Archived tickets"): every byte written, EINTR retried, fsync'd, and
// a new or renamed entry made durable by syncing its directory. Each returns 0, or the errno of
// the failure, for the caller to raise in its own terms.
#include <string>
#include <string_view>

namespace gp {

int write_fully(int fd, std::string_view bytes);
int sync_file(int fd);
// The directory that holds `path` ("." for a bare name).
int sync_parent_directory(const std::string& path);

// Closes a file descriptor at the end of a scope (nothing for a negative one), leaving errno as
// it was: the failure that ends the scope is the one a caller reports.
struct FdCloser {
    explicit FdCloser(int descriptor) : fd(descriptor) {}
    int fd = -1;
    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;
    ~FdCloser();
};

}  // namespace gp
