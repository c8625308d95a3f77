// Ticket pages (lib/freshdesk: read_tickets.cpp, read_fields.cpp): the body is the answer to every
// page of the tickets list (for_each_ticket, with the page cap, the stats switch and the restarts
// that several pages bring), to GET /tickets/archived/{id} (probe_archived) and to GET
// /tickets/{id} (ticket_tags). A body of the wrong shape is a FormatError.
#include "freshdesk/read.hpp"
#include "fuzz_support.hpp"
#include "time/time.hpp"

using namespace gp;
using namespace gp::freshdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(fuzz::as_text(data, size));
    {
        fuzz::InputClient c(200, body, 5);
        TicketQuery query;
        query.updated_since = 0;
        query.stats_from = 1767225600;  // 2026-01-01: rows on or after it are read again with stats
        query.page_cap = 2;
        std::size_t tickets = 0;
        GP_FUZZ_API_CALL(for_each_ticket(c.client, query, [&](ListedTicket&&) { ++tickets; }))
    }
    {
        fuzz::InputClient c(200, body, 3);
        TicketQuery query;
        query.filter = TicketFilter::deleted;
        query.requester_id = 42;
        GP_FUZZ_API_CALL(for_each_ticket(c.client, query, [](ListedTicket&&) {}))
    }
    {
        fuzz::InputClient c(200, body, 1);
        GP_FUZZ_API_CALL((void)probe_archived(c.client, 1))
    }
    {
        fuzz::InputClient c(200, body, 1);
        GP_FUZZ_API_CALL((void)ticket_tags(c.client, 1))
    }
    return 0;
}
