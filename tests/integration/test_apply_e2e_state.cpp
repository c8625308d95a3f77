// The account's state for the apply / undo-soft end-to-end tests (test_apply_e2e.hpp): read from
// /_sim/state object by object, the state a plan must leave, and the comparison.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace json = boost::json;

namespace e2e {

// ---- the account's state ------------------------------------------------------------------------

Ids account_ids(const std::string& account_file) {
    const json::object account = parse_object(read_file(account_file));
    Ids ids;
    if (const json::value* contacts = account.if_contains("contacts")) {
        for (const json::value& c : contacts->as_array()) {
            ids.contacts.push_back(integer(c.at("id")));
        }
    }
    std::int64_t previous = 0;
    if (const json::value* tickets = account.if_contains("tickets")) {
        for (const json::value& t : tickets->as_array()) {
            const json::value* id = t.as_object().if_contains("id");
            previous = id != nullptr ? integer(*id) : previous + 1;
            ids.tickets.push_back(previous);
        }
    }
    return ids;
}

Ids listed_ids(int port, int tickets) {
    Ids ids;
    simtest::Client client(port);
    for (const std::string state : {"", "&state=deleted", "&state=blocked"}) {
        for (int page = 1;; ++page) {
            const simtest::Reply r =
                client.get("/api/v2/contacts?per_page=100&page=" + std::to_string(page) + state);
            INFO("contacts page " << page << state << ": " << r.body);
            REQUIRE(r.status == 200);
            const json::value v = r.json();
            if (v.as_array().empty()) {
                break;
            }
            for (const json::value& c : v.as_array()) {
                ids.contacts.push_back(integer(c.at("id")));
            }
        }
    }
    std::sort(ids.contacts.begin(), ids.contacts.end());
    for (int i = 1; i <= tickets; ++i) {
        ids.tickets.push_back(i);
    }
    return ids;
}

State sim_state(int port, const Ids& ids) {
    State state;
    simtest::Client client(port);
    const std::size_t n = std::max(ids.contacts.size(), ids.tickets.size());
    for (std::size_t i = 0; i < n || i == 0; ++i) {
        std::string target = "/_sim/state?";
        if (i < ids.contacts.size()) {
            target += "contact=" + std::to_string(ids.contacts[i]) + "&";
        }
        if (i < ids.tickets.size()) {
            target += "ticket=" + std::to_string(ids.tickets[i]);
        }
        const simtest::Reply r = client.get(target);
        INFO(target << ": " << r.body);
        REQUIRE(r.status == 200);
        json::object s = parse_object(r.body);
        const json::value* contact = s.if_contains("contact");
        if (i < ids.contacts.size() && contact != nullptr && contact->is_object() &&
            !contact->as_object().contains("agent")) {
            state.contacts[ids.contacts[i]] = contact->as_object();
        }
        const json::value* ticket = s.if_contains("ticket");
        if (i < ids.tickets.size() && ticket != nullptr && ticket->is_object()) {
            state.tickets[ids.tickets[i]] = ticket->as_object();
        }
        state.counts = member_object(s, "counts");
    }
    return state;
}

std::vector<std::string> tags_in(const json::object& contact) {
    std::vector<std::string> tags;
    if (const json::value* v = contact.if_contains("tags"); v != nullptr && v->is_array()) {
        for (const json::value& t : v->as_array()) {
            tags.emplace_back(t.as_string());
        }
    }
    std::sort(tags.begin(), tags.end());
    return tags;
}

void set_tags(json::object& contact, std::vector<std::string> tags) {
    std::sort(tags.begin(), tags.end());
    json::array a;
    for (const std::string& t : tags) {
        a.emplace_back(t);
    }
    contact["tags"] = std::move(a);
}

std::vector<std::string> without_pending(std::vector<std::string> tags) {
    tags.erase(std::remove_if(tags.begin(), tags.end(), is_pending_tag), tags.end());
    return tags;
}

namespace {

// JSON text with every object's keys sorted: writes may reorder an object's keys.
std::string canonical(const json::value& v) {
    if (v.is_object()) {
        std::vector<std::pair<std::string, const json::value*>> members;
        for (const auto& kv : v.as_object()) {
            members.emplace_back(std::string(kv.key()), &kv.value());
        }
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        std::string text = "{";
        for (const auto& [key, value] : members) {
            text += (text.size() > 1 ? "," : "") + json::serialize(json::value(key)) + ":" +
                    canonical(*value);
        }
        return text + "}";
    }
    if (v.is_array()) {
        std::string text = "[";
        for (const json::value& item : v.as_array()) {
            text += (text.size() > 1 ? "," : "") + canonical(item);
        }
        return text + "]";
    }
    return json::serialize(v);
}

// The object as compared: without the ignored keys, its ticket list (a contact's tickets are
// compared one by one) and with its tags sorted.
std::string comparable_text(json::object obj, const std::set<std::string>& ignore) {
    for (const std::string& key : ignore) {
        obj.erase(key);
    }
    obj.erase("tickets");
    if (obj.contains("tags")) {
        set_tags(obj, tags_in(obj));
    }
    return canonical(obj);
}

}  // namespace

json::object expected_counts(const State& state) {
    json::object contacts{{"active", 0}, {"soft_deleted", 0}, {"blocked", 0}, {"hard_deleted", 0}};
    json::object tickets{{"live", 0}, {"spam", 0}, {"trash", 0}, {"archived", 0}, {"gone", 0}};
    for (const auto& [id, c] : state.contacts) {
        auto& n = contacts[member_string(c, "state")];
        n = integer(n) + 1;
    }
    for (const auto& [id, t] : state.tickets) {
        auto& n = tickets[member_string(t, "seen")];
        n = integer(n) + 1;
    }
    return {{"contacts", std::move(contacts)}, {"tickets", std::move(tickets)}};
}

namespace {

template <class Map, class Ignore>
void compare_objects(const char* kind, const Map& expected, const Map& actual, const Ignore& ignore,
                     std::vector<std::string>& out) {
    static const std::set<std::string> none;
    for (const auto& [id, want] : expected) {
        const auto got = actual.find(id);
        const auto ig = ignore.find(id);
        const std::set<std::string>& keys = ig == ignore.end() ? none : ig->second;
        const std::string want_text = comparable_text(want, keys);
        if (got == actual.end()) {
            out.push_back(std::string(kind) + " " + std::to_string(id) + ": missing, expected " +
                          want_text);
            continue;
        }
        const std::string got_text = comparable_text(got->second, keys);
        if (want_text != got_text) {
            out.push_back(std::string(kind) + " " + std::to_string(id) + ":\n  expected " +
                          want_text + "\n  actual   " + got_text);
        }
    }
    for (const auto& [id, obj] : actual) {
        if (expected.count(id) == 0) {
            out.push_back(std::string(kind) + " " + std::to_string(id) + ": unexpected " +
                          json::serialize(obj));
        }
    }
}

void compare_counts(const json::object& want, const json::object& got,
                    std::vector<std::string>& out) {
    for (const char* key : {"contacts", "tickets"}) {
        if (!got.contains(key) || want.at(key) != got.at(key)) {
            out.push_back(std::string("counts.") + key + ": expected " +
                          json::serialize(want.at(key)) + ", actual " +
                          (got.contains(key) ? json::serialize(got.at(key)) : "none"));
        }
    }
}

}  // namespace

Expected expected_after(const State& before, const json::object& plan,
                        const std::set<std::int64_t>& skipped) {
    Expected e;
    e.state = before;
    const std::set<std::string> contact_write = {"updated_at", "deleted_at"};
    const std::set<std::string> trashed = {"updated_at", "deleted_at", "removal_at"};
    const std::set<std::string> gone = {"updated_at", "deleted_at", "removal_at", "deleted"};
    std::set<std::int64_t> hard;
    for (const json::value& v : member_array(plan, "entries")) {
        const std::int64_t id = integer(v.at("contact_id"));
        if (skipped.count(id) != 0) {
            continue;
        }
        json::object& contact = e.state.contacts.at(id);
        for (const json::value& s : member_array(v.as_object(), "steps")) {
            const json::object& step = s.as_object();
            const std::string action = member_string(step, "action");
            const std::string mode = optional_string(step, "mode");
            if (action == "delete_tickets") {
                for (std::int64_t t : ids_of(step, "ticket_ids")) {
                    json::object& ticket = e.state.tickets.at(t);
                    ticket["seen"] = "trash";
                    ticket["deleted"] = true;
                    e.ticket_ignore[t] = trashed;
                }
            } else if ((action == "delete_contact" && mode == "hard") ||
                       action == "purge_soft_deleted") {
                contact["state"] = "hard_deleted";
                hard.insert(id);
            } else if (action == "delete_contact") {
                contact["state"] = "soft_deleted";
                std::vector<std::string> tags = without_pending(tags_in(contact));
                tags.emplace_back(kDeletedTag);
                set_tags(contact, tags);
            } else if (action == "mark_pending") {
                std::vector<std::string> tags = tags_in(contact);
                tags.push_back(kPendingPrefix + member_string(step, "since"));
                set_tags(contact, tags);
            } else if (action == "clear_pending") {
                set_tags(contact, without_pending(tags_in(contact)));
            }
            if (action != "delete_tickets") {
                e.contact_ignore[id] = contact_write;
            }
        }
    }
    for (auto& [t, ticket] : e.state.tickets) {
        const json::value& requester = ticket.at("requester_id");
        if (!requester.is_null() && hard.count(integer(requester)) != 0) {
            ticket["seen"] = "gone";
            e.ticket_ignore[t] = gone;
        }
    }
    e.state.counts = expected_counts(e.state);
    return e;
}

std::vector<std::string> differences(const Expected& expected, const State& actual) {
    std::vector<std::string> out;
    compare_objects("contact", expected.state.contacts, actual.contacts, expected.contact_ignore,
                    out);
    compare_objects("ticket", expected.state.tickets, actual.tickets, expected.ticket_ignore, out);
    compare_counts(expected.state.counts, actual.counts, out);
    return out;
}

std::vector<std::string> twin_differences(const State& a, const State& b) {
    const std::set<std::string> times = {"updated_at", "deleted_at", "removal_at"};
    std::map<std::int64_t, std::set<std::string>> contact_ignore;
    std::map<std::int64_t, std::set<std::string>> ticket_ignore;
    for (const auto& [id, c] : a.contacts) {
        contact_ignore[id] = times;
    }
    for (const auto& [id, t] : a.tickets) {
        ticket_ignore[id] = times;
    }
    std::vector<std::string> out;
    compare_objects("contact", a.contacts, b.contacts, contact_ignore, out);
    compare_objects("ticket", a.tickets, b.tickets, ticket_ignore, out);
    compare_counts(a.counts, b.counts, out);
    return out;
}

std::vector<std::string> tags_of(const State& state, std::int64_t contact_id) {
    return tags_in(state.contacts.at(contact_id));
}

std::string state_of(const State& state, std::int64_t contact_id) {
    return member_string(state.contacts.at(contact_id), "state");
}

std::string seen_of(const State& state, std::int64_t ticket_id) {
    return member_string(state.tickets.at(ticket_id), "seen");
}

}  // namespace e2e
