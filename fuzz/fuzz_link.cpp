// The Link header (lib/freshdesk: links.cpp): parse_next_link on any header value, its target
// reduced to origin form (to_origin_form), and the same value as the Link header of a list's
// answer (reply.cpp), which the list then follows.
#include "freshdesk/read.hpp"
#include "fuzz_support.hpp"

using namespace gp;
using namespace gp::freshdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view header = fuzz::as_text(data, size);
    const std::string next = parse_next_link(header);
    if (next.size() > header.size()) {
        std::fprintf(stderr, "the next link is longer than the header\n");
        std::abort();
    }
    (void)to_origin_form(next);
    (void)to_origin_form(header);
    fuzz::InputClient c(200, R"([{"id":1,"name":"Billing"}])", 3, {{"Link", std::string(header)}});
    GP_FUZZ_API_CALL((void)list_groups(c.client))
    return 0;
}
