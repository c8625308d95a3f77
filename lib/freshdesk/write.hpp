#pragma once
// Freshdesk's writing endpoints (docs/freshdesk-api.md, "Writing endpoints and the deletion state
// machine"), each sent once through Client::send and answered as an outcome value: what the call
// did, or that the object was already in the wanted state. "Already so" answers are recognized
// here, in one place, so that apply and undo-soft agree on them. Never throws for an HTTP status;
// TransportError only from Client::send_ok, which these functions do not use.
#include "account/account.hpp"
#include "freshdesk/client.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gp::freshdesk {

enum class WriteStatus {
    done,       // the call changed the state as asked (2xx)
    already,    // the object was already in the wanted state (see each function)
    not_found,  // 404 where that does not mean "already so" (unknown, hard-deleted, agent)
    failed,     // anything else: 4xx/5xx after retries, or no answer (status 0)
};

struct WriteResult {
    WriteStatus status = WriteStatus::failed;
    int http_status = 0;  // the final answer's status; 0: no answer
    std::string code;     // Freshdesk's error code, or ""
    std::string
        message;  // for the journal's reason: "405 DELETE not allowed" / the transport error
    bool ok() const { return status == WriteStatus::done || status == WriteStatus::already; }
};

// DELETE /tickets/{id}: 204 done; 405 (already in the trash, or spam) and 404 (unknown or gone)
// already.
WriteResult delete_ticket(Client& client, Id ticket_id);

// DELETE /tickets/archived/{id} (docs/apply.md, "Archived tickets"): removes an archived ticket
// for good (archived tickets have no trash, and no bulk endpoint). 204 done; 404 already (not
// archived: gone already, or never was); anything else failed, the 403 `require_feature` of an
// account without archiving included (with its code).
WriteResult delete_archived_ticket(Client& client, Id ticket_id);

// PUT /tickets/{id}/restore: 204 done; 404 not_found (not in the trash, or gone: the caller tells
// which with view_ticket).
WriteResult restore_ticket(Client& client, Id ticket_id);

// GET /tickets/{id}: the ticket's state as undo-soft needs it.
enum class TicketState { live, trash, spam, gone };
struct TicketLookup {
    std::optional<TicketState> state;  // nothing when the call failed (see result)
    WriteResult result;                // done when the state is known (404 gives gone)
    Id requester_id = no_id;           // when the ticket answered (200)
};
TicketLookup view_ticket_state(Client& client, Id ticket_id);

// POST /tickets/bulk_delete {"bulk_action":{"ids":[...]}} with 1 to 100 ids; never sent twice
// (not repeatable). The job's id on 202.
struct BulkStart {
    std::optional<std::string> job_id;
    WriteResult result;  // done with a job id; failed otherwise (also a 202 without job_id)
};
BulkStart start_bulk_delete(Client& client, std::span<const Id> ticket_ids);

// GET /jobs/{id}. Both status vocabularies are accepted (docs/freshdesk-api.md: unsure): "IN
// PROGRESS" / "in_progress", "SUCCESS" / "completed", "PARTIAL" / "partially_completed", "FAILED" /
// "failed".
enum class JobState { running, success, partial, failed, unknown_job };
struct JobPoll {
    std::optional<JobState> state;  // nothing when the call failed or the status is not known
    WriteResult result;
};
JobPoll poll_job(Client& client, const std::string& job_id);

// DELETE /contacts/{id} (soft delete): 204 done; 405 already (soft-deleted, or blocked); 404
// not_found.
WriteResult soft_delete_contact(Client& client, Id contact_id);

// DELETE /contacts/{id}/hard_delete, without force (the contact must be soft-deleted): 204 done;
// 404 already (gone, or unknown). A 400 (not soft-deleted) is failed.
WriteResult hard_delete_contact(Client& client, Id contact_id);

// PUT /contacts/{id}/restore: 204 done; 404 not_found (not deleted, or gone: the caller tells which
// with view_contact).
WriteResult restore_contact(Client& client, Id contact_id);

// PUT /contacts/{id} {"tags":[...]}: the whole list replaces the contact's tags. 200 done; 405
// failed (soft-deleted); 404 not_found.
WriteResult set_contact_tags(Client& client, Id contact_id, const std::vector<std::string>& tags);

}  // namespace gp::freshdesk
