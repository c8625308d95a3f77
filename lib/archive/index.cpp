#include "archive/index.hpp"

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
constexpr int max_status = 65535;  // Ticket::status is 16 bits

// ---- Files (the discipline of lib/executor/journal.cpp)

std::string errno_text() {
    return std::strerror(errno);
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
    if (const int error = write_fully(fd, bytes); error != 0) {
        throw IndexError("archive index " + path + ": cannot write: " + std::strerror(error));
    }
}

void sync_fd(int fd, const std::string& path) {
    if (const int error = sync_file(fd); error != 0) {
        throw IndexError("archive index " + path + ": cannot sync: " + std::strerror(error));
    }
}

// A new or renamed directory entry is durable only once its directory is synced.
void sync_directory_of(const std::string& path) {
    if (const int error = sync_parent_directory(path); error != 0) {
        throw IndexError("archive index directory of " + path + ": " + std::strerror(error));
    }
}

// mkdir -p, each directory made here 0700 (whatever the umask).
void make_directories(const std::string& dir) {
    std::filesystem::path prefix;
    for (const std::filesystem::path& part : std::filesystem::path(dir)) {
        if (part.empty()) {
            continue;  // a trailing '/'
        }
        prefix /= part;
        struct stat st {};
        if (::stat(prefix.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                throw IndexError("state directory " + dir + ": " + prefix.string() +
                                 " is not a directory");
            }
            continue;
        }
        if (::mkdir(prefix.c_str(), 0700) != 0) {
            if (errno == EEXIST) {
                continue;  // made meanwhile
            }
            throw IndexError("state directory " + dir + ": cannot create " + prefix.string() +
                             ": " + errno_text());
        }
        if (::chmod(prefix.c_str(), 0700) != 0) {
            throw IndexError("state directory " + dir + ": " + prefix.string() + ": " +
                             errno_text());
        }
    }
}

