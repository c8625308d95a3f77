#pragma once
// Internals of the account generator, shared by its two translation units.
#include "account.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace sim::gen {

// splitmix64: tiny, fast, and the same sequence on every platform (std:: distributions are not).
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n); n > 0.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive, lo <= hi
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    // Index drawn by integer weights.
    std::size_t pick(std::initializer_list<int> weights);

  private:
    std::uint64_t state_;
};

struct Spec {
    std::int64_t contacts = 0;
    std::int64_t tickets = 0;
    std::uint64_t seed = 0;
    std::int64_t agents = 12;
    std::int64_t companies = 20;
};

// What ticket generation needs to know about the account built so far.
struct Plan {
    Time now = 0;
    std::vector<Id> group_ids;  // Escalations, Camping, Billing, Support
    std::vector<Sym> types;     // Question, Incident, Problem, Feature Request, Refund
    std::vector<std::uint32_t> ticket_counts;  // per contact
    std::vector<Time> window_end;              // per contact: its tickets fall in [created_at, end]
    Id keeper_agent = 0;
    Id requester_agent = 0;
    // The seed of the untidy details (phone-only contacts, mixed-case emails, closed tickets
    // without closed_at). They draw from their own stream, per contact or ticket, so that adding
    // them left the rest of a generated account as it was.
    std::uint64_t quirk_seed = 0;
};

// The quirk stream of item `i` (a contact or ticket index) of a kind (1 contacts, 2 tickets).
inline Rng quirk_rng(const Plan& plan, std::uint64_t kind, std::size_t i) {
    Rng mix(plan.quirk_seed ^ (kind << 56) ^
            (static_cast<std::uint64_t>(i) * 0xD1B54A32D192ED03ULL));
    return Rng(mix.next());
}

inline constexpr Time kSpan = 4 * 365 * kDay;  // the account's history before the clock's now

Spec parse_spec(std::string_view text);
void make_catalog(Account& acc, const Spec& spec, Plan& plan);
void make_people(Account& acc, const Spec& spec, Plan& plan, Rng& rng);
// Email, other emails, phones, company, tags, state of contact number `i` (created_at is set).
void make_contact_details(Account& acc, Contact& c, std::size_t i, const Plan& plan, Rng& rng);
std::string email_of(const std::string& name, std::string_view suffix);
void generate_tickets(Account& acc, const Spec& spec, Plan& plan, Rng& rng);

}  // namespace sim::gen
