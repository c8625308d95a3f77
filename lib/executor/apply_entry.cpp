// How apply looks at an entry before its steps (docs/apply.md, "Per entry"): by the look for
// changes when the account shows nothing of it changed since the plan, else by the re-read and
// re-check of its contact; and what the run knows of that contact (blocked, archived).
#include "executor/apply_runner.hpp"

#include "freshdesk/read.hpp"
#include "time/time.hpp"

#include <algorithm>

namespace gp::executor::detail {

// The look path (docs/apply.md, "The look for changes"): true when the looks show the contact
// unchanged since the plan; `fresh` then holds the plan's facts (the contact's view for the steps
// that write its tags: they need its tags, and the view must show it as planned too). False: the
// entry is re-read, unless `ending` says the view failed.
bool Runner::by_look(const Entry& entry, Fresh& fresh, std::optional<Ending>& ending) {
    Looks::Seen seen;
    try {
        seen = looks_->check(entry.contact_id);
    } catch (const freshdesk::ApiError& error) {
        if (error.authentication()) {
            throw;
        }
        return false;  // a look that failed tells nothing: the entry is re-read (and the next
                       // entry tries a look again)
    } catch (const std::runtime_error&) {  // TransportError, FormatError
        return false;
    }
    if (seen.changed ||
        std::chrono::steady_clock::now() - seen.look_started > options_.look_max_age) {
        return false;  // changed, or no look recent enough (a slow account): re-read
    }
    fresh.archived = archived_of(entry.contact_id);
    for (Id id : planned_archived_ids(entry)) {
        if (std::none_of(fresh.archived.begin(), fresh.archived.end(),
                         [id](const TicketRecord& t) { return t.id == id; })) {
            return false;  // the index no longer knows it: the re-check says why
        }
    }
    const bool purge = std::any_of(entry.steps.begin(), entry.steps.end(), [](const Step& step) {
        return step.action == StepAction::purge_soft_deleted;
    });
    const ContactState planned = purge ? ContactState::soft_deleted : ContactState::active;
    if (writes_contact_tags(entry) || !seen.known) {
        std::optional<freshdesk::ContactView> view;
        try {
            view = freshdesk::view_contact(client_, entry.contact_id);
        } catch (const freshdesk::ApiError& error) {
            if (error.authentication()) {
                throw;
            }
            record_read_failure(entry, error.what(), error.status(), error.code());
            ending = Ending::failed;
            return false;
        } catch (const std::runtime_error& error) {  // TransportError, FormatError
            record_read_failure(entry, error.what(), 0, "");
            ending = Ending::failed;
            return false;
        }
        if (!view || view->blocked || view->contact.state != planned ||
            format_timestamp(view->contact.updated_at) != entry.expect.contact_updated_at ||
            looks_->agent_email(view->contact.email)) {
            return false;
        }
        fresh.contact = std::move(view->contact);
    } else {
        Contact contact;
        contact.id = entry.contact_id;
        contact.state = planned;
        fresh.contact = std::move(contact);
    }
    for (Id id : entry.expect.ticket_ids) {
        TicketRecord ticket;
        ticket.id = id;
        ticket.requester_id = entry.contact_id;
        fresh.live.push_back(std::move(ticket));
    }
    if (writes_contact_tags(entry) || !seen.known) {
        // Checked again: the view may have waited its turn. The window starts at the look's start.
        try {
            seen = looks_->check(entry.contact_id);
        } catch (const freshdesk::ApiError& error) {
            if (error.authentication()) {
                throw;
            }
            seen.changed = true;
        } catch (const std::runtime_error&) {
            seen.changed = true;
        }
        if (std::chrono::steady_clock::now() - seen.look_started > options_.look_max_age) {
            seen.changed = true;
        }
        if (seen.changed) {
            fresh = Fresh{};
            return false;
        }
    }
    std::lock_guard lock(mutex_);
    looked_at_[entry.contact_id] = seen.look_started;
    return true;
}

std::chrono::steady_clock::time_point Runner::looked_at_at(Id contact_id) {
    std::lock_guard lock(mutex_);
    return looked_at_.at(contact_id);
}

// The re-read (apply_read.cpp), with what the run knows of the contact: blocked, archived.
Fresh Runner::read_fresh(const Entry& entry) {
    FreshRead read(client_, header_.rules);
    read.blocked =
        blocked_.contains(entry.contact_id) || (looks_ && looks_->blocked(entry.contact_id));
    read.probe_archived = options_.probe_archived;
    read.archived = archived_of(entry.contact_id);
    read.archived_found = [this](const TicketRecord& ticket) { archived_found(ticket); };
    return detail::read_fresh(entry, read);  // apply_read.cpp
}

// The archive index's archived tickets of the contact, minus those this run deleted or found gone.
std::vector<TicketRecord> Runner::archived_of(Id contact_id) {
    std::vector<TicketRecord> out;
    std::lock_guard lock(mutex_);
    if (options_.archived_of) {
        out = options_.archived_of(contact_id);
    }
    std::erase_if(out, [&](const TicketRecord& t) { return gone_.contains(t.id); });
    for (TicketRecord& ticket : out) {
        ticket.archived = true;
    }
    std::sort(out.begin(), out.end(),
              [](const TicketRecord& a, const TicketRecord& b) { return a.id < b.id; });
    return out;
}

void Runner::archived_found(const TicketRecord& ticket) {
    std::lock_guard lock(mutex_);
    if (options_.on_archived_found) {
        options_.on_archived_found(ticket);
    }
}

void Runner::archived_gone(Id ticket_id) {
    std::lock_guard lock(mutex_);
    gone_.insert(ticket_id);
    if (options_.on_archived_gone) {
        options_.on_archived_gone(ticket_id);
    }
}

// Re-reads the contact before step `next` and re-checks it; nothing when the steps may go on.
std::optional<Runner::Ending> Runner::reread(const Entry& entry, std::size_t next, bool begun,
                                             Fresh& fresh) {
    try {
        fresh = read_fresh(entry);
    } catch (const freshdesk::ApiError& error) {
        if (error.authentication()) {
            throw;
        }
        record_read_failure(entry, error.what(), error.status(), error.code());
        return Ending::failed;
    } catch (const std::runtime_error& error) {  // TransportError, FormatError
        record_read_failure(entry, error.what(), 0, "");
        return Ending::failed;
    }
    const RecheckContext context{archive_complete_, begun};
    // The agents as the latest look saw them: one made an agent since the run began counts.
    std::optional<Snapshot> latest;
    if (looks_ && looks_->looks() > 0) {
        latest = names_;
        latest->agents = looks_->agents();
    }
    const Snapshot& names = latest ? *latest : names_;
    return conclude(entry, next,
                    recheck(entry, next, fresh, names, header_.rules, as_of_, context));
}

void Runner::record_read_failure(const Entry& entry, const std::string& what, int status,
                                 const std::string& code) {
    JournalRecord record = record_of(entry, std::nullopt);
    record.outcome = Outcome::failed;
    record.reason = "re-reading the contact: " + what;
    record.status = status;
    record.code = code;
    append(record);
}

// A skip or "already so" is recorded and ends the entry; proceed gives nothing.
std::optional<Runner::Ending> Runner::conclude(const Entry& entry, std::size_t next,
                                               const Check& check) {
    if (check.verdict == Verdict::skip) {
        JournalRecord record = record_of(entry, std::nullopt);
        record.outcome = Outcome::skipped;
        record.reason = check.reason;
        append(record);
        return Ending::skipped;
    }
    if (check.verdict == Verdict::done_already) {
        for (std::size_t k = next; k < entry.steps.size(); ++k) {
            JournalRecord record = record_of(entry, k);
            record.reason = check.reason;
            append(record);
        }
        return Ending::done;
    }
    return std::nullopt;
}

}  // namespace gp::executor::detail
