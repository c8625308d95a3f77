#pragma once
// The JSON shapes of Freshdesk objects, fields in a fixed order.
#include "account.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace sim {

boost::json::value time_json(Time t);  // null or "YYYY-MM-DDTHH:MM:SSZ"
boost::json::value id_json(Id id);     // null or the id

struct TicketView {
    bool tags = true;   // list items may lack tags (an option)
    bool full = false;  // the single-ticket view: description and attachments
    bool stats = false;
    bool requester = false;
    bool company = false;
    bool description = false;
    bool conversations = false;
};

boost::json::object ticket_json(const Account& acc, std::uint32_t index, const Ticket& t,
                                const TicketView& view);
// GET /tickets/archived/{id}: the archived ticket's few fields and `archived: true`.
boost::json::object archived_ticket_json(const Account& acc, std::uint32_t index, const Ticket& t);
// List items lack tags, other_emails and other_companies; the full view has them. `blocked: true`
// on a blocked contact only with blocked_field (the contact_blocked_field option).
boost::json::object contact_json(const Account& acc, const Contact& c, bool full,
                                 bool blocked_field);
boost::json::object agent_json(const Agent& a);
boost::json::object group_json(const Named& g);
boost::json::object company_json(const Named& c);

}  // namespace sim
