#include "executor/journal.hpp"

#include "json/strict.hpp"
#include "util/durable.hpp"

#include "time/time.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <boost/json.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

namespace gp::executor {

namespace json = boost::json;

namespace {

constexpr std::array<std::pair<Outcome, std::string_view>, 6> outcome_names{{
    {Outcome::done, "done"},
    {Outcome::skipped, "skipped"},
    {Outcome::failed, "failed"},
    {Outcome::started, "started"},
    {Outcome::not_restorable, "not_restorable"},
    {Outcome::lost, "lost"},
}};

constexpr std::string_view plan_key = "plan_sha256";
constexpr std::string_view journal_key = "journal_sha256";

bool lists_tickets(const JournalRecord& record) {
    return !record.ticket_ids.empty() || record.action == to_string(StepAction::delete_tickets) ||
           record.action == to_string(StepAction::delete_archived_tickets) ||
           record.action == restore_tickets_action;
}

}  // namespace

std::string_view to_string(Outcome outcome) {
    for (const auto& [value, name] : outcome_names) {
        if (value == outcome) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Outcome> parse_outcome(std::string_view text) {
    for (const auto& [value, name] : outcome_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

std::string to_json_line(const JournalRecord& record) {
    if (record.source_key != plan_key && record.source_key != journal_key) {
        throw std::invalid_argument(
            "journal record: source_key must be plan_sha256 or "
            "journal_sha256");
    }
    json::object o;
    o["ts"] = record.ts;
    o["run"] = record.run;
    o["account"] = record.account;
    o[record.source_key] = record.source_sha256;
    o["contact_id"] = record.contact_id;
    o["step"] = record.step ? json::value(*record.step) : json::value(nullptr);
    if (!record.action.empty()) {
        o["action"] = record.action;
    }
    if (lists_tickets(record)) {
        o["ticket_ids"] = json::array(record.ticket_ids.begin(), record.ticket_ids.end());
    }
    if (record.permanent) {
        o["permanent"] = true;
    }
    if (record.mode) {
        o["mode"] = to_string(*record.mode);
    }
    if (!record.since.empty()) {
        o["since"] = record.since;
    }
    if (!record.job_id.empty()) {
        o["job_id"] = record.job_id;
    }
    o["outcome"] = to_string(record.outcome);
    if (!record.reason.empty()) {
        o["reason"] = record.reason;
    }
    if (record.status != 0) {
        o["status"] = record.status;
    }
    if (!record.code.empty()) {
        o["code"] = record.code;
    }
    return json::serialize(o);
}

// ---- Reading

namespace {

// A line that is not a record: the message names the key, never a value (values may be anything).
struct LineError {
    std::string what;
};

const json::value* find(const json::object& o, std::string_view key) {
    const auto it = o.find(key);
    return it == o.end() ? nullptr : &it->value();
}

std::string string_at(const json::object& o, std::string_view key, bool required) {
    const json::value* v = find(o, key);
    if (v == nullptr) {
        if (required) {
            throw LineError{"missing key \"" + std::string(key) + "\""};
        }
        return {};
    }
    if (!v->is_string()) {
        throw LineError{std::string(key) + ": not a string"};
    }
    return std::string(v->get_string());
}

using gp::json::integer_of;

std::int64_t integer_at(const json::object& o, std::string_view key, std::int64_t min,
                        std::int64_t max) {
    const json::value* v = find(o, key);
    if (v == nullptr) {
        throw LineError{"missing key \"" + std::string(key) + "\""};
    }
    const auto n = integer_of(*v);
    if (!n || *n < min || *n > max) {
        throw LineError{std::string(key) + ": not an integer in range"};
    }
    return *n;
}

void read_source(const json::object& o, JournalRecord& r) {
    const bool plan = o.contains(plan_key);
    const bool journal = o.contains(journal_key);
    if (plan == journal) {
        throw LineError{"exactly one of \"plan_sha256\" and \"journal_sha256\" is required"};
    }
    r.source_key = std::string(plan ? plan_key : journal_key);
    r.source_sha256 = string_at(o, r.source_key, true);
}

void read_action(const json::object& o, JournalRecord& r) {
    r.action = string_at(o, "action", false);
    if (!r.action.empty() && !parse_step_action(r.action) && r.action != restore_contact_action &&
        r.action != restore_tickets_action) {
        throw LineError{"action: unknown action"};
    }
    if (const json::value* v = find(o, "ticket_ids")) {
        if (!v->is_array()) {
            throw LineError{"ticket_ids: not an array"};
        }
        for (const json::value& item : v->get_array()) {
            const auto id = integer_of(item);
            if (!id || *id <= 0) {
                throw LineError{"ticket_ids: not an array of positive integers"};
            }
            r.ticket_ids.push_back(*id);
        }
    }
    if (const json::value* v = find(o, "permanent")) {
        if (!v->is_bool()) {
            throw LineError{"permanent: not a boolean"};
        }
        r.permanent = v->get_bool();
        if (r.permanent && r.action != to_string(StepAction::delete_archived_tickets)) {
            throw LineError{"permanent: only a delete_archived_tickets record is permanent"};
        }
    }
    if (find(o, "mode") != nullptr) {
        const std::string mode = string_at(o, "mode", true);
        if (mode != "hard" && mode != "soft") {
            throw LineError{"mode: neither \"hard\" nor \"soft\""};
        }
        r.mode = mode == "hard" ? DeleteMode::hard : DeleteMode::soft;
    }
    r.since = string_at(o, "since", false);
    r.job_id = string_at(o, "job_id", false);
}

JournalRecord record_of(const json::object& o) {
    JournalRecord r;
    r.ts = string_at(o, "ts", true);
    if (!parse_timestamp(r.ts)) {
        throw LineError{"ts: not a timestamp YYYY-MM-DDTHH:MM:SSZ"};
    }
    r.run = string_at(o, "run", true);
    r.account = string_at(o, "account", false);
    read_source(o, r);
    r.contact_id = integer_at(o, "contact_id", 1, INT64_MAX);
    if (const json::value* step = find(o, "step"); step != nullptr && !step->is_null()) {
        r.step = static_cast<int>(integer_at(o, "step", 0, INT32_MAX));
    }
    read_action(o, r);
    const auto outcome = parse_outcome(string_at(o, "outcome", true));
    if (!outcome) {
        throw LineError{"outcome: unknown outcome"};
    }
    r.outcome = *outcome;
    r.reason = string_at(o, "reason", false);
    if (find(o, "status") != nullptr) {
        r.status = static_cast<int>(integer_at(o, "status", 0, 999));
    }
    r.code = string_at(o, "code", false);
    return r;
}

// Strictly, like every other input: a duplicate key is an error, not a guess at which counts.
JournalRecord parse_line(std::string_view line) {
    std::string error;
    const std::optional<json::object> object = gp::json::parse_object_line(line, error);
    if (!object) {
        throw LineError{error};
    }
    return record_of(*object);
}

struct ReadResult {
    std::vector<JournalRecord> records;
    off_t complete_size = 0;  // bytes up to the end of the last complete line
    bool torn = false;        // bytes after it (a line without its newline)
    std::size_t lines = 0;    // complete lines read
};

// Parses the complete lines at the start of `text` into `out`; returns the bytes they take.
std::size_t parse_lines(std::string_view text, const std::string& path, ReadResult& out) {
    std::size_t start = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string_view::npos;
         nl = text.find('\n', start)) {
        ++out.lines;
        const std::string_view line = text.substr(start, nl - start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
            try {
                out.records.push_back(parse_line(line));
            } catch (const LineError& e) {
                throw JournalFormatError(path + ":" + std::to_string(out.lines) + ": " + e.what);
            }
        }
        start = nl + 1;
    }
    out.complete_size += static_cast<off_t>(start);
    return start;
}

// Reads the file in blocks; each complete line is parsed as soon as it is there.
ReadResult read_file(const std::string& path, bool missing_ok) {
    ReadResult out;
    const FdCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0 && errno == ENOENT && missing_ok) {
        return out;
    }
    std::string pending;
    std::array<char, 65536> buffer{};
    ssize_t n = 0;
    while (file.fd >= 0 && (n = ::read(file.fd, buffer.data(), buffer.size())) != 0) {
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            break;
        }
        pending.append(buffer.data(), static_cast<std::size_t>(n));
        pending.erase(0, parse_lines(pending, path, out));
    }
    if (file.fd < 0 || n < 0) {
        throw JournalFormatError(path + ": cannot read: " + std::strerror(errno));
    }
    out.torn = !pending.empty();
    return out;
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
    if (const int error = write_fully(fd, bytes); error != 0) {
        throw JournalWriteError(path + ": " + std::strerror(error));
    }
}

void sync(int fd, const std::string& path) {
    if (const int error = sync_file(fd); error != 0) {
        throw JournalWriteError(path + ": " + std::strerror(error));
    }
}

// A new file's directory entry is durable only once the directory is synced.
void sync_directory(const std::string& path) {
    if (const int error = sync_parent_directory(path); error != 0) {
        throw JournalWriteError(path + ": " + std::strerror(error));
    }
}

}  // namespace

std::vector<JournalRecord> read_journal(const std::string& path, bool missing_ok) {
    return read_file(path, missing_ok).records;
}

Journal::Journal(std::string path) : path_(std::move(path)) {
    ReadResult read = read_file(path_, true);
    existing_ = std::move(read.records);
    bool created = true;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0 && errno == EEXIST) {
        created = false;
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    }
    if (fd_ < 0) {
        throw JournalWriteError(path_ + ": " + std::strerror(errno));
    }
    try {
        if (read.torn) {
            if (::ftruncate(fd_, read.complete_size) != 0) {
                throw JournalWriteError(path_ + ": " + std::strerror(errno));
            }
            sync(fd_, path_);
        }
        if (created) {
            sync_directory(path_);
        }
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

Journal::~Journal() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void Journal::append(const JournalRecord& record) {
    const std::string line = to_json_line(record) + "\n";
    std::lock_guard lock(mutex_);
    // Where this line starts: a write that fails half-way is cut off again, so that the next
    // line does not continue a broken one.
    const off_t start = ::lseek(fd_, 0, SEEK_END);
    try {
        write_all(fd_, line, path_);
    } catch (const JournalWriteError&) {
        if (start >= 0) {
            [[maybe_unused]] const int ignored = ::ftruncate(fd_, start);
        }
        throw;
    }
    sync(fd_, path_);
}

std::string new_run_id() {
    std::random_device device;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (int word = 0; word < 4; ++word) {  // 4 x 32 random bits
        const auto bits = static_cast<std::uint32_t>(device());
        for (int shift = 28; shift >= 0; shift -= 4) {
            out += hex[(bits >> shift) & 0x0f];
        }
    }
    return out;
}

}  // namespace gp::executor
