// Generated tickets: display numbers in creation order; each contact's tickets fall within its
// own active window; statuses, groups, types, tags and responders drawn from realistic mixes.
#include "generate_detail.hpp"

#include <algorithm>
#include <cmath>

namespace sim::gen {

namespace {

struct Slot {
    Time created;
    std::uint32_t who;  // contact index; kAgent or kUnknown otherwise
};
constexpr std::uint32_t kAgent = UINT32_MAX;
constexpr std::uint32_t kUnknown = UINT32_MAX - 1;

// Per-contact ticket counts scaled to the requested total: extra tickets go to contacts drawn by
// their ticket count (the long tail grows), surplus ones are dropped at random.
std::vector<std::uint32_t> owners(const Plan& plan, std::int64_t wanted, Rng& rng) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < plan.ticket_counts.size(); ++i)
        out.insert(out.end(), plan.ticket_counts[i], static_cast<std::uint32_t>(i));
    const auto target = static_cast<std::size_t>(std::max<std::int64_t>(wanted, 0));
    if (out.empty())
        return out;
    while (out.size() < target)
        out.push_back(out[rng.below(out.size())]);
    if (out.size() > target) {
        for (std::size_t i = out.size() - 1; i > 0; --i)
            std::swap(out[i], out[rng.below(i + 1)]);
        out.resize(target);
    }
    return out;
}

std::vector<Slot> slots(const Account& acc, const Spec& spec, const Plan& plan, Rng& rng) {
    const std::int64_t by_agents = spec.tickets / 300;
    const std::int64_t by_unknown = spec.tickets / 5000;
    std::vector<Slot> out;
    out.reserve(static_cast<std::size_t>(spec.tickets));
    for (const std::uint32_t c : owners(plan, spec.tickets - by_agents - by_unknown, rng)) {
        const Time from = acc.contacts[c].created_at;
        out.push_back({rng.between(from, std::max(from, plan.window_end[c])), c});
    }
    while (static_cast<std::int64_t>(out.size()) < spec.tickets) {
        const bool agent = static_cast<std::int64_t>(out.size()) % 20 != 0 || by_unknown == 0;
        out.push_back({rng.between(plan.now - kSpan, plan.now), agent ? kAgent : kUnknown});
    }
    std::sort(out.begin(), out.end(), [](const Slot& a, const Slot& b) {
        return a.created != b.created ? a.created < b.created : a.who < b.who;
    });
    return out;
}

std::uint8_t draw_status(Time age, Rng& rng) {
    static constexpr std::uint8_t kStatus[] = {2, 3, 6, 7, 4, 5};
    if (age < 2 * kDay)
        return kStatus[rng.pick({45, 20, 10, 5, 10, 10})];
    if (age < 30 * kDay)
        return kStatus[rng.pick({15, 10, 5, 3, 27, 40})];
    return kStatus[rng.pick({20, 15, 10, 5, 150, 800})];
}

// Times: resolution after 10 minutes to 20 days, closing up to 4 days later, some reopenings,
// and a later update for a quarter of the tickets. closed_at <= updated_at always.
void set_times(Ticket& t, Time now, Rng& rng) {
    const auto r = static_cast<Time>(600.0 * std::exp(rng.unit() * std::log(2880.0)));
    const Time resolved = std::min(now, t.created_at + r);
    if (t.status == 4 || t.status == 5) {
        t.resolved_at = resolved;
        t.status_updated_at = resolved;
        if (t.status == 5) {
            t.closed_at =
                rng.chance(0.5) ? resolved : std::min(now, resolved + rng.between(0, 4 * kDay));
            t.status_updated_at = t.closed_at;
        }
    } else {
        t.status_updated_at = std::min(now, t.created_at + r / 3);
    }
    Time updated = t.status_updated_at;
    if (rng.chance(0.06)) {
        t.reopened_at = t.created_at + (resolved - t.created_at) / 2;
        updated = std::max(updated, t.reopened_at);
    }
    if (rng.chance(0.25))
        updated = std::min(now, updated + rng.between(0, 30 * kDay));
    t.updated_at = std::max(updated, t.created_at);
}

