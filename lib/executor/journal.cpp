// The journal file (docs/apply.md, "The journal"): read in blocks, a torn last line cut off,
// appended line by line, each chained to the one before and synced before the next step; the
// lines themselves are journal_line.cpp's.
#include "executor/journal.hpp"

#include "executor/journal_detail.hpp"

#include "util/clock.hpp"
#include "util/durable.hpp"
#include "util/encoding.hpp"
#include "util/sha256.hpp"

#include "time/time.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

namespace gp::executor {

namespace {

struct ReadResult {
    std::vector<JournalRecord> records;
    std::string last_line;    // the last complete line's bytes (without its newline)
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
                detail::JournalLine parsed = detail::parse_journal_line(line);
                if (parsed.record) {
                    out.records.push_back(std::move(*parsed.record));
                }
            } catch (const detail::LineError& e) {
                throw JournalFormatError(path + ":" + std::to_string(out.lines) + ": " + e.what);
            }
        }
        out.last_line.assign(line);
        start = nl + 1;
    }
    out.complete_size += static_cast<off_t>(start);
    return start;
}

// Reads the file in blocks; each complete line is parsed as soon as it is there.
ReadResult read_file(const std::string& path, MissingJournal missing) {
    ReadResult out;
    const FdCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0 && errno == ENOENT && missing == MissingJournal::empty) {
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

std::vector<JournalRecord> read_journal(const std::string& path, MissingJournal missing) {
    return read_file(path, missing).records;
}

Journal::Journal(std::string path) : path_(std::move(path)) {
    ReadResult read = read_file(path_, MissingJournal::empty);
    existing_ = std::move(read.records);
    if (read.complete_size > 0) {
        last_hash_ = sha256_hex(read.last_line);
    }
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
    std::lock_guard lock(mutex_);
    // The chain: the hash of the file's last line, or on a first line the line's own source.
    if (last_hash_.empty() && !detail::is_sha256_hex(record.source_sha256)) {
        throw std::invalid_argument("journal record: the source hash is not a SHA-256");
    }
    write_line(to_json_line(record, last_hash_.empty() ? record.source_sha256 : last_hash_));
    last_record_ = record;
    last_signed_ = false;
}

void Journal::write_line(const std::string& text) {
    const std::string line = text + "\n";
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
    // The line is in the file now, synced or not: the next line (or the signature) chains to it.
    last_hash_ = sha256_hex(text);
    ++appended_;
    sync(fd_, path_);
}

std::size_t Journal::appended() const {
    std::lock_guard lock(mutex_);
    return appended_;
}

bool Journal::sign(const Ed25519PrivateKey& key) {
    std::lock_guard lock(mutex_);
    if (appended_ == 0 || last_signed_) {
        return false;
    }
    JournalSignature signature;
    signature.ts = format_timestamp(now_seconds());
    signature.run = last_record_.run;
    signature.account = last_record_.account;
    signature.source = last_record_.source;
    signature.source_sha256 = last_record_.source_sha256;
    signature.prev = last_hash_;
    signature.key_id = key.key_id();
    signature.sig = key.sign_hex(signed_message(signature));
    write_line(to_json_line(signature));
    last_signed_ = true;
    return true;
}

std::string new_run_id() {
    std::random_device device;
    std::string bytes;
    for (int word = 0; word < 4; ++word) {  // 4 x 32 random bits, as 32 hex digits
        const auto bits = static_cast<std::uint32_t>(device());
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes += static_cast<char>((bits >> shift) & 0xffu);
        }
    }
    return hex_lower(bytes);
}

}  // namespace gp::executor
