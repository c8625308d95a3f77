// The account's names: what the rules resolve against (groups, companies, responders' agents).
#include "reader/reader_detail.hpp"

namespace gp::reader::detail {

void read_names(Reading& reading, Snapshot& snapshot) {
    reading.notify("names");
    const std::int64_t calls_before = reading.client.counters().calls;
    snapshot.agents = freshdesk::list_agents(reading.client);
    snapshot.groups = freshdesk::list_groups(reading.client);
    snapshot.companies = freshdesk::list_companies(reading.client);
    snapshot.ticket_types = freshdesk::list_ticket_types(reading.client);
    // Counted from the client: other threads make no calls while the names are read.
    reading.report.name_calls += reading.client.counters().calls - calls_before;
    const auto count = [](const auto& list) { return static_cast<std::int64_t>(list.size()); };
    reading.report.lower_bound_credits += pages_for(count(snapshot.agents)) +
                                          pages_for(count(snapshot.groups)) +
                                          pages_for(count(snapshot.companies)) + 1;
}

}  // namespace gp::reader::detail
