#pragma once
// Which endpoint a request is, and what it costs (docs/freshdesk-api.md, "Rate limits").
#include "api.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sim {

enum class Ep {
    tickets_list,
    ticket_view,
    ticket_delete,
    ticket_restore,
    bulk_delete,
    job_view,
    archived_view,
    archived_delete,
    contacts_list,
    contact_view,
    contact_update,
    contact_delete,
    contact_restore,
    contact_hard_delete,
    agents_list,
    groups_list,
    companies_list,
    ticket_fields,
    search_tickets,
    search_contacts,
    wrong_method,  // a known path with a method the simulator does not serve: 405
    unknown,       // 404
};

struct Route {
    Ep ep = Ep::unknown;
    std::string id;       // the {id} segment, as sent
    std::string pattern;  // "/tickets/{id}"
    std::string allow;    // for wrong_method: "GET, DELETE"
};

// `path` is the encoded path, "/api/v2/tickets/12".
Route match_route(std::string_view method, std::string_view path);

// The include values of a request ("stats,requester" -> {"stats","requester"}), distinct.
std::vector<std::string> include_list(std::string_view include);

Cost cost_of(const Request& request);

}  // namespace sim
