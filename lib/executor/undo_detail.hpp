#pragma once
// Internal to lib/executor's undo-soft (undo.cpp, undo_source.cpp): what the journals say, as
// the work of an undo run: the apply journal's soft deletions as items per contact, newest first,
// and what an earlier undo run of it recorded as final.
#include "executor/journal.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gp::executor::undo_detail {

// One thing to undo: a contact (restore, or not restorable), a contact's trashed tickets, or its
// archived tickets (deleted permanently: never restorable).
enum class Kind { contact, tickets, archived };
struct Item {
    Kind kind = Kind::contact;
    Id contact_id = 0;
    std::vector<Id> ticket_ids;  // tickets, archived: in the order met, newest record first
};

struct Source {
    std::vector<Item> items;                      // newest first
    std::unordered_set<Id> hard_deleted;          // contacts gone for good by this journal
    std::unordered_map<Id, UnixTime> trashed_at;  // per ticket: its earliest done record's ts
};

// Walks the apply journal from its last record to its first.
Source read_source(const std::vector<JournalRecord>& records);

// The items of one contact, in the order met: what one worker does, in that order (its contact
// before the tickets trashed before the contact's deletion).
struct Task {
    Id contact_id = 0;
    std::vector<const Item*> items;
};

// Newest first: a contact comes where its newest item is.
std::vector<Task> tasks_of(const std::vector<Item>& items);

// What an earlier undo run of the same apply journal recorded as final.
struct Recorded {
    std::unordered_set<Id> contacts;
    std::unordered_set<Id> tickets;
};

Recorded read_own(const std::vector<JournalRecord>& records, const std::string& source_sha256);

}  // namespace gp::executor::undo_detail
