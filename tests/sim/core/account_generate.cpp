// The generated account: realistic shapes (most contacts with 1-5 tickets, a long tail with
// hundreds, agents, companies, tags, deleted and spam tickets, soft-deleted and blocked contacts),
// deterministic for a spec and a clock time. Synthetic names, @example.com emails only.
#include "generate_detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sim::gen {

std::size_t Rng::pick(std::initializer_list<int> weights) {
    int total = 0;
    for (const int w : weights)
        total += w;
    auto r = static_cast<int>(below(static_cast<std::uint64_t>(total)));
    std::size_t i = 0;
    for (const int w : weights) {
        if (r < w)
            return i;
        r -= w;
        ++i;
    }
    return i - 1;
}

namespace {

constexpr std::array kFirst = {"Alex",   "Billie", "Casey", "Dana",   "Eli",   "Frankie", "Gale",
                               "Harper", "Indy",   "Jules", "Kai",    "Lane",  "Morgan",  "Noor",
                               "Oakley", "Parker", "Quinn", "Reese",  "Sage",  "Tatum",   "Uma",
                               "Vale",   "Wren",   "Xen",   "Yael",   "Zuri",  "Arin",    "Brook",
                               "Cory",   "Drew",   "Emery", "Finley", "Greer", "Hollis"};
constexpr std::array kLast = {"Abbot",     "Brightwater", "Coldfield", "Dunmore",   "Eastbrook",
                              "Fairholm",  "Greenway",    "Hartwell",  "Ivesdale",  "Joneswood",
                              "Kestrel",   "Larkspur",    "Moorcroft", "Northam",   "Oakridge",
                              "Pembrook",  "Quarry",      "Redfern",   "Stonebury", "Thornfield",
                              "Underhill", "Valemont",    "Westerly",  "Yarrow",    "Zellwood"};
constexpr std::array kCompanies = {"Key Account Ltd",
                                   "Acme Corp",
                                   "Globex",
                                   "Initech",
                                   "Northwind Traders",
                                   "Contoso",
                                   "Fabrikam",
                                   "Tailspin Toys",
                                   "Wide World Importers",
                                   "Vandelay Industries",
                                   "Blue Yonder Airlines",
                                   "Litware"};

std::int64_t spec_value(std::string_view spec, std::string_view key, std::int64_t fallback,
                        std::int64_t lo, std::int64_t hi) {
    const std::string needle = std::string(key) + "=";
    std::size_t pos = 0;
    while (pos < spec.size()) {
        const std::size_t end = std::min(spec.find(',', pos), spec.size());
        const std::string_view part = spec.substr(pos, end - pos);
        if (part.substr(0, needle.size()) == needle) {
            const std::string digits(part.substr(needle.size()));
            std::size_t used = 0;
            std::int64_t v = 0;
            try {
                v = std::stoll(digits, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != digits.size() || digits.empty() || v < lo || v > hi)
                throw std::runtime_error("generate spec: " + std::string(key) +
                                         " must be an integer from " + std::to_string(lo) + " to " +
                                         std::to_string(hi));
            return v;
        }
        pos = end + 1;
    }
    if (fallback < 0)
        throw std::runtime_error("generate spec: missing " + std::string(key));
    return fallback;
}

}  // namespace

Spec parse_spec(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {  // every part must be a known key=value
        const std::size_t end = std::min(text.find(',', pos), text.size());
        const std::string_view part = text.substr(pos, end - pos);
        const std::string_view key = part.substr(0, part.find('='));
        if (key != "contacts" && key != "tickets" && key != "seed" && key != "agents" &&
            key != "companies")
            throw std::runtime_error("generate spec: unknown part \"" + std::string(part) +
                                     "\" (expected contacts=N,tickets=M,seed=S[,agents=A,"
                                     "companies=C])");
        pos = end + 1;
    }
    Spec s;
    s.contacts = spec_value(text, "contacts", -1, 0, 5'000'000);
    s.tickets = spec_value(text, "tickets", -1, 0, 20'000'000);
    s.seed = static_cast<std::uint64_t>(spec_value(text, "seed", -1, 0, INT64_MAX));
    s.agents = spec_value(text, "agents", 12, 2, 10'000);
    s.companies = spec_value(text, "companies", 20, 1, 100'000);
    return s;
}

void make_catalog(Account& acc, const Spec& spec, Plan& plan) {
    const Time founded = plan.now - kSpan - 60 * kDay;
    const std::array groups = {"Escalations", "Camping", "Billing", "Support"};
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const Id id = 43'000'000'011 + static_cast<Id>(i);
        acc.groups.push_back(Named{id, groups[i], founded, founded});
        plan.group_ids.push_back(id);
    }
    for (const char* type : {"Question", "Incident", "Problem", "Feature Request", "Refund"}) {
        acc.ticket_types.push_back(acc.strings.intern(type));
        plan.types.push_back(acc.ticket_types.back());
    }
    for (std::int64_t i = 0; i < spec.companies; ++i) {
        const auto k = static_cast<std::size_t>(i);
        std::string name =
            k < kCompanies.size() ? kCompanies[k] : "Company " + std::to_string(i + 1);
        acc.companies.push_back(Named{70'000'000'001 + i * 7, std::move(name), founded, founded});
    }
}

namespace {

std::string person_name(Rng& rng) {
    return std::string(kFirst[rng.below(kFirst.size())]) + " " + kLast[rng.below(kLast.size())];
}

std::uint32_t ticket_count(Rng& rng) {
    if (rng.chance(0.04))
        return 0;  // orphans: contacts who never wrote
    if (rng.chance(0.985))
        return static_cast<std::uint32_t>(1 + rng.pick({40, 25, 15, 12, 8}));
    // The long tail: a few contacts with tens to hundreds of tickets.
    return static_cast<std::uint32_t>(20.0 * std::exp(rng.unit() * std::log(30.0)));
}

}  // namespace

std::string email_of(const std::string& name, std::string_view suffix) {
    std::string local = lower(name);
    std::replace(local.begin(), local.end(), ' ', '.');
    return local + std::string(suffix) + "@example.com";
}

void make_people(Account& acc, const Spec& spec, Plan& plan, Rng& rng) {
    const auto total = static_cast<std::size_t>(spec.contacts + spec.agents);
    std::vector<Time> created(total);
    for (auto& t : created)
        t = plan.now - kSpan + rng.between(0, kSpan - 3600);
    std::sort(created.begin(), created.end());  // ids grow with creation time, as in Freshdesk
    const std::size_t agent_every = total / static_cast<std::size_t>(spec.agents);
    Id id = kPersonIdBase + 1000;
    for (std::size_t k = 0; k < total; ++k) {
        id += rng.between(1, 7);
        const bool agent = k % agent_every == 0 && acc.agents.size() < std::size_t(spec.agents);
        std::string name = person_name(rng);
        if (agent) {
            const std::size_t n = acc.agents.size();
            std::string email =
                n == 0 ? "keeper@example.com" : email_of(name, ".agent" + std::to_string(n));
            acc.agents.push_back(
                Agent{id, std::move(name), std::move(email), n % 5 == 4, created[k], created[k]});
            continue;
        }
        Contact c;
        c.id = id;
        c.name = std::move(name);
        c.created_at = created[k];
        const std::size_t i = acc.contacts.size();
        plan.ticket_counts.push_back(ticket_count(rng));
        const Time span = static_cast<Time>(kDay * std::exp(rng.unit() * std::log(1100.0)));
        const bool tail = plan.ticket_counts.back() >= 20;
        plan.window_end.push_back(tail ? plan.now : std::min(plan.now, c.created_at + span));
        make_contact_details(acc, c, i, plan, rng);
        acc.contacts.push_back(std::move(c));
    }
    plan.keeper_agent = acc.agents.at(0).id;
    plan.requester_agent = acc.agents.at(1).id;
}

}  // namespace sim::gen

namespace sim {

std::unique_ptr<Account> generate_account(std::string_view text, Time now) {
    const gen::Spec spec = gen::parse_spec(text);
    gen::Rng rng(spec.seed * 0x2545F4914F6CDD1DULL + 17);
    auto acc = std::make_unique<Account>();
    gen::Plan plan;
    plan.now = now;
    plan.quirk_seed = spec.seed * 0x9E3779B97F4A7C15ULL + 0x5EED;
    gen::make_catalog(*acc, spec, plan);
    gen::make_people(*acc, spec, plan, rng);
    gen::generate_tickets(*acc, spec, plan, rng);
    acc->build_indexes();
    return acc;
}

}  // namespace sim
