#include "archive/index.hpp"

#include "archive/index_detail.hpp"

#include "util/durable.hpp"

#include "json/strict.hpp"
#include "time/time.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <utility>

namespace gp::archive {

namespace bj = boost::json;

namespace {

constexpr int appends_per_sync = 256;

}  // namespace

using namespace detail;

// ---- In memory

void Index::forget_archived(std::map<Id, TicketRecord>::iterator it) {
    const auto owner = by_requester_.find(it->second.requester_id);
    if (owner != by_requester_.end()) {
        std::vector<Id>& ids = owner->second;
        const auto pos = std::find(ids.begin(), ids.end(), it->first);
        if (pos != ids.end()) {
            *pos = ids.back();
            ids.pop_back();
        }
        if (ids.empty()) {
            by_requester_.erase(owner);
        }
    }
    archived_.erase(it);
}

bool Index::set_archived(TicketRecord record) {
    const Id id = record.id;
    highest_ = std::max(highest_, id);
    bool changed = gone_.erase(id);
    if (const auto it = archived_.find(id); it != archived_.end()) {
        if (same_record(it->second, record)) {
            return changed;
        }
        forget_archived(it);
    }
    by_requester_[record.requester_id].push_back(id);
    archived_.emplace(id, std::move(record));
    return true;
}

bool Index::set_gone(Id id) {
    highest_ = std::max(highest_, id);
    bool changed = false;
    if (const auto it = archived_.find(id); it != archived_.end()) {
        forget_archived(it);
        changed = true;
    }
    return gone_.insert(id) || changed;
}

bool Index::set_dropped(Id id) {
    highest_ = std::max(highest_, id);
    bool changed = gone_.erase(id);
    if (const auto it = archived_.find(id); it != archived_.end()) {
        forget_archived(it);
        changed = true;
    }
    return changed;
}

void Index::clear() {
    archived_.clear();
    by_requester_.clear();
    gone_.clear();
    highest_ = 0;
}

// ---- The file

void Index::append_line(const std::string& line) {
    if (fd_ < 0) {
        return;
    }
    // Where this line starts: a write that fails half-way is cut off again, so that the next
    // line does not continue a broken one.
    const off_t start = ::lseek(fd_, 0, SEEK_END);
    try {
        write_all(fd_, line, path_);
    } catch (const IndexError&) {
        if (start >= 0) {
            [[maybe_unused]] const int ignored = ::ftruncate(fd_, start);
        }
        throw;
    }
    if (++unsynced_ >= appends_per_sync) {
        sync_locked();
    }
}

void Index::sync_locked() {
    if (fd_ < 0 || unsynced_ == 0) {
        return;
    }
    sync_fd(fd_, path_);
    unsynced_ = 0;
    ++syncs_;
}

// Opening: reads the file into an index, then makes the file fit for appending (torn line cut,
// header written) or sets it aside.
struct Loader {
    Index& index;
    const std::string& account;
    std::vector<std::string>& warnings;

    struct Opened {
        int fd = -1;
        bool locked = false;
    };

    struct Read {
        off_t complete_size = 0;         // bytes up to the end of the last complete line
        bool torn = false;               // bytes after it
        std::size_t lines = 0;           // complete lines read
        bool header = false;             // a header line was read
        std::optional<std::string> bad;  // why the file cannot be used: "line 3: ..."
    };

    // Opens (creating it 0600) and flocks the file at the index's path. A file renamed or removed
    // between open and flock is opened again: the lock must be on the file at the path.
    Opened open_file() const {
        const std::string& path = index.path_;
        for (int attempt = 0; attempt < 100; ++attempt) {
            bool created = true;
            int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd < 0 && errno == EEXIST) {
                created = false;
                fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
                if (fd < 0 && errno == ENOENT) {
                    continue;  // removed meanwhile
                }
            }
            if (fd < 0) {
                throw IndexError("archive index " + path + ": cannot open: " + errno_text());
            }
            FdCloser closer{fd};
            if (created) {
                sync_directory_of(path);
            }
            int rc = 0;
            while ((rc = ::flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
            }
            if (rc != 0) {
                if (errno != EWOULDBLOCK) {
                    throw IndexError("archive index " + path + ": cannot lock: " + errno_text());
                }
                closer.fd = -1;
                return Opened{.fd = fd, .locked = false};
            }
            struct stat held {};
            struct stat named {};
            if (::fstat(fd, &held) != 0) {
                throw IndexError("archive index " + path + ": " + errno_text());
            }
            if (::stat(path.c_str(), &named) != 0 || named.st_ino != held.st_ino ||
                named.st_dev != held.st_dev) {
                continue;  // set aside by another process meanwhile
            }
            closer.fd = -1;
            return Opened{.fd = fd, .locked = true};
        }
        throw IndexError("archive index " + path + ": cannot open: the file keeps being replaced");
    }

