// The contacts the ticket rules could take: the engine itself, run on id-only contacts, tells.
// A contact's full record can only add protections and pending tags (found by the searches), never
// qualify it under a rule, so the provisional plan names a superset of the final one.
#include "engine/engine.hpp"
#include "reader/reader_detail.hpp"
#include "util/sorted.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <optional>

namespace gp::reader::detail {

namespace {

// Id-only contacts have no tags, emails or companies: the only protection the provisional plan
// can show comes from their tickets (a responder), which no full record can lift.
RuleCandidates candidates_in(const Plan& plan) {
    RuleCandidates out;
    for (const Entry& entry : plan.entries) {
        out.may_take.push_back(entry.contact_id);
    }
    for (const ProtectedContact& item : plan.protected_contacts) {
        out.protected_by_tickets.push_back(item.contact_id);
    }
    sort_unique(out.may_take);
    sort_unique(out.protected_by_tickets);
    return out;
}

// True when the rule's groups and types may accept the ticket (a superset of the engine's test:
// a group is matched by name or by digits).
bool may_match(const Snapshot& snapshot, const Ticket& ticket, const TicketRule& rule) {
    const auto group_matches = [&](const std::string& written) {
        const std::string wanted = normalize_name(written);
        if (is_all_digits(wanted) && wanted == std::to_string(ticket.group_id)) {
            return true;
        }
        return std::any_of(snapshot.groups.begin(), snapshot.groups.end(), [&](const NamedId& g) {
            return g.id == ticket.group_id && normalize_name(g.name) == wanted;
        });
    };
    const auto type_matches = [&](const std::string& written) {
        return ticket.type != no_name && snapshot.name(ticket.type) == normalize_name(written);
    };
    if (!rule.groups.empty() &&
        std::none_of(rule.groups.begin(), rule.groups.end(), group_matches)) {
        return false;
    }
    return rule.types.empty() || std::any_of(rule.types.begin(), rule.types.end(), type_matches);
}

// The live tickets of `contacts` (sorted) whose tags a rule's tag condition may look at.
std::vector<std::size_t> tickets_needing_tags(const Snapshot& snapshot, const Rules& rules,
                                              const std::vector<Id>& contacts) {
    std::vector<std::size_t> out;
    const auto& tickets = snapshot.tickets();
    for (std::size_t i = 0; i < tickets.size(); ++i) {
        const Ticket& t = tickets[i];
        if (!t.live() || !std::binary_search(contacts.begin(), contacts.end(), t.requester_id)) {
            continue;
        }
        if (std::any_of(rules.ticket_rules.begin(), rules.ticket_rules.end(),
                        [&](const TicketRule& r) {
                            return !r.tags.empty() && may_match(snapshot, t, r);
                        })) {
            out.push_back(i);
        }
    }
    return out;
}

// The snapshot's tickets are fixed once added: it is rebuilt with the tags read one by one.
void add_tags(Snapshot& snapshot, const std::vector<std::size_t>& indices,
              std::vector<std::vector<std::string>>&& tags) {
    Snapshot out;
    out.account = snapshot.account;
    out.agents = std::move(snapshot.agents);
    out.groups = std::move(snapshot.groups);
    out.companies = std::move(snapshot.companies);
    out.ticket_types = std::move(snapshot.ticket_types);
    out.contacts = std::move(snapshot.contacts);
    out.archive_complete = snapshot.archive_complete;
    out.reserve_tickets(snapshot.tickets().size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < snapshot.tickets().size(); ++i) {
        TicketRecord record = snapshot.record_of(snapshot.tickets()[i]);
        if (next < indices.size() && indices[next] == i) {
            record.tags = std::move(tags[next++]);
        }
        out.add_ticket(record);
    }
    snapshot = std::move(out);
}

}  // namespace

RuleCandidates rule_candidates(Reading& reading, Snapshot& snapshot, const Rules& rules,
                               bool tags_missing) {
    // Without tags in the list items, a tag condition cannot be judged yet: dropping it selects
    // more tickets (a superset), whose tags are then read.
    const bool read_tags = tags_missing && rules.has_tag_condition();
    Rules provisional = rules;
    if (read_tags) {
        for (auto& rule : provisional.ticket_rules) {
            rule.tags.clear();
        }
    }
    for (Id id : without_agents(snapshot, requesters(snapshot, Which::current))) {
        Contact contact;
        contact.id = id;
        snapshot.contacts.push_back(std::move(contact));
    }
    // Every contact a rule could take is viewed, also while the archive is incomplete: the final
    // evaluation then lists the held ones with their full records (exceptions win over a hold).
    const bool complete = snapshot.archive_complete;
    snapshot.archive_complete = true;
    RuleCandidates out =
        candidates_in(evaluate(snapshot, provisional, candidates_horizon(reading.options)));
    snapshot.archive_complete = complete;
    snapshot.contacts.clear();
    snapshot.contacts.shrink_to_fit();
    if (read_tags) {
        std::vector<Id> all = out.may_take;
        all.insert(all.end(), out.protected_by_tickets.begin(), out.protected_by_tickets.end());
        sort_unique(all);
        const auto indices = tickets_needing_tags(snapshot, rules, all);
        std::vector<Id> ticket_ids;
        for (std::size_t i : indices) {
            ticket_ids.push_back(snapshot.tickets()[i].id);
        }
        add_tags(snapshot, indices, view_ticket_tags(reading, ticket_ids));
    }
    return out;
}

}  // namespace gp::reader::detail
