#pragma once
// The archive index (docs/reading.md, "Archived tickets"): what GET /tickets/archived/{id} said of
// each ticket id it was asked about, kept between runs so that every id is probed once in the
// account's lifetime. One JSON Lines file per account in the state directory: a header line, then
// one line per fact, appended and fsynced; replayed in order (later lines win):
//   {"format":"gdpr-purge-archive-index","version":1,"account":"acme.freshdesk.com"}
//   {"id":12,"archived":{"requester_id":1,"responder_id":null,"group_id":5,"type":"Question",
//     "tags":["a"],"status":5,"created_at":"2026-01-01T00:00:00Z","updated_at":"..."}}
//   {"id":13,"gone":true}     (404: not archived, and not shown by any list when it was probed)
//   {"id":14,"drop":true}     (a list showed it again: the earlier record no longer holds)
// Ids 0 (no responder, no group) are written as null, and so are a missing type and time. No
// names, emails or ticket content are ever stored.
#include "account/account.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gp::archive {

inline constexpr std::string_view index_format = "gdpr-purge-archive-index";
inline constexpr int index_version = 1;

// The default state directory: $XDG_STATE_HOME/gdpr-purge (when set to an absolute path), else
// $HOME/.local/state/gdpr-purge; "" when neither is set.
std::string default_state_dir();

// The index file of an account: <state_dir>/<account>.archive.jsonl, every character of the account
// outside [A-Za-z0-9._-] replaced by '_'.
std::string index_path(const std::string& state_dir, const std::string& account);

// The state directory or the index file cannot be created, read, written or synced.
class IndexError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Index {
  public:
    // Opens or creates the index of `account` under `state_dir` (created 0700 with its missing
    // parents). A file whose header names another account, format or version, or that has a bad
    // line other than a torn last line, is renamed to <path>.set-aside-<yyyymmddThhmmssZ> (UTC)
    // and a new index begun; a torn last line (no final newline: a run killed while writing it) is
    // dropped silently and cut off the file. The file is flock'd (exclusive) while open; when
    // another process holds it, the index is read but opens read-only. Each thing worth telling
    // adds one sentence to `warnings`. Throws IndexError.
    static std::unique_ptr<Index> open(const std::string& state_dir, const std::string& account,
                                       std::vector<std::string>& warnings);

    // An empty in-memory index, read-only: it learns what it is told and writes nothing.
    Index() = default;
    ~Index();
    Index(const Index&) = delete;
    Index& operator=(const Index&) = delete;

    // Every call is thread-safe. A pointer returned by archived() stays valid until the id's record
    // is replaced, made gone or dropped; for_each_archived() holds the index's lock: `f` must not
    // call it.
    bool knows(Id id) const;                    // archived or gone
    const TicketRecord* archived(Id id) const;  // nullptr when not known archived
    bool gone(Id id) const;
    // Records what GET /tickets/archived/{id} answered; replaces any earlier record of the id.
    // The record kept is what the index stores: archived, not spam, not deleted, no closed_at (an
    // archived ticket's close time is its updated_at). Throws std::invalid_argument when
    // ticket.archived is false, the id is not positive, or a field cannot be stored (negative id,
    // status outside 0..65535); IndexError when the line cannot be written.
    void add_archived(const TicketRecord& ticket);
    void add_gone(Id id);  // replaces an archived record of the id too
    void drop(Id id);  // a list showed this id: any record of it no longer holds (no-op if unknown)
    // fsyncs what was appended (done too every 256 appends, and by the destructor).
    void flush();

    std::vector<TicketRecord> archived_of(Id requester_id) const;  // ascending id
    // Ascending id.
    void for_each_archived(const std::function<void(const TicketRecord&)>& f) const;
    std::int64_t archived_count() const;
    std::int64_t gone_count() const;
    // The highest ticket id any line of the index named (0: none): ticket ids up to it exist.
    Id highest_id() const;

    bool read_only() const { return fd_ < 0; }         // appends change the memory only
    const std::string& path() const { return path_; }  // "" for an in-memory index
    std::int64_t sync_count() const;                   // fsyncs of the file so far (tests)

  private:
    // Ids as 64-bit words of bits, keyed by id / 64: 1 bit an id when ids are dense.
    class IdSet {
      public:
        bool contains(Id id) const;
        bool insert(Id id);  // false: already there
        bool erase(Id id);   // false: was not there
        std::int64_t size() const { return size_; }
        void clear();

      private:
        std::unordered_map<Id, std::uint64_t> words_;
        std::int64_t size_ = 0;
    };

    // The in-memory effect of one record (no lock, no file); true when something changed.
    bool set_archived(TicketRecord record);
    bool set_gone(Id id);
    bool set_dropped(Id id);
    void forget_archived(std::map<Id, TicketRecord>::iterator it);
    void clear();
    void append_line(const std::string& line);  // locked by the caller
    void sync_locked();

    std::string path_;
    int fd_ = -1;  // the file, open for appending and flock'd; -1: read-only
    mutable std::mutex mutex_;
    std::map<Id, TicketRecord> archived_;
    std::unordered_map<Id, std::vector<Id>> by_requester_;  // requester -> archived ids, unsorted
    IdSet gone_;
    Id highest_ = 0;
    int unsynced_ = 0;
    std::int64_t syncs_ = 0;

    friend struct Loader;
};

}  // namespace gp::archive
