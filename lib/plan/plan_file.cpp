// StreamedPlan: a plan file read block by block through the streaming reader (plan_read.cpp),
// hashed on the way.
#include "plan/plan_file.hpp"

#include "util/durable.hpp"
#include "util/sha256.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <istream>
#include <streambuf>

namespace gp {

namespace {

// The file's bytes for std::istream, each block hashed as it is read.
class HashingBuffer : public std::streambuf {
  public:
    HashingBuffer(int fd, Sha256& sha) : fd_(fd), sha_(sha) {}
    int error() const { return error_; }

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) {
            return traits_type::to_int_type(*gptr());
        }
        ssize_t n = 0;
        do {
            n = ::read(fd_, block_.data(), block_.size());
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            error_ = errno;
        }
        if (n <= 0) {
            return traits_type::eof();
        }
        sha_.update({block_.data(), static_cast<std::size_t>(n)});
        setg(block_.data(), block_.data(), block_.data() + n);
        return traits_type::to_int_type(*gptr());
    }

  private:
    int fd_;
    Sha256& sha_;
    int error_ = 0;
    std::array<char, 64 * 1024> block_{};
};

[[noreturn]] void cannot_read(const std::string& path, int error) {
    throw PlanUnreadable(path, error);
}

}  // namespace

PlanUnreadable::PlanUnreadable(const std::string& path, int error)
    : PlanFormatError("cannot read plan file \"" + path + "\": " + std::strerror(error)),
      error_(error) {}

std::int64_t contact_deletions(const Entry& entry) {
    std::int64_t count = 0;
    for (const Step& step : entry.steps) {
        if (step.action == StepAction::delete_contact ||
            step.action == StepAction::purge_soft_deleted) {
            ++count;
        }
    }
    return count;
}

PlanVisitor collect_into(Plan& plan) {
    return {.on_header = [&plan](const PlanHeader& header) { plan.header = header; },
            .on_entry = [&plan](Entry&& entry) { plan.entries.push_back(std::move(entry)); },
            .on_protected =
                [&plan](ProtectedContact&& contact) {
                    plan.protected_contacts.push_back(std::move(contact));
                }};
}

struct StreamedPlan::File {
    explicit File(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    FdCloser fd;
    struct stat first {};

    // One reading from the start; returns the SHA-256 of the bytes read.
    std::string read(const std::string& path, const PlanVisitor& visitor) const {
        if (::lseek(fd.fd, 0, SEEK_SET) != 0) {
            cannot_read(path, errno);
        }
        Sha256 sha;
        HashingBuffer buffer(fd.fd, sha);
        std::istream in(&buffer);
        read_plan(in, visitor);
        if (buffer.error() != 0) {
            cannot_read(path, buffer.error());
        }
        return sha.hex();
    }
};

StreamedPlan::StreamedPlan(std::string path, const PlanVisitor& first)
    : path_(std::move(path)), file_(std::make_unique<File>(path_)) {
    if (file_->fd.fd < 0 || ::fstat(file_->fd.fd, &file_->first) != 0) {
        cannot_read(path_, errno);
    }
    PlanVisitor visitor = first;
    visitor.on_header = [&](const PlanHeader& header) {
        outline_.header = header;
        if (first.on_header) {
            first.on_header(header);
        }
    };
    visitor.on_entry = [&](Entry&& entry) {
        ++outline_.entries;
        outline_.contact_deletions += contact_deletions(entry);
        if (first.on_entry) {
            first.on_entry(std::move(entry));
        }
    };
    outline_.sha256 = file_->read(path_, visitor);
}

StreamedPlan::~StreamedPlan() = default;

void StreamedPlan::for_each_entry(const std::function<void(Entry&&)>& each) const {
    const auto changed = [this] {
        return PlanFormatError("the plan file \"" + path_ +
                               "\" changed while it was being used (it is read more than once: "
                               "write a new plan to a new file)");
    };
    struct stat now {};
    if (::fstat(file_->fd.fd, &now) != 0) {
        cannot_read(path_, errno);
    }
    if (now.st_size != file_->first.st_size || now.st_mtim.tv_sec != file_->first.st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != file_->first.st_mtim.tv_nsec) {
        throw changed();
    }
    const std::string sha256 =
        file_->read(path_, {.on_header = {}, .on_entry = each, .on_protected = {}});
    if (sha256 != outline_.sha256) {
        throw changed();
    }
}

}  // namespace gp