// "20260101T000000Z": the time a file is set aside, in its new name.
std::string set_aside_stamp() {
    std::string stamp = format_timestamp(static_cast<UnixTime>(std::time(nullptr)));
    std::erase(stamp, '-');
    std::erase(stamp, ':');
    return stamp;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

// ---- Lines

// A line that is no record: the message names the key, never a value.
struct LineError {
    std::string what;
};

using gp::json::integer_of;

// Refuses any key of `o` that is not in `keys`, and a missing one.
void require_keys(const bj::object& o, std::initializer_list<std::string_view> keys,
                  std::string_view where) {
    for (const auto& item : o) {
        if (std::find(keys.begin(), keys.end(), std::string_view(item.key())) == keys.end()) {
            throw LineError{std::string(where) + "unknown key \"" + std::string(item.key()) + "\""};
        }
    }
    for (std::string_view key : keys) {
        if (!o.contains(key)) {
            throw LineError{std::string(where) + "missing key \"" + std::string(key) + "\""};
        }
    }
}

// A positive id, or (`nullable`) null for no_id.
Id id_at(const bj::object& o, std::string_view key, bool nullable, std::string_view where) {
    const bj::value& v = o.at(key);
    if (nullable && v.is_null()) {
        return no_id;
    }
    const auto n = integer_of(v);
    if (!n || *n <= 0) {
        throw LineError{
            std::string(where) + std::string(key) +
            (nullable ? ": neither a positive integer nor null" : ": not a positive integer")};
    }
    return *n;
}

UnixTime time_at(const bj::object& o, std::string_view key) {
    const bj::value& v = o.at(key);
    if (v.is_null()) {
        return no_time;
    }
    const auto t = v.is_string() ? parse_timestamp(v.get_string()) : std::nullopt;
    if (!t) {
        throw LineError{"archived." + std::string(key) +
                        ": neither a timestamp YYYY-MM-DDTHH:MM:SSZ nor null"};
    }
    return *t;
}

TicketRecord facts_of(Id id, const bj::value& v) {
    if (!v.is_object()) {
        throw LineError{"archived: not an object"};
    }
    const bj::object& o = v.get_object();
    require_keys(o,
                 {"requester_id", "responder_id", "group_id", "type", "tags", "status",
                  "created_at", "updated_at"},
                 "archived: ");
    TicketRecord r;
    r.id = id;
    r.archived = true;
    r.requester_id = id_at(o, "requester_id", true, "archived.");
    r.responder_id = id_at(o, "responder_id", true, "archived.");
    r.group_id = id_at(o, "group_id", true, "archived.");
    if (const bj::value& type = o.at("type"); type.is_string()) {
        r.type = std::string(type.get_string());
    } else if (!type.is_null()) {
        throw LineError{"archived.type: neither a string nor null"};
    }
    const bj::value& tags = o.at("tags");
    if (!tags.is_array()) {
        throw LineError{"archived.tags: not an array"};
    }
    for (const bj::value& tag : tags.get_array()) {
        if (!tag.is_string()) {
            throw LineError{"archived.tags: not an array of strings"};
        }
        r.tags.emplace_back(tag.get_string());
    }
    const auto status = integer_of(o.at("status"));
    if (!status || *status < 0 || *status > max_status) {
        throw LineError{"archived.status: not an integer in 0..65535"};
    }
    r.status = static_cast<int>(*status);
    r.created_at = time_at(o, "created_at");
    r.updated_at = time_at(o, "updated_at");
    return r;
}

enum class Kind { archived, gone, drop };

struct Record {
    Kind kind = Kind::gone;
    TicketRecord ticket;  // archived: the facts; otherwise only the id
};

bj::object object_of(std::string_view text) {
    auto parsed = gp::json::parse_strict(text);
    if (parsed.failure) {
        throw LineError{"not JSON (" + parsed.failure->message + " at column " +
                        std::to_string(parsed.failure->column) + ")"};
    }
    if (!parsed.value->is_object()) {
        throw LineError{"not a JSON object"};
    }
    return std::move(parsed.value->get_object());
}

Record record_of(std::string_view text) {
    const bj::object o = object_of(text);
    if (o.size() != 2 || !o.contains("id")) {
        throw LineError{"not {\"id\": ..., and one of \"archived\", \"gone\", \"drop\"}"};
    }
    Record r;
    r.ticket.id = id_at(o, "id", false, "");
    if (const auto* facts = o.if_contains("archived")) {
        r.kind = Kind::archived;
        r.ticket = facts_of(r.ticket.id, *facts);
    } else if (const auto* gone = o.if_contains("gone")) {
        if (!gone->is_bool() || !gone->get_bool()) {
            throw LineError{"gone: not true"};
        }
        r.kind = Kind::gone;
    } else if (const auto* drop = o.if_contains("drop")) {
        if (!drop->is_bool() || !drop->get_bool()) {
            throw LineError{"drop: not true"};
        }
        r.kind = Kind::drop;
    } else {
        throw LineError{"not {\"id\": ..., and one of \"archived\", \"gone\", \"drop\"}"};
    }
    return r;
}

struct Header {
    std::string format;
    std::int64_t version = 0;
    std::string account;
};

Header header_of(std::string_view text) {
    const bj::object o = object_of(text);
    require_keys(o, {"format", "version", "account"}, "header: ");
    Header h;
    const bj::value& format = o.at("format");
    const bj::value& account = o.at("account");
    const auto version = integer_of(o.at("version"));
    if (!format.is_string()) {
        throw LineError{"header: format: not a string"};
    }
    if (!version) {
        throw LineError{"header: version: not an integer"};
    }
    if (!account.is_string()) {
        throw LineError{"header: account: not a string"};
    }
    h.format = std::string(format.get_string());
    h.version = *version;
    h.account = std::string(account.get_string());
    return h;
}

std::string header_line(const std::string& account) {
    bj::object o;
    o["format"] = index_format;
    o["version"] = index_version;
    o["account"] = account;
    return bj::serialize(o) + "\n";
}

bj::value id_value(Id id) {
    return id == no_id ? bj::value(nullptr) : bj::value(id);
}

bj::value time_value(UnixTime t) {
    return t == no_time ? bj::value(nullptr) : bj::value(format_timestamp(t));
}

std::string archived_line(const TicketRecord& r) {
    bj::object facts;
    facts["requester_id"] = id_value(r.requester_id);
    facts["responder_id"] = id_value(r.responder_id);
    facts["group_id"] = id_value(r.group_id);
    facts["type"] = r.type ? bj::value(*r.type) : bj::value(nullptr);
    bj::array tags;
    for (const std::string& tag : r.tags) {
        tags.emplace_back(tag);
    }
    facts["tags"] = std::move(tags);
    facts["status"] = r.status;
    facts["created_at"] = time_value(r.created_at);
    facts["updated_at"] = time_value(r.updated_at);
    bj::object o;
    o["id"] = r.id;
    o["archived"] = std::move(facts);
    return bj::serialize(o) + "\n";
}

std::string marker_line(Id id, std::string_view kind) {
    bj::object o;
    o["id"] = id;
    o[kind] = true;
    return bj::serialize(o) + "\n";
}

bool same_record(const TicketRecord& a, const TicketRecord& b) {
    return a.id == b.id && a.requester_id == b.requester_id && a.responder_id == b.responder_id &&
           a.group_id == b.group_id && a.type == b.type && a.tags == b.tags &&
           a.status == b.status && a.spam == b.spam && a.deleted == b.deleted &&
           a.archived == b.archived && a.created_at == b.created_at &&
           a.updated_at == b.updated_at && a.closed_at == b.closed_at;
}

void require_positive(Id id, const char* what) {
    if (id <= 0) {
        throw std::invalid_argument(std::string("archive index: ") + what +
                                    ": the ticket id must be positive");
    }
}

}  // namespace

// ---- Paths

std::string default_state_dir() {
    const char* xdg = std::getenv("XDG_STATE_HOME");
    if (xdg != nullptr && xdg[0] == '/') {  // the XDG spec ignores a relative path
        return (std::filesystem::path(xdg) / "gdpr-purge").string();
    }
    const char* home = std::getenv("HOME");
    if (home != nullptr && home[0] != '\0') {
        return (std::filesystem::path(home) / ".local" / "state" / "gdpr-purge").string();
    }
    return {};
}

std::string index_path(const std::string& state_dir, const std::string& account) {
    std::string name = account;
    for (char& c : name) {
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!plain) {
            c = '_';
        }
    }
    return (std::filesystem::path(state_dir) / (name + ".archive.jsonl")).string();
}

// ---- The id set

bool Index::IdSet::contains(Id id) const {
    const auto it = words_.find(id >> 6);
    return it != words_.end() && (it->second & (std::uint64_t{1} << (id & 63))) != 0;
}

bool Index::IdSet::insert(Id id) {
    std::uint64_t& word = words_[id >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (id & 63);
    if ((word & bit) != 0) {
        return false;
    }
    word |= bit;
    ++size_;
    return true;
}

bool Index::IdSet::erase(Id id) {
    const auto it = words_.find(id >> 6);
    const std::uint64_t bit = std::uint64_t{1} << (id & 63);
    if (it == words_.end() || (it->second & bit) == 0) {
        return false;
    }
    it->second &= ~bit;
    if (it->second == 0) {
        words_.erase(it);
    }
    --size_;
    return true;
}

void Index::IdSet::clear() {
    words_.clear();
    size_ = 0;
}

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
                return Opened{fd, false};
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
            return Opened{fd, true};
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
