// Contact pages and the account-wide lists (lib/freshdesk: read.cpp, read_fields.cpp): the body
// is the answer to every page of GET /contacts (for_each_contact), to GET /contacts/{id}
// (view_contact), and to the agents, groups, companies and ticket types lists. A body of the wrong
// shape is a FormatError.
#include "freshdesk/read.hpp"
#include "fuzz_support.hpp"

using namespace gp;
using namespace gp::freshdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(fuzz::as_text(data, size));
    {
        fuzz::InputClient c(200, body, 3);
        ContactQuery query;
        query.updated_since = 1767225600;
        GP_FUZZ_API_CALL(for_each_contact(c.client, query, [](ContactItem&&) {}))
    }
    {
        fuzz::InputClient c(200, body, 1);
        GP_FUZZ_API_CALL((void)view_contact(c.client, 1))
    }
    {
        fuzz::InputClient c(200, body, 2);
        GP_FUZZ_API_CALL((void)list_agents(c.client))
    }
    {
        fuzz::InputClient c(200, body, 2);
        GP_FUZZ_API_CALL((void)list_groups(c.client))
    }
    {
        fuzz::InputClient c(200, body, 2);
        GP_FUZZ_API_CALL((void)list_companies(c.client))
    }
    {
        fuzz::InputClient c(200, body, 1);
        GP_FUZZ_API_CALL((void)list_ticket_types(c.client))
    }
    return 0;
}
