// The contacts' state machine: PUT (tags), DELETE (soft), restore, hard_delete.
#include "api_impl.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <shared_mutex>
#include <variant>

namespace sim {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTagLength = 32;

// The contact named by {id}, unless unknown, an agent's id, or hard-deleted.
std::optional<std::size_t> find_contact(const Account& acc, std::string_view id) {
    const auto n = parse_positive(id);
    const auto i = n ? acc.contact_at(*n) : std::nullopt;
    if (!i || acc.contacts[*i].state == ContactState::hard_deleted)
        return std::nullopt;
    return i;
}

void read_tags(const json::value& v, std::vector<std::string>& out, Errors& errors) {
    if (!v.is_array()) {
        errors.push_back({"tags", "It should be a/an Array", "datatype_mismatch"});
        return;
    }
    for (const auto& t : v.get_array()) {
        if (!t.is_string()) {
            errors.push_back(
                {"tags", "It should contain elements of type String only", "datatype_mismatch"});
            return;
        }
        const std::string tag(t.get_string());
        if (tag.find_first_not_of(' ') == std::string::npos || tag.size() > kMaxTagLength) {
            errors.push_back({"tags",
                              "It should only contain elements that have maximum of 32 "
                              "characters and are not blank",
                              "invalid_value"});
            return;
        }
        // Tags are case-insensitive in Freshdesk: "VIP" and "vip" are one tag.
        bool dup = false;
        for (const auto& x : out)
            dup = dup || iequals(x, tag);
        if (!dup)
            out.push_back(tag);
    }
}

struct ContactChange {
    std::optional<std::vector<std::string>> tags;
    std::optional<std::string> name;
};

std::variant<ContactChange, Response> read_change(const std::string& body) {
    json::error_code ec;
    const json::value v = json::parse(body, ec);
    if (ec || !v.is_object())
        return request_error(400, "invalid_json", "Request body has invalid json format");
    ContactChange change;
    Errors errors;
    for (const auto& kv : v.get_object()) {
        if (kv.key() == "tags") {
            change.tags.emplace();
            read_tags(kv.value(), *change.tags, errors);
        } else if (kv.key() == "name") {
            if (!kv.value().is_string() || kv.value().get_string().empty() ||
                kv.value().get_string().size() > 255)
                errors.push_back({"name", "It should be a/an String of at most 255 characters",
                                  "datatype_mismatch"});
            else
                change.name = std::string(kv.value().get_string());
        } else {
            errors.push_back({kv.key(), "Unexpected/invalid field in request", "invalid_field"});
        }
    }
    if (!errors.empty())
        return validation_error(errors);
    return change;
}

}  // namespace

Response ApiImpl::contact_update(const Call& c) {
    Errors errors;
    c.q.check({}, errors);
    if (!errors.empty())
        return validation_error(errors);
    std::unique_lock lock(acc().mutex);
    const auto i = find_contact(acc(), c.route.id);
    if (!i)
        return not_found();
    if (acc().contacts[*i].state != ContactState::active)
        return method_not_allowed("PUT", "GET");
    auto parsed = read_change(c.req.body);
    if (auto* refused = std::get_if<Response>(&parsed))
        return std::move(*refused);
    const auto& change = std::get<ContactChange>(parsed);
    Contact& x = acc().contacts[*i];
    if (change.tags || change.name) {
        acc().remember_contact(*i, c.now, c.opt.search_lag_seconds);
        const Contact before = x;
        if (change.tags)
            x.tags = acc().intern_tags(*change.tags);
        if (change.name)
            x.name = *change.name;
        x.updated_at = c.now;
        if (change.name)
            acc().contact_changed(*i, before);  // keeps the list's name order
    }
    return json_response(200, contact_json(acc(), x, true, c.opt.contact_blocked_field));
}

Response ApiImpl::contact_delete(const Call& c) {
    if (auto refused = refuse_query_or_body(c))
        return *refused;
    std::unique_lock lock(acc().mutex);
    const auto i = find_contact(acc(), c.route.id);
    if (!i)
        return not_found();
    Contact& x = acc().contacts[*i];
    if (x.state != ContactState::active)
        return method_not_allowed("DELETE", "GET");
    acc().remember_contact(*i, c.now, c.opt.search_lag_seconds);
    x.state = ContactState::soft_deleted;  // its tickets stay
    x.deleted_at = c.now;
    x.updated_at = c.now;
    return no_content();
}

Response ApiImpl::contact_restore(const Call& c) {
    if (auto refused = refuse_query_or_body(c))
        return *refused;
    std::unique_lock lock(acc().mutex);
    const auto i = find_contact(acc(), c.route.id);
    if (!i || acc().contacts[*i].state != ContactState::soft_deleted)
        return not_found();
    Contact& x = acc().contacts[*i];
    acc().remember_contact(*i, c.now, c.opt.search_lag_seconds);
    x.state = ContactState::active;
    x.deleted_at = kNoTime;
    x.updated_at = c.now;
    return no_content();
}

Response ApiImpl::contact_hard_delete(const Call& c) {
    Errors errors;
    c.q.check({"force"}, errors);
    const auto* force = c.q.get("force");
    if (force != nullptr && *force != "true" && *force != "false")
        errors.push_back(
            {"force", "It should be one of these values: 'true,false'", "invalid_value"});
    if (!errors.empty())
        return validation_error(errors);
    if (has_body(c.req))
        return no_content_required();
    std::unique_lock lock(acc().mutex);
    const auto i = find_contact(acc(), c.route.id);
    if (!i)
        return not_found();
    Contact& x = acc().contacts[*i];
    const bool forced = force != nullptr && *force == "true" && !c.opt.hard_delete_force_ignored;
    if (x.state != ContactState::soft_deleted && !forced)
        return bare_response(400, "");
    acc().remember_contact(*i, c.now, c.opt.search_lag_seconds);
    x.state = ContactState::hard_deleted;  // 404 at once
    x.updated_at = c.now;
    acc().release_emails(*i);
    // A contact that was once an agent is only anonymized: its tickets (live, trash, archived)
    // stay, for good.
    if (x.was_agent)
        return no_content();
    // Its tickets (live, trashed, spam or archived) go in the background, job_seconds later.
    const Time removal = c.now + std::max(0, c.opt.job_seconds);
    // (seen() applies removal_at lazily, for the search's past view too.)
    for (const auto t : acc().tickets_of(x.id)) {
        if (acc().tickets[t].removal_at == kNoTime)
            acc().tickets[t].removal_at = removal;
    }
    return no_content();
}

}  // namespace sim
