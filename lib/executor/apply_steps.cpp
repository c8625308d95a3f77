// Apply's steps (docs/plan.md, the actions), each with the fewest calls that are safe: what the
// re-read shows already done is not sent again, so that a resumed run repeats no deletion.
#include "executor/apply_detail.hpp"

#include "engine/engine.hpp"
#include "freshdesk/read.hpp"
#include "freshdesk/write.hpp"

#include <algorithm>
#include <span>
#include <thread>

namespace gp::executor::detail {

namespace {

constexpr std::size_t bulk_max_ids = 100;  // the bulk endpoint's limit

using freshdesk::WriteResult;
using freshdesk::WriteStatus;

StepResult failed(const WriteResult& result, const std::string& what) {
    StepResult out;
    out.outcome = Outcome::failed;
    out.reason = what + ": " + result.message;
    out.status = result.http_status;
    out.code = result.code;
    return out;
}

// Marks a done step that changed nothing (or did).
void set_already(StepResult& out, bool already) {
    out.already = already;
    out.reason = already ? std::string(already_so_reason) : "";
}

// Whether a done step changed the account, or found it so already.
enum class Change { made, none };

StepResult done(Change change) {
    StepResult out;
    set_already(out, change == Change::none);
    return out;
}

// In exact mode (the contact was not re-read), an answer other than "done" (404, or the 405 of a
// state already reached) says that the account differs from the plan's facts.
bool surprising(const StepContext& context, const WriteResult& result) {
    return context.exact &&
           (result.status == WriteStatus::already || result.status == WriteStatus::not_found);
}

StepResult surprise(std::int64_t tickets_deleted = 0) {
    StepResult out;
    out.surprise = true;
    out.tickets_deleted = tickets_deleted;
    return out;
}

// DELETE per ticket; 405 and 404 mean already in the trash (or gone).
StepResult delete_each(StepContext& context, std::span<const Id> ids) {
    StepResult out;
    for (Id id : ids) {
        const WriteResult result = freshdesk::delete_ticket(context.client, id);
        if (surprising(context, result)) {
            return surprise(out.tickets_deleted);
        }
        if (!result.ok()) {
            return failed(result, "ticket " + std::to_string(id));
        }
        out.tickets_deleted += result.status == WriteStatus::done ? 1 : 0;
    }
    return out;
}

// One bulk job for at most 100 tickets, waited for; whatever the job did not finish is deleted
// one by one (the job's per-ticket payload is not relied upon).
StepResult delete_by_job(StepContext& context, std::span<const Id> ids) {
    const freshdesk::BulkStart start = freshdesk::start_bulk_delete(context.client, ids);
    if (!start.job_id) {
        if (start.result.http_status == 0 || start.result.http_status >= 500) {
            // No answer, or a server error: a job may exist. Deleting one by one is still safe
            // (405 for what a job trashed).
            return delete_each(context, ids);
        }
        return failed(start.result, "bulk deletion");
    }
    context.count_bulk_job();
    context.record_started(*start.job_id);
    StepResult out;
    if (!wait_for_job(context, *start.job_id, context.first_job_poll)) {
        // A 405 is then the job's own work: never a surprise.
        StepContext after_job = context;
        after_job.exact = false;
        out = delete_each(after_job, ids);
    }
    if (out.outcome == Outcome::done) {
        // Live at the re-read, in the trash now: by the job, or by the DELETEs after it (405s).
        out.tickets_deleted = static_cast<std::int64_t>(ids.size());
    }
    return out;
}

StepResult delete_tickets(StepContext& context, const Step& step, Fresh& fresh) {
    std::vector<Id> live;
    for (Id id : step.ticket_ids) {
        if (std::any_of(fresh.live.begin(), fresh.live.end(),
                        [&](const TicketRecord& t) { return t.id == id; })) {
            live.push_back(id);
        }
    }
    StepResult out = done(live.empty() ? Change::none : Change::made);
    if (live.size() < context.options.bulk_threshold) {
        out = delete_each(context, live);
    } else {
        for (std::size_t at = 0; at < live.size() && out.outcome == Outcome::done;
             at += bulk_max_ids) {
            const std::size_t count = std::min(bulk_max_ids, live.size() - at);
            StepResult chunk = delete_by_job(context, std::span(live).subspan(at, count));
            chunk.tickets_deleted += out.tickets_deleted;
            out = std::move(chunk);
            if (out.surprise) {
                return out;
            }
        }
    }
    if (out.surprise) {
        return out;
    }
    if (out.outcome == Outcome::done) {
        std::erase_if(fresh.live, [&](const TicketRecord& t) {
            return std::find(live.begin(), live.end(), t.id) != live.end();
        });
        set_already(out, live.empty());
    }
    return out;
}

// DELETE /tickets/archived/{id} for each planned id: no bulk endpoint exists for archived tickets,
// and their deletion is permanent. A started record goes first (docs/apply.md, "Archived
// tickets"): a later run then knows that a 404 may be this step's own effect. Without it, a 404
// means the ticket was gone before this run (the archive index was stale): the step is done (the
// ticket is gone either way), and the entry's later steps wait for a new plan (gone_before).
// Each deleted or gone id is reported at once (the archive index records it).
StepResult delete_archived(StepContext& context, const Step& step, Fresh& fresh) {
    if (step.ticket_ids.empty()) {
        return done(Change::none);
    }
    context.record_started("");
    StepResult out;
    for (Id id : step.ticket_ids) {
        const WriteResult result = freshdesk::delete_archived_ticket(context.client, id);
        if (!result.ok()) {
            StepResult failure = failed(result, "archived ticket " + std::to_string(id));
            failure.archived_deleted = out.archived_deleted;
            return failure;
        }
        context.archived_gone(id);
        std::erase_if(fresh.archived, [&](const TicketRecord& t) { return t.id == id; });
        if (result.status == WriteStatus::done) {
            ++out.archived_deleted;
        } else if (!context.begun && !out.gone_before) {
            out.gone_before = id;
        }
    }
    set_already(out, out.archived_deleted == 0);
    return out;
}

// Whether GET /contacts/{id} shows the contact soft-deleted. A DELETE's 405 means "already
// soft-deleted" only then: a blocked contact answers 405 too, and the view does not say blocked.
bool shown_soft_deleted(StepContext& context, Id contact_id) {
    try {
        const auto view = freshdesk::view_contact(context.client, contact_id);
        return view && view->contact.state == ContactState::soft_deleted;
    } catch (const freshdesk::ApiError& error) {
        if (error.authentication()) {
            throw;
        }
        return false;
    } catch (const std::runtime_error&) {  // TransportError, FormatError: not known
        return false;
    }
}

// Hard: soft delete, then hard delete (the path that works on every account); what the re-read
// shows done is skipped. Soft: tagged gdpr-purge-deleted (pending tags replaced), then deleted.
StepResult delete_contact(StepContext& context, const Step& step, Fresh& fresh) {
    Contact& contact = *fresh.contact;
    const bool active = contact.state == ContactState::active;
    if (step.mode == DeleteMode::soft) {
        if (!active) {
            return done(Change::none);
        }
        if (auto tags = tags_soft_deleted(contact.tags)) {
            const WriteResult tagged =
                freshdesk::set_contact_tags(context.client, contact.id, *tags);
            if (surprising(context, tagged)) {
                return surprise();
            }
            if (!tagged.ok()) {
                return failed(tagged, "tagging the contact " + std::string(deleted_tag));
            }
            contact.tags = std::move(*tags);
        }
    }
    if (active) {
        const WriteResult soft = freshdesk::soft_delete_contact(context.client, contact.id);
        if (surprising(context, soft)) {
            return surprise();
        }
        // A 404 is fine on the hard path (the hard delete then says whether it is gone); a soft
        // deletion that meets one did not happen (an agent now, or merged).
        const bool gone_ok = step.mode == DeleteMode::hard && soft.status == WriteStatus::not_found;
        if (!soft.ok() && !gone_ok) {
            return failed(soft, "deleting the contact");
        }
        if (soft.status == WriteStatus::already && !shown_soft_deleted(context, contact.id)) {
            return failed(soft,
                          "deleting the contact (refused, and the contact is not shown "
                          "soft-deleted: blocked?)");
        }
        contact.state = ContactState::soft_deleted;
    }
    if (step.mode == DeleteMode::soft) {
        return done(Change::made);
    }
    const WriteResult hard = freshdesk::hard_delete_contact(context.client, contact.id);
    if (surprising(context, hard)) {
        return surprise();
    }
    if (!hard.ok()) {
        return failed(hard, "hard-deleting the contact");
    }
    fresh.contact.reset();
    return done(Change::made);
}

StepResult retag(StepContext& context, Fresh& fresh,
                 const std::optional<std::vector<std::string>>& tags) {
    if (!tags) {
        return done(Change::none);
    }
    const WriteResult result =
        freshdesk::set_contact_tags(context.client, fresh.contact->id, *tags);
    if (surprising(context, result)) {
        return surprise();
    }
    if (!result.ok()) {
        return failed(result, "updating the contact's tags");
    }
    fresh.contact->tags = *tags;
    return done(Change::made);
}

StepResult purge(StepContext& context, Fresh& fresh) {
    const WriteResult hard = freshdesk::hard_delete_contact(context.client, fresh.contact->id);
    if (surprising(context, hard)) {
        return surprise();
    }
    if (!hard.ok()) {
        return failed(hard, "hard-deleting the soft-deleted contact");
    }
    fresh.contact.reset();
    return done(hard.status == WriteStatus::done ? Change::made : Change::none);
}

}  // namespace

bool wait_for_job(StepContext& context, const std::string& job_id,
                  std::optional<std::chrono::milliseconds> first_poll) {
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + context.options.job_timeout;
    auto delay = first_poll.value_or(context.options.first_job_poll);
    while (true) {
        std::this_thread::sleep_for(delay);
        const freshdesk::JobPoll poll = freshdesk::poll_job(context.client, job_id);
        if (poll.state && *poll.state != freshdesk::JobState::running) {
            if (context.job_ended) {
                context.job_ended(std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start));
            }
            return *poll.state == freshdesk::JobState::success;
        }
        if ((!poll.state && poll.result.http_status != 0 && poll.result.http_status < 500) ||
            std::chrono::steady_clock::now() + delay > deadline) {
            return false;
        }
        delay = std::min(delay * 2, context.options.max_job_poll);
    }
}

StepResult run_step(StepContext& context, const Entry& entry, std::size_t index, Fresh& fresh) {
    const Step& step = entry.steps[index];
    if (!fresh.contact) {
        // Hard-deleted by an earlier step of this entry: the contact step is the entry's last.
        return done(Change::none);
    }
    switch (step.action) {
        case StepAction::delete_tickets:
            return delete_tickets(context, step, fresh);
        case StepAction::delete_archived_tickets:
            return delete_archived(context, step, fresh);
        case StepAction::delete_contact:
            return delete_contact(context, step, fresh);
        case StepAction::mark_pending:
            return retag(context, fresh, tags_marked(fresh.contact->tags, step.since));
        case StepAction::clear_pending:
            return retag(context, fresh, tags_cleared(fresh.contact->tags));
        case StepAction::purge_soft_deleted:
            return purge(context, fresh);
    }
    return done(Change::none);
}

}  // namespace gp::executor::detail