struct Mixes {
    std::vector<TagSet> tags;
};

Mixes make_mixes(Account& acc) {
    Mixes m;
    for (const auto& list : std::vector<std::vector<std::string>>{{},
                                                                  {"urgent"},
                                                                  {"billing"},
                                                                  {"refund"},
                                                                  {"follow-up"},
                                                                  {"urgent", "billing"},
                                                                  {"vip-request"},
                                                                  {"feedback"},
                                                                  {"escalated"},
                                                                  {"billing", "refund"}})
        m.tags.push_back(acc.intern_tags(list));
    return m;
}

void set_refs(Ticket& t, const Account& acc, const Plan& plan, Rng& rng) {
    const std::size_t g = rng.pick({15, 20, 25, 30, 10});
    t.group_id = g < plan.group_ids.size() ? plan.group_ids[g] : 0;
    const std::size_t ty = rng.pick({35, 18, 10, 8, 9, 20});
    t.type = ty < plan.types.size() ? plan.types[ty] : 0;
    if (rng.chance(0.12))
        return;  // unassigned
    // The "keeper" handles a good share of Camping tickets (use case 2 of rules.md).
    const bool camping = t.group_id == plan.group_ids[1];
    t.responder_id = camping && rng.chance(0.3) ? plan.keeper_agent
                                                : acc.agents[rng.below(acc.agents.size())].id;
}

Ticket make_ticket(const Slot& s, const Account& acc, const Plan& plan, const Mixes& m, Rng& rng) {
    Ticket t;
    t.created_at = s.created;
    if (s.who == kAgent) {
        t.requester_id = plan.requester_agent;
    } else if (s.who == kUnknown) {
        t.requester_id = (Id{1} << 31) + 1 + rng.between(0, 900);  // below every generated id
    } else {
        t.requester_id = acc.contacts[s.who].id;
        t.company_id = acc.contacts[s.who].company_id;
    }
    t.status = draw_status(plan.now - t.created_at, rng);
    set_times(t, plan.now, rng);
    set_refs(t, acc, plan, rng);
    t.tags = m.tags[rng.pick({650, 80, 70, 40, 50, 30, 20, 25, 20, 15})];
    t.priority = static_cast<std::uint8_t>(1 + rng.pick({50, 30, 15, 5}));
    static constexpr std::uint8_t kSources[] = {1, 2, 3, 7, 9};
    t.source = kSources[rng.pick({50, 25, 10, 10, 5})];
    return t;
}

// Trash (deleted within the last 29 days: older ones are already purged) and spam.
void set_fate(Ticket& t, Time now, Rng& rng) {
    const std::size_t fate = rng.pick({988, 8, 4});
    if (fate == 1) {
        t.state = TicketState::trash;
        t.deleted_at = rng.between(std::max(t.updated_at, now - 29 * kDay), now);
        t.updated_at = std::max(t.updated_at, t.deleted_at);
    } else if (fate == 2) {
        t.spam = true;
    }
}

}  // namespace

void generate_tickets(Account& acc, const Spec& spec, Plan& plan, Rng& rng) {
    const Mixes mixes = make_mixes(acc);
    const auto all = slots(acc, spec, plan, rng);
    acc.tickets.reserve(all.size());
    for (const Slot& s : all) {
        Ticket t = make_ticket(s, acc, plan, mixes, rng);
        set_fate(t, plan.now, rng);
        // Imported or migrated tickets: 0.5% of the closed ones have no closed_at.
        if (t.status == 5 && quirk_rng(plan, 2, acc.tickets.size()).chance(0.005))
            t.closed_at = kNoTime;
        acc.tickets.push_back(t);
    }
}

}  // namespace sim::gen