    // One complete line (without its newline), the `number`th: into the index, or `bad`.
    void take_line(std::string_view line, std::size_t number, Read& read) {
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            return;  // never written, harmless
        }
        try {
            if (!read.header) {
                const Header h = header_of(line);
                read.header = true;
                if (h.format != index_format) {
                    throw LineError{"the header's format is not \"" + std::string(index_format) +
                                    "\""};
                }
                if (h.version != index_version) {
                    throw LineError{"version " + std::to_string(h.version) +
                                    ", and this program reads version " +
                                    std::to_string(index_version)};
                }
                if (h.account != account) {
                    throw LineError{"the index of account \"" + h.account + "\", not \"" + account +
                                    "\""};
                }
                return;
            }
            Record r = record_of(line);
            switch (r.kind) {
                case Kind::archived:
                    index.set_archived(std::move(r.ticket));
                    break;
                case Kind::gone:
                    index.set_gone(r.ticket.id);
                    break;
                case Kind::drop:
                    index.set_dropped(r.ticket.id);
                    break;
            }
        } catch (const LineError& e) {
            read.bad = "line " + std::to_string(number) + ": " + e.what;
        }
    }

    // Reads the file from its start, in blocks; stops at the first bad line.
    Read read_file(int fd) {
        Read read;
        std::string pending;
        std::array<char, 65536> buffer{};
        off_t offset = 0;
        while (!read.bad) {
            const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                throw IndexError("archive index " + index.path_ + ": cannot read: " + errno_text());
            }
            if (n == 0) {
                break;
            }
            offset += n;
            pending.append(buffer.data(), static_cast<std::size_t>(n));
            std::size_t start = 0;
            for (std::size_t nl = pending.find('\n'); nl != std::string::npos && !read.bad;
                 nl = pending.find('\n', start)) {
                take_line(std::string_view(pending).substr(start, nl - start), ++read.lines, read);
                start = nl + 1;
            }
            read.complete_size += static_cast<off_t>(start);
            pending.erase(0, start);
        }
        read.torn = !read.bad && !pending.empty();
        return read;
    }

    // Renames the file to <path>.set-aside-<stamp> (another name if that one is taken).
    std::string set_aside() const {
        const std::string base = index.path_ + ".set-aside-" + set_aside_stamp();
        std::string aside = base;
        for (int n = 2; exists(aside); ++n) {
            aside = base + "-" + std::to_string(n);
        }
        if (::rename(index.path_.c_str(), aside.c_str()) != 0) {
            throw IndexError("archive index " + index.path_ +
                             ": cannot set it aside: " + errno_text());
        }
        sync_directory_of(index.path_);
        return aside;
    }

    void run() {
        const std::string& path = index.path_;
        for (int attempt = 0; attempt < 10; ++attempt) {
            const Opened opened = open_file();
            FdCloser closer{opened.fd};
            index.clear();
            const Read read = read_file(opened.fd);
            if (!opened.locked) {
                warnings.push_back("archive index " + path +
                                   " is in use by another process: it is read, and what this "
                                   "run learns is not saved to it");
                if (read.bad) {
                    index.clear();
                    warnings.push_back("archive index " + path + ": " + *read.bad +
                                       "; this run starts from an empty index (the file is in "
                                       "use, so it is not set aside)");
                }
                return;  // read-only: the closer closes the file
            }
            if (read.bad) {
                const std::string aside = set_aside();
                warnings.push_back("archive index " + path + ": " + *read.bad +
                                   "; the file was set aside as " + aside +
                                   " and a new index begun");
                continue;  // the closer releases the old file's lock; a new file is made
            }
            if (read.torn) {
                if (::ftruncate(opened.fd, read.complete_size) != 0) {
                    throw IndexError("archive index " + path +
                                     ": cannot cut its torn last line: " + errno_text());
                }
                sync_fd(opened.fd, path);
            }
            if (!read.header) {
                write_all(opened.fd, header_line(account), path);
                sync_fd(opened.fd, path);
            }
            index.fd_ = opened.fd;
            closer.fd = -1;
            return;
        }
        throw IndexError("archive index " + path + ": cannot begin a new index");
    }
};

