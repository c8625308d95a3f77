// Search pages (lib/freshdesk: read.cpp, search_contacts): the body is the answer to each of
// GET /search/contacts's pages 1 to 10 ({"total":N,"results":[...]}). A body of the wrong shape is
// a FormatError.
#include "freshdesk/read.hpp"
#include "fuzz_support.hpp"

using namespace gp;
using namespace gp::freshdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::InputClient c(200, std::string(fuzz::as_text(data, size)), 12);
    GP_FUZZ_API_CALL((void)search_contacts(c.client, "tag:'VIP'"))
    return 0;
}
