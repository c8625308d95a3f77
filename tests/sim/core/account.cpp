#include "account.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace sim {

Seen seen(const Ticket& t, Time now, int archive_days) {
    if (t.state == TicketState::gone)
        return Seen::gone;
    if (t.removal_at != kNoTime && t.removal_at <= now)
        return Seen::gone;
    if (t.state == TicketState::trash) {
        return t.deleted_at + kTrashDays * kDay <= now ? Seen::gone : Seen::trash;
    }
    if (t.spam)
        return Seen::spam;
    // Archiving moves closed tickets inactive for archive_days out of the list and search APIs.
    if (archive_days > 0 && t.status == 5 && t.updated_at <= now - archive_days * kDay)
        return Seen::archived;
    return Seen::live;
}

namespace {

// Contacts list order: by name, case-insensitively (as a MySQL _ci collation), then by id.
bool name_less(const Contact& a, const Contact& b) {
    const auto n = std::min(a.name.size(), b.name.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int x = std::tolower(static_cast<unsigned char>(a.name[i]));
        const int y = std::tolower(static_cast<unsigned char>(b.name[i]));
        if (x != y)
            return x < y;
    }
    if (a.name.size() != b.name.size())
        return a.name.size() < b.name.size();
    return a.id < b.id;
}

}  // namespace

void Account::build_indexes() {
    contact_ids_.clear();
    agent_ids_.clear();
    emails_.clear();
    by_requester_.clear();
    by_updated_.clear();
    by_created_.clear();
    for (std::size_t i = 0; i < agents.size(); ++i) {
        if (!agent_ids_.emplace(agents[i].id, i).second)
            throw std::runtime_error("duplicate agent id " + std::to_string(agents[i].id));
    }
    contact_ids_.reserve(contacts.size());
    emails_.reserve(contacts.size());
    for (std::size_t i = 0; i < contacts.size(); ++i) {
        const Id id = contacts[i].id;
        if (agent_ids_.count(id) != 0 || !contact_ids_.emplace(id, i).second)
            throw std::runtime_error("duplicate contact id " + std::to_string(id));
        index_contact_emails(i);
    }
    by_name_.resize(contacts.size());
    for (std::size_t i = 0; i < contacts.size(); ++i)
        by_name_[i] = static_cast<std::uint32_t>(i);
    std::sort(by_name_.begin(), by_name_.end(), [this](std::uint32_t a, std::uint32_t b) {
        return name_less(contacts[a], contacts[b]);
    });
    by_created_.reserve(tickets.size());
    for (std::size_t i = 0; i < tickets.size(); ++i) {
        const Ticket& t = tickets[i];
        if (t.state == TicketState::gone)
            continue;
        const auto index = static_cast<std::uint32_t>(i);
        by_requester_[t.requester_id].push_back(index);
        by_created_.emplace_back(t.created_at, index);
        by_updated_.emplace_hint(by_updated_.end(), t.updated_at, index);
    }
    std::sort(by_created_.begin(), by_created_.end());
}

void Account::index_contact_emails(std::size_t index) {
    const Contact& c = contacts[index];
    auto add = [&](const std::string& email) {
        if (email.empty())
            return;
        if (!emails_.emplace(lower(email), index).second)
            throw std::runtime_error("duplicate contact email " + email);
    };
    add(c.email);
    for (const auto& e : c.other_emails)
        add(e);
}

void Account::release_emails(std::size_t index) {
    release_emails_of(contacts[index], index);
}

// Only the emails that point at `index`: another contact may hold one of them.
void Account::release_emails_of(const Contact& c, std::size_t index) {
    auto release = [&](const std::string& email) {
        const auto it = emails_.find(lower(email));
        if (it != emails_.end() && it->second == index)
            emails_.erase(it);
    };
    release(c.email);
    for (const auto& e : c.other_emails)
        release(e);
}

