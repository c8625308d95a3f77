#pragma once
// Internal to lib/archive (index.cpp, index_detail.cpp): the index file's durable appends and
// its line format (docs/reading.md, "Archived tickets").
#include "account/account.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace gp::archive::detail {

inline constexpr int max_status = 65535;  // Ticket::status is 16 bits

// A line that is no record: the message names the key, never a value.
struct LineError {
    std::string what;
};

enum class Kind { archived, gone, drop };

struct Record {
    Kind kind = Kind::gone;
    TicketRecord ticket;  // archived: the facts; otherwise only the id
};

struct Header {
    std::string format;
    std::int64_t version = 0;
    std::string account;
};

// ---- Files: each throws IndexError naming the path.
std::string errno_text();
void write_all(int fd, std::string_view bytes, const std::string& path);
void sync_fd(int fd, const std::string& path);
// A new or renamed directory entry is durable only once its directory is synced.
void sync_directory_of(const std::string& path);
// mkdir -p, each directory made here 0700 (whatever the umask).
void make_directories(const std::string& dir);
// "20260101T000000Z": the time a file is set aside, in its new name.
std::string set_aside_stamp();
bool exists(const std::string& path);

// ---- Lines: the reading ones throw LineError, never naming a value.
Record record_of(std::string_view text);
Header header_of(std::string_view text);
std::string header_line(const std::string& account);
std::string archived_line(const TicketRecord& r);
std::string marker_line(Id id, std::string_view kind);
bool same_record(const TicketRecord& a, const TicketRecord& b);
// std::invalid_argument for an id that is not positive.
void require_positive(Id id, const char* what);

}  // namespace gp::archive::detail
