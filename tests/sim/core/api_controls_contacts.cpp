// Controls on contacts: add one, edit one (any field of the file shape but its id), tag one.
#include "api_impl.hpp"
#include "controls.hpp"
#include "load_reader.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <shared_mutex>

namespace sim {

namespace json = boost::json;

namespace {

// Applies {"add_tags":[...], "remove_tags":[...]} to the "tags" array of `c`, case-insensitively.
std::optional<std::string> adjust_tags(json::object& c, const json::object& body) {
    auto list = [&](const char* key) -> std::optional<json::array> {
        const auto* v = body.if_contains(key);
        if (v == nullptr)
            return json::array{};
        if (!v->is_array())
            return std::nullopt;
        return v->get_array();
    };
    const auto add = list("add_tags");
    const auto remove = list("remove_tags");
    if (!add || !remove)
        return "add_tags and remove_tags must be arrays";
    auto& tags = c["tags"].as_array();
    auto same = [](const json::value& a, const json::value& b) {
        return a.is_string() && b.is_string() && iequals(a.get_string(), b.get_string());
    };
    for (const auto& r : *remove)
        tags.erase(std::remove_if(tags.begin(), tags.end(),
                                  [&](const json::value& t) { return same(t, r); }),
                   tags.end());
    for (const auto& a : *add) {
        if (std::none_of(tags.begin(), tags.end(),
                         [&](const json::value& t) { return same(t, a); }))
            tags.push_back(a);
    }
    return std::nullopt;
}

// {"add":[...],"remove":[...]} as the general edit's add_tags/remove_tags; nullopt for other keys.
std::optional<json::object> tag_edit(const json::object& body) {
    json::object tags;
    for (const auto& kv : body) {
        if (kv.key() != "add" && kv.key() != "remove")
            return std::nullopt;
        tags[std::string(kv.key()) + "_tags"] = kv.value();
    }
    return tags;
}

}  // namespace

Response ApiImpl::control_add_contact(const Request& r) {
    auto body = body_object(r);
    if (!body)
        return control_error(400, "body must be a JSON object");
    const Time now = clock_.now();
    const ApiOptions opt = options();
    std::unique_lock lock(acc().mutex);
    json::object& c = *body;
    if (!c.contains("id"))
        c["id"] = next_person_id(acc());
    if (!c.contains("created_at"))
        c["created_at"] = format_time(now);
    if (!c.contains("updated_at"))
        c["updated_at"] = c["created_at"];
    try {
        const auto index = acc().add_contact(load::read_contact(acc(), load::Obj(c, "$")));
        acc().remember_contact(index, now, opt.search_lag_seconds, false);
        return json_response(201, contact_file_json(acc(), acc().contacts[index]));
    } catch (const std::runtime_error& e) {
        return control_error(400, e.what());
    }
}

Response ApiImpl::control_edit_contact(const Request& r, std::string_view path) {
    auto body = body_object(r);
    if (!body)
        return control_error(400, "body must be a JSON object");
    const bool tag_only = path.ends_with("/tags");
    const std::string_view id = tag_only ? path.substr(0, path.size() - 5) : path;
    if (tag_only) {
        auto tags = tag_edit(*body);
        if (!tags)
            return control_error(400, "only add and remove go to /tags");
        body = std::move(tags);
    }
    for (const auto& kv : *body) {
        if (kv.key() == "id" || kv.key() == "created_at")
            return control_error(400, "cannot change " + std::string(kv.key()) + " here");
    }
    const Time now = clock_.now();
    const ApiOptions opt = options();
    std::unique_lock lock(acc().mutex);
    const auto n = parse_positive(id);
    const auto i = n ? acc().contact_at(*n) : std::nullopt;
    if (!i || acc().contacts[*i].state == ContactState::hard_deleted)
        return control_error(404, "no such contact");
    json::object c = contact_file_json(acc(), acc().contacts[*i]);
    c["updated_at"] = format_time(now);
    for (const auto& kv : *body) {
        if (kv.key() != "add_tags" && kv.key() != "remove_tags")
            c[kv.key()] = kv.value();
    }
    if (const auto error = adjust_tags(c, *body))
        return control_error(400, *error);
    if (c["state"] != "soft_deleted" && !body->contains("deleted_at"))
        c["deleted_at"] = nullptr;
    try {
        Contact edited = load::read_contact(acc(), load::Obj(c, "$"));
        acc().remember_contact(*i, now, opt.search_lag_seconds);
        const Contact before = acc().contacts[*i];
        acc().contacts[*i] = std::move(edited);
        acc().contact_changed(*i, before);
        return json_response(200, contact_file_json(acc(), acc().contacts[*i]));
    } catch (const std::runtime_error& e) {
        return control_error(400, e.what());
    }
}

}  // namespace sim