void Account::contact_changed(std::size_t index, const Contact& before) {
    by_name_.erase(std::find(by_name_.begin(), by_name_.end(), static_cast<std::uint32_t>(index)));
    release_emails_of(before, index);
    try {
        index_contact_emails(index);
    } catch (const std::runtime_error&) {
        release_emails(index);  // the emails indexed before the duplicate
        contacts[index] = before;
        index_contact_emails(index);
        insert_by_name(index);
        throw;
    }
    insert_by_name(index);
}

std::optional<std::size_t> Account::contact_at(Id id) const {
    const auto it = contact_ids_.find(id);
    if (it == contact_ids_.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::size_t> Account::agent_at(Id id) const {
    const auto it = agent_ids_.find(id);
    if (it == agent_ids_.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::size_t> Account::contact_by_email(std::string_view email) const {
    const auto it = emails_.find(lower(email));
    if (it == emails_.end())
        return std::nullopt;
    return it->second;
}

const Named* Account::group(Id id) const {
    for (const auto& g : groups) {
        if (g.id == id)
            return &g;
    }
    return nullptr;
}

const Named* Account::company(Id id) const {
    for (const auto& c : companies) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

const std::vector<std::uint32_t>& Account::tickets_of(Id requester) const {
    static const std::vector<std::uint32_t> kNone;
    const auto it = by_requester_.find(requester);
    return it == by_requester_.end() ? kNone : it->second;
}

std::vector<std::string_view> Account::tag_names(TagSet set) const {
    std::vector<std::string_view> out;
    for (const Sym s : tagsets.at(set))
        out.push_back(strings.at(s));
    return out;
}

TagSet Account::intern_tags(const std::vector<std::string>& tags) {
    std::vector<Sym> syms;
    syms.reserve(tags.size());
    for (const auto& t : tags)
        syms.push_back(strings.intern(t));
    return tagsets.intern(syms);
}

void Account::set_ticket_updated(std::uint32_t index, Time updated_at) {
    Ticket& t = tickets[index];
    by_updated_.erase({t.updated_at, index});
    t.updated_at = updated_at;
    by_updated_.emplace(updated_at, index);
}

std::uint32_t Account::add_ticket(const Ticket& ticket) {
    const auto index = static_cast<std::uint32_t>(tickets.size());
    tickets.push_back(ticket);
    by_requester_[ticket.requester_id].push_back(index);
    const Key key{ticket.created_at, index};
    by_created_.insert(std::upper_bound(by_created_.begin(), by_created_.end(), key), key);
    by_updated_.emplace(ticket.updated_at, index);
    return index;
}

void Account::insert_by_name(std::size_t index) {
    const auto pos = std::lower_bound(
        by_name_.begin(), by_name_.end(), index,
        [this](std::uint32_t a, std::size_t b) { return name_less(contacts[a], contacts[b]); });
    by_name_.insert(pos, static_cast<std::uint32_t>(index));
}

std::size_t Account::add_contact(Contact contact) {
    if (contact_ids_.count(contact.id) != 0 || agent_ids_.count(contact.id) != 0)
        throw std::runtime_error("duplicate contact id " + std::to_string(contact.id));
    auto taken = [this](const std::string& e) {
        return !e.empty() && emails_.count(lower(e)) != 0;
    };
    if (taken(contact.email) ||
        std::any_of(contact.other_emails.begin(), contact.other_emails.end(), taken))
        throw std::runtime_error("duplicate contact email " + contact.email);
    const std::size_t index = contacts.size();
    contacts.push_back(std::move(contact));
    contact_ids_.emplace(contacts.back().id, index);
    index_contact_emails(index);
    insert_by_name(index);
    return index;
}

void Account::add_agent(Agent agent) {
    if (contact_ids_.count(agent.id) != 0 || !agent_ids_.emplace(agent.id, agents.size()).second)
        throw std::runtime_error("duplicate agent id " + std::to_string(agent.id));
    agents.push_back(std::move(agent));
}

}  // namespace sim
