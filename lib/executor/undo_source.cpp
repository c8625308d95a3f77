// What the journals say, as the work of an undo run (docs/apply.md, "undo-soft"): the apply
// journal read newest first into items per contact, and an earlier undo run's final records.
#include "executor/undo_detail.hpp"

#include "plan/plan.hpp"

namespace gp::executor::undo_detail {

namespace {

// A done record of the apply journal.
bool applied(const JournalRecord& r) {
    return r.source == JournalSource::plan && r.outcome == Outcome::done;
}

bool hard_deletion(const JournalRecord& r) {
    return (r.action == to_string(StepAction::delete_contact) && r.mode == DeleteMode::hard) ||
           r.action == to_string(StepAction::purge_soft_deleted);
}

bool contact_deletion(const JournalRecord& r) {
    return r.action == to_string(StepAction::delete_contact) ||
           r.action == to_string(StepAction::purge_soft_deleted);
}

}  // namespace

Source read_source(const std::vector<JournalRecord>& records) {
    Source out;
    std::unordered_set<Id> contacts;
    std::unordered_map<Id, std::size_t> tickets_item;  // contact -> its tickets item
    for (const JournalRecord& r : records) {
        if (applied(r) && hard_deletion(r)) {
            out.hard_deleted.insert(r.contact_id);
        }
    }
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        const JournalRecord& r = *it;
        if (!applied(r)) {
            continue;
        }
        if (contact_deletion(r) && contacts.insert(r.contact_id).second) {
            out.items.push_back(Item{Kind::contact, r.contact_id, {}});
        } else if (r.action == to_string(StepAction::delete_archived_tickets)) {
            // Permanent (`"permanent": true`): listed, never asked for.
            out.items.push_back(Item{Kind::archived, r.contact_id, r.ticket_ids});
        } else if (r.action == to_string(StepAction::delete_tickets)) {
            const auto [slot, added] = tickets_item.emplace(r.contact_id, out.items.size());
            if (added) {
                out.items.push_back(Item{Kind::tickets, r.contact_id, {}});
            }
            const UnixTime ts = parse_timestamp(r.ts).value_or(no_time);
            for (const Id id : r.ticket_ids) {
                const auto [when, fresh] = out.trashed_at.emplace(id, ts);
                if (fresh) {
                    out.items[slot->second].ticket_ids.push_back(id);
                } else if (ts != no_time && (when->second == no_time || ts < when->second)) {
                    when->second = ts;
                }
            }
        }
    }
    return out;
}

std::vector<Task> tasks_of(const std::vector<Item>& items) {
    std::vector<Task> tasks;
    std::unordered_map<Id, std::size_t> task_of;
    for (const Item& item : items) {
        const auto [slot, added] = task_of.emplace(item.contact_id, tasks.size());
        if (added) {
            tasks.push_back(Task{item.contact_id, {}});
        }
        tasks[slot->second].items.push_back(&item);
    }
    return tasks;
}

Recorded read_own(const std::vector<JournalRecord>& records, const std::string& source_sha256) {
    Recorded out;
    for (const JournalRecord& r : records) {
        const bool final = r.outcome == Outcome::done || r.outcome == Outcome::not_restorable ||
                           r.outcome == Outcome::lost;
        if (r.source != JournalSource::journal || r.source_sha256 != source_sha256 || !final) {
            continue;
        }
        if (r.action == restore_contact_action) {
            out.contacts.insert(r.contact_id);
        } else if (r.action == restore_tickets_action) {
            out.tickets.insert(r.ticket_ids.begin(), r.ticket_ids.end());
        }
    }
    return out;
}

}  // namespace gp::executor::undo_detail
