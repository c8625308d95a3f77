// One generated contact's details: emails, phones, companies, tags and state.
#include "generate_detail.hpp"

#include <array>
#include <string>

namespace sim::gen {

namespace {

std::string phone(Rng& rng) {
    return "+1555" + std::to_string(rng.between(1'000'000, 9'999'999));
}

void add_companies(const Account& acc, Contact& c, Rng& rng) {
    if (!rng.chance(0.3))
        return;
    const auto n = acc.companies.size();
    // "Key Account Ltd" (the first company) is over-represented: rules protect it.
    c.company_id = acc.companies[rng.chance(0.1) ? 0 : rng.below(n)].id;
    if (n < 2 || !rng.chance(0.1))
        return;
    const auto extra = rng.between(1, 2);
    for (std::int64_t k = 0; k < extra; ++k) {
        const Id other = acc.companies[rng.chance(0.2) ? 0 : rng.below(n)].id;
        if (other == c.company_id)
            continue;
        bool dup = false;
        for (const Id x : c.other_companies)
            dup = dup || x == other;
        if (!dup)
            c.other_companies.push_back(other);
    }
}

std::vector<std::string> make_tags(Rng& rng, const Plan& plan) {
    std::vector<std::string> tags;
    if (rng.chance(0.02))
        tags.emplace_back("VIP");
    if (rng.chance(0.003))
        tags.emplace_back("legal-hold");
    if (rng.chance(0.10))
        tags.emplace_back("newsletter");
    if (rng.chance(0.03))
        tags.emplace_back("beta");
    if (rng.chance(0.005)) {  // waiting for deletion since a day of the last four months
        tags.push_back("gdpr-purge-pending-" + format_day(plan.now - rng.between(0, 120) * kDay));
    }
    return tags;
}

void set_state(Contact& c, std::vector<std::string>& tags, const Plan& plan, Rng& rng) {
    const std::size_t kind = rng.pick({987, 10, 3});
    if (kind == 1) {  // soft-deleted, half of them by gdpr-purge
        c.state = ContactState::soft_deleted;
        c.deleted_at = std::max(c.created_at, plan.now - rng.between(kDay, 200 * kDay));
        c.updated_at = c.deleted_at;
        if (rng.chance(0.5)) {
            std::erase_if(tags, [](const std::string& t) { return t.starts_with("gdpr-purge-"); });
            tags.emplace_back("gdpr-purge-deleted");
        }
    } else if (kind == 2) {
        c.state = ContactState::blocked;
    }
}

// "john.doe.7@example.com" as people type it: "John.Doe.7@Example.COM", "John.Doe.7@example.com".
std::string mixed_case(const std::string& email, Rng& rng) {
    std::string out = email;
    const std::size_t at = out.find('@');
    bool start = true;
    for (std::size_t k = 0; k < at && k < out.size(); ++k) {
        if (start && out[k] >= 'a' && out[k] <= 'z')
            out[k] = static_cast<char>(out[k] - 'a' + 'A');
        start = out[k] == '.';
    }
    static constexpr std::array kDomains = {"example.com", "Example.COM", "Example.com",
                                            "EXAMPLE.COM"};
    if (at != std::string::npos)
        out = out.substr(0, at + 1) + kDomains[rng.below(kDomains.size())];
    return out;
}

// Real accounts are untidy: 1% of the contacts have no email at all (a phone only), 5% have an
// email stored in mixed case. The fixed addresses (contacts 0 and 1) stay as they are.
void add_quirks(Contact& c, std::size_t i, const Plan& plan) {
    if (i < 2)
        return;
    Rng q = quirk_rng(plan, 1, i);
    const double u = q.unit();
    if (u < 0.01) {
        c.email.clear();
        c.other_emails.clear();
        if (c.phone.empty() && c.mobile.empty())
            c.phone = phone(q);
    } else if (u < 0.06) {
        c.email = mixed_case(c.email, q);
    }
}

}  // namespace

void make_contact_details(Account& acc, Contact& c, std::size_t i, const Plan& plan, Rng& rng) {
    // Addresses that rules files name as exceptions.
    static constexpr std::array kFixed = {"ceo@example.com", "dpo@example.com"};
    c.email = i < kFixed.size() ? kFixed[i] : email_of(c.name, "." + std::to_string(i));
    if (rng.chance(0.05)) {
        const auto n = rng.between(1, 2);
        for (std::int64_t k = 0; k < n; ++k)
            c.other_emails.push_back(
                email_of(c.name, "." + std::to_string(i) + ".alt" + std::to_string(k + 1)));
    }
    if (rng.chance(0.2))
        c.phone = phone(rng);
    if (rng.chance(0.1))
        c.mobile = phone(rng);
    add_quirks(c, i, plan);
    add_companies(acc, c, rng);
    c.active = rng.chance(0.88);
    c.updated_at = rng.chance(0.4) ? c.created_at : rng.between(c.created_at, plan.now);
    auto tags = make_tags(rng, plan);
    set_state(c, tags, plan, rng);
    c.tags = acc.intern_tags(tags);
}

}  // namespace sim::gen
