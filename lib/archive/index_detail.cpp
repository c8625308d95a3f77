// The archive index's file and line format (docs/reading.md, "Archived tickets"): durable appends
// with the journal's discipline, each line read strictly and written in one fixed form; the
// default state directory, the file's name, and the compact set of gone ids.
#include "archive/index_detail.hpp"
#include "archive/index.hpp"
#include "json/strict.hpp"
#include "time/time.hpp"
#include "util/clock.hpp"
#include "util/durable.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace gp::archive {

namespace detail {

namespace bj = boost::json;

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
    std::string stamp = format_timestamp(now_seconds());
    std::erase(stamp, '-');
    std::erase(stamp, ':');
    return stamp;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

// ---- Lines

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

bj::object object_of(std::string_view text) {
    std::string error;
    std::optional<bj::object> object = gp::json::parse_object_line(text, error);
    if (!object) {
        throw LineError{error};
    }
    return std::move(*object);
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

}  // namespace detail

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

}  // namespace gp::archive
