// Evaluation cost of the engine on a synthetic account: CPU seconds and memory for
// evaluate(snapshot, rules, as_of). Usage: bench_engine TICKETS CONTACTS
#include "engine/engine.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

constexpr gp::UnixTime as_of = 1795910400;  // 2026-11-29

gp::Snapshot make_snapshot(std::int64_t tickets, std::int64_t contacts) {
    std::mt19937_64 rng(7);
    gp::Snapshot s;
    s.groups = {{11, "Escalations"}, {12, "Camping"}, {13, "Billing"}, {14, "Support"}};
    s.companies = {{21, "Key Account Ltd"}, {22, "Acme Corp"}};
    s.agents = {{5'000'000'001, "keeper@example.com"}};
    const gp::Id first_contact = 3'000'000'000;
    for (std::int64_t i = 0; i < contacts; ++i) {
        gp::Contact c;
        c.id = first_contact + i;
        c.email = "user" + std::to_string(i) + "@example.com";
        c.created_at = as_of - static_cast<gp::UnixTime>(rng() % (1400 * gp::seconds_per_day));
        c.updated_at = c.created_at;
        if (rng() % 50 == 0) {
            c.tags = {"VIP"};
        }
        s.contacts.push_back(std::move(c));
    }
    const char* types[] = {"Question", "Incident", "Problem", "Refund"};
    s.reserve_tickets(static_cast<std::size_t>(tickets));
    std::geometric_distribution<std::int64_t> skew(0.0005);
    for (std::int64_t t = 1; t <= tickets; ++t) {
        gp::TicketRecord r;
        r.id = t;
        // Most contacts have a few tickets; one ticket in ten goes to a long tail of heavy
        // requesters.
        const auto slot = rng() % 10 == 0 ? skew(rng) : static_cast<std::int64_t>(rng() >> 1);
        r.requester_id = first_contact + slot % contacts;
        r.group_id = 11 + static_cast<gp::Id>(rng() % 4);
        r.type = types[rng() % 4];
        r.status = rng() % 10 == 0 ? gp::status_open : gp::status_closed;
        r.created_at = as_of - static_cast<gp::UnixTime>(rng() % (1400 * gp::seconds_per_day));
        r.updated_at = r.created_at + static_cast<gp::UnixTime>(rng() % (30 * gp::seconds_per_day));
        r.closed_at = r.updated_at;
        r.responder_id = rng() % 100 == 0 ? 5'000'000'001 : 0;
        if (rng() % 3 == 0) {
            r.tags = {"urgent"};
        }
        s.add_ticket(r);
    }
    return s;
}

gp::Rules make_rules() {
    gp::Rules rules;
    gp::TicketRule a;
    a.name = "escalation-questions";
    a.groups = {"Escalations"};
    a.types = {"Question"};
    a.older_than = *gp::parse_duration("180d");
    a.scope = gp::Scope::contact;
    gp::TicketRule b;
    b.name = "old-incidents";
    b.types = {"Incident"};
    b.older_than = *gp::parse_duration("60d");
    b.scope = gp::Scope::ticket;
    rules.ticket_rules = {a, b};
    rules.contact_policy.keep_contact = false;
    rules.contact_policy.delete_after = *gp::parse_duration("30d");
    rules.orphan_contacts = gp::OrphanRule{*gp::parse_duration("2y"), gp::Since::updated};
    rules.exceptions.tags = {"VIP"};
    rules.exceptions.responders = {"keeper@example.com"};
    return rules;
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t tickets = argc > 1 ? std::stoll(argv[1]) : 1'000'000;
    const std::int64_t contacts = argc > 2 ? std::stoll(argv[2]) : tickets / 5;
    const auto snapshot = make_snapshot(tickets, contacts);
    const long rss_snapshot = peak_rss_kib();
    const double cpu_before = cpu_seconds();
    const auto wall_before = std::chrono::steady_clock::now();
    const auto plan = gp::evaluate(snapshot, make_rules(), as_of);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
    std::printf("tickets=%lld contacts=%lld entries=%zu tickets_to_delete=%lld protected=%zu\n",
                static_cast<long long>(tickets), static_cast<long long>(contacts),
                plan.entries.size(), static_cast<long long>(plan.header.summary.tickets_to_delete),
                plan.protected_contacts.size());
    std::printf(
        "evaluate: cpu %.2f s, wall %.2f s; peak RSS after snapshot %ld MiB, after evaluate %ld "
        "MiB\n",
        cpu_seconds() - cpu_before, wall, rss_snapshot / 1024, peak_rss_kib() / 1024);
    return 0;
}
