// Freshdesk's writing endpoints as outcome values (write.hpp). Which answer means "already so" is
// decided here, from docs/freshdesk-api.md's state machines, and nowhere else.
#include "freshdesk/write.hpp"

#include "freshdesk/read_detail.hpp"
#include "freshdesk/reply_detail.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

namespace gp::freshdesk {

namespace {

Call make_call(std::string method, std::string target, std::string body = "") {
    Call call;
    call.method = std::move(method);
    call.target = std::move(target);
    call.body = std::move(body);
    return call;
}

std::string ticket_target(Id id) {
    return "/api/v2/tickets/" + std::to_string(id);
}
std::string contact_target(Id id) {
    return "/api/v2/contacts/" + std::to_string(id);
}

// The answer as a failed result: status, Freshdesk's code and a short message for the journal.
WriteResult failure(const Reply& reply) {
    WriteResult result;
    result.status = WriteStatus::failed;
    result.http_status = reply.status;
    result.code = detail::error_code(reply);
    result.message = (reply.status == 0 ? "" : "HTTP ") + detail::describe_reply(reply);
    return result;
}

WriteResult with_status(const Reply& reply, WriteStatus status) {
    WriteResult result = failure(reply);
    result.status = status;
    if (status == WriteStatus::done) {
        result.message.clear();
    }
    return result;
}

// 2xx: done; a status in `already`: already; 404 (when not in `already`): not_found; else failed.
WriteResult classify(const Reply& reply, std::initializer_list<int> already) {
    if (reply.ok()) {
        return with_status(reply, WriteStatus::done);
    }
    if (std::find(already.begin(), already.end(), reply.status) != already.end()) {
        return with_status(reply, WriteStatus::already);
    }
    if (reply.status == 404) {
        return with_status(reply, WriteStatus::not_found);
    }
    return failure(reply);
}

std::string upper_words(std::string text) {
    for (char& ch : text) {
        ch = ch == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return text;
}

std::optional<JobState> job_state(const std::string& status) {
    const std::string word = upper_words(status);
    if (word == "IN PROGRESS" || word == "QUEUED") {
        return JobState::running;
    }
    if (word == "SUCCESS" || word == "COMPLETED") {
        return JobState::success;
    }
    if (word == "PARTIAL" || word == "PARTIALLY COMPLETED") {
        return JobState::partial;
    }
    if (word == "FAILED") {
        return JobState::failed;
    }
    return std::nullopt;
}

}  // namespace

WriteResult delete_ticket(Client& client, Id ticket_id) {
    return classify(client.send(make_call("DELETE", ticket_target(ticket_id))), {404, 405});
}

WriteResult delete_archived_ticket(Client& client, Id ticket_id) {
    return classify(
        client.send(make_call("DELETE", "/api/v2/tickets/archived/" + std::to_string(ticket_id))),
        {404});
}

WriteResult restore_ticket(Client& client, Id ticket_id) {
    return classify(client.send(make_call("PUT", ticket_target(ticket_id) + "/restore")), {});
}

TicketLookup view_ticket_state(Client& client, Id ticket_id) {
    const Call call = make_call("GET", ticket_target(ticket_id));
    const Reply reply = client.send(call);
    TicketLookup lookup;
    if (reply.status == 404) {
        lookup.state = TicketState::gone;
        lookup.result = with_status(reply, WriteStatus::done);
        return lookup;
    }
    if (!reply.ok()) {
        lookup.result = failure(reply);
        return lookup;
    }
    const std::string where = describe_call(call);
    const boost::json::value body = detail::parse_body(where, reply.body);
    const detail::Fields fields(where, body, "");
    lookup.state = fields.flag("deleted") ? TicketState::trash
                   : fields.flag("spam")  ? TicketState::spam
                                          : TicketState::live;
    lookup.requester_id = fields.optional_id("requester_id");
    lookup.result = with_status(reply, WriteStatus::done);
    return lookup;
}

BulkStart start_bulk_delete(Client& client, std::span<const Id> ticket_ids) {
    boost::json::array ids;
    for (Id id : ticket_ids) {
        ids.push_back(id);
    }
    boost::json::object body{{"bulk_action", boost::json::object{{"ids", std::move(ids)}}}};
    Call call = make_call("POST", "/api/v2/tickets/bulk_delete", boost::json::serialize(body));
    call.repeatable = false;
    const Reply reply = client.send(call);
    BulkStart start;
    if (!reply.ok()) {
        start.result = failure(reply);
        return start;
    }
    const std::string where = describe_call(call);
    const boost::json::value parsed = detail::parse_body(where, reply.body);
    const detail::Fields fields(where, parsed, "");
    std::string job_id = fields.optional_string("job_id");
    if (job_id.empty()) {
        start.result = failure(reply);
        start.result.message = "HTTP " + std::to_string(reply.status) + " without a job_id";
        return start;
    }
    start.job_id = std::move(job_id);
    start.result = with_status(reply, WriteStatus::done);
    return start;
}

JobPoll poll_job(Client& client, const std::string& job_id) {
    const Call call = make_call("GET", "/api/v2/jobs/" + detail::url_encode(job_id));
    const Reply reply = client.send(call);
    JobPoll poll;
    if (reply.status == 404) {
        poll.state = JobState::unknown_job;
        poll.result = with_status(reply, WriteStatus::not_found);
        return poll;
    }
    if (!reply.ok()) {
        poll.result = failure(reply);
        return poll;
    }
    const std::string where = describe_call(call);
    const boost::json::value parsed = detail::parse_body(where, reply.body);
    const detail::Fields fields(where, parsed, "");
    poll.state = job_state(fields.optional_string("status"));
    poll.result = poll.state ? with_status(reply, WriteStatus::done) : failure(reply);
    if (!poll.state) {
        poll.result.message = "job " + job_id + ": unknown status";
    }
    return poll;
}

WriteResult soft_delete_contact(Client& client, Id contact_id) {
    return classify(client.send(make_call("DELETE", contact_target(contact_id))), {405});
}

WriteResult hard_delete_contact(Client& client, Id contact_id) {
    return classify(client.send(make_call("DELETE", contact_target(contact_id) + "/hard_delete")),
                    {404});
}

WriteResult restore_contact(Client& client, Id contact_id) {
    return classify(client.send(make_call("PUT", contact_target(contact_id) + "/restore")), {});
}

WriteResult set_contact_tags(Client& client, Id contact_id, const std::vector<std::string>& tags) {
    boost::json::array list;
    for (const std::string& tag : tags) {
        list.emplace_back(tag);
    }
    const std::string body = boost::json::serialize(boost::json::object{{"tags", std::move(list)}});
    return classify(client.send(make_call("PUT", contact_target(contact_id), body)), {});
}

}  // namespace gp::freshdesk
