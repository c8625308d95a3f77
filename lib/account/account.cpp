#include "account/account.hpp"

#include "util/text.hpp"

#include <limits>
#include <stdexcept>

namespace gp {

NameRef StringPool::intern(std::string_view text) {
    if (auto found = find(text)) {
        return *found;
    }
    if (texts_.size() >= no_name) {
        throw std::length_error("too many distinct names in one account");
    }
    const auto ref = static_cast<NameRef>(texts_.size());
    texts_.emplace_back(text);
    index_.emplace(texts_.back(), ref);
    return ref;
}

std::optional<NameRef> StringPool::find(std::string_view text) const {
    const auto it = index_.find(text);
    if (it == index_.end()) {
        return std::nullopt;
    }
    return it->second;
}

void Snapshot::add_ticket(const TicketRecord& record) {
    if (record.tags.size() > std::numeric_limits<std::uint16_t>::max()) {
        throw std::length_error("ticket " + std::to_string(record.id) + " has too many tags");
    }
    if (record.status < 0 || record.status > std::numeric_limits<std::uint16_t>::max()) {
        throw std::out_of_range("ticket " + std::to_string(record.id) + " has an invalid status");
    }
    Ticket t;
    t.id = record.id;
    t.requester_id = record.requester_id;
    t.responder_id = record.responder_id;
    t.group_id = record.group_id;
    t.created_at = record.created_at;
    t.updated_at = record.updated_at;
    t.closed_at = record.closed_at;
    t.type = record.type ? names_.intern(normalize_name(*record.type)) : no_name;
    t.tags_begin = static_cast<std::uint32_t>(ticket_tags_.size());
    t.tags_count = static_cast<std::uint16_t>(record.tags.size());
    for (const auto& tag : record.tags) {
        ticket_tags_.push_back(names_.intern(normalize_name(tag)));
    }
    t.status = static_cast<std::uint16_t>(record.status);
    t.spam = record.spam;
    t.deleted = record.deleted;
    t.archived = record.archived;
    tickets_.push_back(t);
}

std::span<const NameRef> Snapshot::tags_of(const Ticket& ticket) const {
    return {ticket_tags_.data() + ticket.tags_begin, ticket.tags_count};
}

TicketRecord Snapshot::record_of(const Ticket& t) const {
    TicketRecord r;
    r.id = t.id;
    r.requester_id = t.requester_id;
    r.responder_id = t.responder_id;
    r.group_id = t.group_id;
    if (t.type != no_name) {
        r.type = std::string(name(t.type));
    }
    for (NameRef tag : tags_of(t)) {
        r.tags.emplace_back(name(tag));
    }
    r.status = t.status;
    r.spam = t.spam;
    r.deleted = t.deleted;
    r.archived = t.archived;
    r.created_at = t.created_at;
    r.updated_at = t.updated_at;
    r.closed_at = t.closed_at;
    return r;
}

std::optional<NameRef> Snapshot::find_name(std::string_view text) const {
    return names_.find(normalize_name(text));
}

}  // namespace gp
