// Error answers (lib/freshdesk: reply.cpp reads Freshdesk's error shapes leniently, read.cpp and
// read_tickets.cpp decide on them): the first byte picks the status, the rest is the body. Sent
// through the client (send_ok: an ApiError with its message), the contacts list (a refused
// updated-since name is asked again), the tickets list of a requester (RequesterGone) and a job
// poll (a failed result).
#include "freshdesk/read.hpp"
#include "freshdesk/reply_detail.hpp"
#include "freshdesk/write.hpp"
#include "fuzz_support.hpp"

#include <array>

using namespace gp;
using namespace gp::freshdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    constexpr std::array<int, 12> statuses{400, 401, 403, 404, 405, 409,
                                           415, 429, 500, 502, 503, 302};
    const int status = statuses[data[0] % statuses.size()];
    const std::string body(fuzz::as_text(data + 1, size - 1));
    {
        fuzz::InputClient c(status, body, 3);
        Call call;
        call.target = "/api/v2/contacts?email=jane%40example.com";
        const Reply reply = c.client.send(call);
        (void)detail::error_code(reply);
        (void)detail::api_error_text(call, reply);
        GP_FUZZ_API_CALL((void)c.client.send_ok(call))
    }
    {
        fuzz::InputClient c(status, body, 4);
        ContactQuery query;
        query.updated_since = 1767225600;
        GP_FUZZ_API_CALL(for_each_contact(c.client, query, [](ContactItem&&) {}))
    }
    {
        fuzz::InputClient c(status, body, 4);
        TicketQuery query;
        query.requester_id = 42;
        GP_FUZZ_API_CALL(for_each_ticket(c.client, query, [](ListedTicket&&) {}))
    }
    {
        fuzz::InputClient c(status, body, 3);
        GP_FUZZ_API_CALL((void)poll_job(c.client, "0f5e3a1c-job"))
        GP_FUZZ_API_CALL((void)probe_archived(c.client, 7))
    }
    return 0;
}
