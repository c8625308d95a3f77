// The search index's lag: before a ticket or contact changes, its old state is kept for `lag`
// seconds, so that search answers from the account as it was `lag` seconds ago.
#include "account.hpp"

#include <algorithm>

namespace sim {

namespace {

template <class T, class Map, class Key>
void remember(Map& history, Key key, const T& current, Time now, Time lag, bool existed) {
    if (lag <= 0)
        return;
    auto& records = history[key];
    // Records older than the lag are already what the index sees: drop them.
    std::erase_if(records, [&](const auto& r) { return r.at <= now - lag; });
    if (existed) {
        records.push_back({now, current});
    } else {
        records.push_back({now, std::nullopt});
    }
}

template <class T, class Map, class Key>
const T* as_of(const Map& history, Key key, const T& current, Time when) {
    const auto it = history.find(key);
    if (it != history.end()) {
        for (const auto& r : it->second) {
            // The first change after `when` kept the state the index still sees.
            if (r.at > when)
                return r.before ? &*r.before : nullptr;
        }
    }
    return &current;
}

}  // namespace

void Account::remember_ticket(std::uint32_t index, Time now, Time lag, bool existed) {
    remember<Ticket>(ticket_history_, index, tickets[index], now, lag, existed);
}

void Account::remember_contact(std::size_t index, Time now, Time lag, bool existed) {
    remember<Contact>(contact_history_, index, contacts[index], now, lag, existed);
}

const Ticket* Account::ticket_as_of(std::uint32_t index, Time when) const {
    return as_of<Ticket>(ticket_history_, index, tickets[index], when);
}

const Contact* Account::contact_as_of(std::size_t index, Time when) const {
    return as_of<Contact>(contact_history_, index, contacts[index], when);
}

}  // namespace sim
