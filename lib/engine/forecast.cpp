// docs/plan.md, `forecast`: the daily runs of the coming days, each evaluated by evaluate() on the
// account as the runs before it left it.
#include "engine/engine.hpp"

#include <algorithm>
#include <unordered_map>

namespace gp {

namespace {

// The account as the runs change it: what apply's steps do, without the calls.
class DailyRuns {
  public:
    explicit DailyRuns(Snapshot& snapshot) : snapshot_(snapshot) {
        const auto& tickets = snapshot_.tickets();
        for (std::size_t i = 0; i < tickets.size(); ++i) {
            by_id_[tickets[i].id] = i;
            by_requester_[tickets[i].requester_id].push_back(i);
        }
    }

    void apply(const Plan& plan, UnixTime when) {
        std::vector<Id> removed;
        for (const Entry& entry : plan.entries) {
            Contact* contact = find(entry.contact_id);
            if (contact == nullptr) {
                continue;
            }
            for (const Step& step : entry.steps) {
                if (apply_step(*contact, step, when)) {
                    removed.push_back(contact->id);
                }
            }
        }
        std::erase_if(snapshot_.contacts, [&](const Contact& c) {
            return std::binary_search(removed.begin(), removed.end(), c.id);
        });
    }

  private:
    Contact* find(Id id) {
        auto& contacts = snapshot_.contacts;
        const auto it = std::lower_bound(contacts.begin(), contacts.end(), id,
                                         [](const Contact& c, Id key) { return c.id < key; });
        return it != contacts.end() && it->id == id ? &*it : nullptr;
    }

    void trash(Id ticket_id) {
        if (const auto it = by_id_.find(ticket_id); it != by_id_.end()) {
            snapshot_.trash_ticket(it->second);
        }
    }

    static void retag(Contact& contact, std::optional<std::vector<std::string>> tags) {
        if (tags) {
            contact.tags = std::move(*tags);
        }
    }

    // Returns whether the contact is gone for good after the step.
    bool apply_step(Contact& contact, const Step& step, UnixTime when) {
        switch (step.action) {
            case StepAction::delete_tickets:
            case StepAction::delete_archived_tickets:
                for (const Id id : step.ticket_ids) {
                    trash(id);
                }
                return false;
            case StepAction::delete_contact:
                if (step.mode == DeleteMode::hard) {
                    for (const std::size_t i : by_requester_[contact.id]) {
                        snapshot_.trash_ticket(i);
                    }
                    return true;
                }
                retag(contact, tags_soft_deleted(contact.tags));
                contact.state = ContactState::soft_deleted;
                contact.updated_at = when;
                return false;
            case StepAction::mark_pending:
                retag(contact, tags_marked(contact.tags, step.since));
                contact.updated_at = when;
                return false;
            case StepAction::clear_pending:
                retag(contact, tags_cleared(contact.tags));
                contact.updated_at = when;
                return false;
            case StepAction::purge_soft_deleted:
                return true;
        }
        return false;
    }

    Snapshot& snapshot_;
    std::unordered_map<Id, std::size_t> by_id_;
    std::unordered_map<Id, std::vector<std::size_t>> by_requester_;
};

}  // namespace

std::vector<ForecastDay> forecast(Snapshot snapshot, const Rules& rules, UnixTime as_of, int days,
                                  const Plan& today) {
    std::sort(snapshot.contacts.begin(), snapshot.contacts.end(),
              [](const Contact& a, const Contact& b) { return a.id < b.id; });
    DailyRuns runs(snapshot);
    runs.apply(today, as_of);
    std::vector<ForecastDay> out;
    for (int d = 1; d <= days; ++d) {
        const UnixTime when = as_of + d * seconds_per_day;
        const Plan plan = evaluate(snapshot, rules, when);
        const Summary& summary = plan.header.summary;
        out.push_back(ForecastDay{.date = format_date(when),
                                  .tickets = summary.tickets_to_delete,
                                  .archived_tickets = summary.archived_tickets_to_delete,
                                  .contacts = summary.contacts_to_delete,
                                  .marked = summary.contacts_to_mark,
                                  .purged = summary.soft_deleted_to_purge});
        runs.apply(plan, when);
    }
    return out;
}

}  // namespace gp
