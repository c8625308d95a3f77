// Job and write answers (lib/freshdesk: write.cpp): the body is the answer to GET /jobs/{id}
// (poll_job: both status vocabularies), to POST /tickets/bulk_delete (start_bulk_delete: 202 with
// the job's id) and to GET /tickets/{id} (view_ticket_state). A body of the wrong shape is a
// FormatError or a failed result.
#include "freshdesk/write.hpp"
#include "fuzz_support.hpp"

#include <array>

using namespace gp;
using namespace gp::freshdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(fuzz::as_text(data, size));
    {
        fuzz::InputClient c(200, body, 1);
        GP_FUZZ_API_CALL((void)poll_job(c.client, "0f5e3a1c-job"))
    }
    {
        fuzz::InputClient c(202, body, 1);
        const std::array<Id, 3> ids{501, 502, 503};
        GP_FUZZ_API_CALL((void)start_bulk_delete(c.client, ids))
    }
    {
        fuzz::InputClient c(200, body, 1);
        GP_FUZZ_API_CALL((void)view_ticket_state(c.client, 501))
    }
    return 0;
}