std::unique_ptr<Index> Index::open(const std::string& state_dir, const std::string& account,
                                   std::vector<std::string>& warnings) {
    if (state_dir.empty()) {
        throw IndexError(
            "archive index: no state directory (neither XDG_STATE_HOME nor HOME is set)");
    }
    make_directories(state_dir);
    std::unique_ptr<Index> index(new Index());
    index->path_ = index_path(state_dir, account);
    Loader{*index, account, warnings}.run();
    return index;
}

Index::~Index() {
    if (fd_ >= 0) {
        try {
            sync_locked();
        } catch (const IndexError&) {  // nothing to tell it to: the next open reads what is there
        }
        ::close(fd_);
    }
}

// ---- Appending

void Index::add_archived(const TicketRecord& ticket) {
    require_positive(ticket.id, "add_archived");
    if (!ticket.archived) {
        throw std::invalid_argument("archive index: add_archived: the ticket is not archived");
    }
    TicketRecord r;  // what a line holds
    r.id = ticket.id;
    r.requester_id = ticket.requester_id;
    r.responder_id = ticket.responder_id;
    r.group_id = ticket.group_id;
    r.type = ticket.type;
    r.tags = ticket.tags;
    r.status = ticket.status;
    r.archived = true;
    r.created_at = ticket.created_at;
    r.updated_at = ticket.updated_at;
    const std::string line = archived_line(r);
    // A line is written only if it reads back as the same record: the file never holds a line
    // that would set it aside.
    try {
        const Record back = record_of(std::string_view(line).substr(0, line.size() - 1));
        if (!same_record(back.ticket, r)) {
            throw LineError{"does not read back as written"};
        }
    } catch (const LineError& e) {
        throw std::invalid_argument("archive index: add_archived: ticket " + std::to_string(r.id) +
                                    ": " + e.what);
    }
    const std::lock_guard lock(mutex_);
    if (const auto it = archived_.find(r.id); it != archived_.end() && same_record(it->second, r)) {
        return;
    }
    append_line(line);
    set_archived(std::move(r));
}

void Index::add_gone(Id id) {
    require_positive(id, "add_gone");
    const std::lock_guard lock(mutex_);
    if (gone_.contains(id)) {
        return;
    }
    append_line(marker_line(id, "gone"));
    set_gone(id);
}

void Index::drop(Id id) {
    const std::lock_guard lock(mutex_);
    if (!gone_.contains(id) && archived_.find(id) == archived_.end()) {
        return;
    }
    append_line(marker_line(id, "drop"));
    set_dropped(id);
}

void Index::flush() {
    const std::lock_guard lock(mutex_);
    sync_locked();
}

// ---- Reading

bool Index::knows(Id id) const {
    const std::lock_guard lock(mutex_);
    return gone_.contains(id) || archived_.find(id) != archived_.end();
}

const TicketRecord* Index::archived(Id id) const {
    const std::lock_guard lock(mutex_);
    const auto it = archived_.find(id);
    return it == archived_.end() ? nullptr : &it->second;
}

bool Index::gone(Id id) const {
    const std::lock_guard lock(mutex_);
    return gone_.contains(id);
}

std::vector<TicketRecord> Index::archived_of(Id requester_id) const {
    const std::lock_guard lock(mutex_);
    std::vector<TicketRecord> out;
    const auto owner = by_requester_.find(requester_id);
    if (owner == by_requester_.end()) {
        return out;
    }
    std::vector<Id> ids = owner->second;
    std::sort(ids.begin(), ids.end());
    out.reserve(ids.size());
    for (const Id id : ids) {
        out.push_back(archived_.at(id));
    }
    return out;
}

void Index::for_each_archived(const std::function<void(const TicketRecord&)>& f) const {
    const std::lock_guard lock(mutex_);
    for (const auto& [id, record] : archived_) {
        f(record);
    }
}

std::int64_t Index::archived_count() const {
    const std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(archived_.size());
}

std::int64_t Index::gone_count() const {
    const std::lock_guard lock(mutex_);
    return gone_.size();
}

Id Index::highest_id() const {
    const std::lock_guard lock(mutex_);
    return highest_;
}

std::int64_t Index::sync_count() const {
    const std::lock_guard lock(mutex_);
    return syncs_;
}

}  // namespace gp::archive
