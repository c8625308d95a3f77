// GET /agents, /groups, /companies, /ticket_fields.
#include "api_impl.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <shared_mutex>

namespace sim {

namespace json = boost::json;

namespace {

Response access_denied() {
    return request_error(403, "access_denied", "You are not authorized to perform this action.");
}

// One page of a short list (agents, groups, companies), in id order.
template <class T, class ToJson, class Keep>
Response page_of(const ApiImpl::Call& c, const Paging& pg, std::vector<const T*> all,
                 ToJson to_json, Keep keep) {
    std::sort(all.begin(), all.end(), [](const T* a, const T* b) { return a->id < b->id; });
    std::erase_if(all, [&](const T* x) { return !keep(*x); });
    const auto skip = static_cast<std::size_t>((pg.page - 1) * pg.per_page);
    json::array items;
    for (std::size_t i = skip; i < all.size() && i < skip + static_cast<std::size_t>(pg.per_page);
         ++i)
        items.push_back(to_json(*all[i]));
    return list_response(c, std::move(items),
                         all.size() > skip + static_cast<std::size_t>(pg.per_page));
}

template <class T>
std::vector<const T*> pointers(const std::vector<T>& v) {
    std::vector<const T*> out;
    for (const auto& x : v)
        out.push_back(&x);
    return out;
}

}  // namespace

Response ApiImpl::agents_list(const Call& c) {
    if (!c.opt.admin_key)
        return access_denied();
    Errors errors;
    c.q.check({"page", "per_page", "email", "state"}, errors);
    const Paging pg = read_paging(c.q, errors);
    const auto* state = c.q.get("state");
    if (state != nullptr && *state != "fulltime" && *state != "occasional")
        errors.push_back(
            {"state", "It should be one of these values: 'fulltime,occasional'", "invalid_value"});
    if (!errors.empty())
        return validation_error(errors);
    const auto* email = c.q.get("email");
    std::shared_lock lock(acc().mutex);
    return page_of(c, pg, pointers(acc().agents), agent_json, [&](const Agent& a) {
        if (email != nullptr && !iequals(a.email, *email))
            return false;
        return state == nullptr || a.occasional == (*state == "occasional");
    });
}

Response ApiImpl::groups_list(const Call& c) {
    if (!c.opt.admin_key)
        return access_denied();
    Errors errors;
    c.q.check({"page", "per_page"}, errors);
    const Paging pg = read_paging(c.q, errors);
    if (!errors.empty())
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    return page_of(c, pg, pointers(acc().groups), group_json, [](const Named&) { return true; });
}

Response ApiImpl::companies_list(const Call& c) {
    Errors errors;
    c.q.check({"page", "per_page"}, errors);
    const Paging pg = read_paging(c.q, errors);
    if (!errors.empty())
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    return page_of(c, pg, pointers(acc().companies), company_json,
                   [](const Named&) { return true; });
}

namespace {

json::object type_field(const Account& acc, bool choice_objects) {
    json::array choices;
    std::int64_t position = 1;
    for (const Sym s : acc.ticket_types) {
        if (!choice_objects) {
            choices.emplace_back(acc.strings.at(s));
        } else {  // the admin shape
            choices.push_back(json::object{{"id", 1000 + position},
                                           {"label", acc.strings.at(s)},
                                           {"value", acc.strings.at(s)},
                                           {"position", position}});
        }
        ++position;
    }
    return json::object{{"id", 103},
                        {"name", "ticket_type"},
                        {"label", "Type"},
                        {"description", "Ticket type"},
                        {"position", 3},
                        {"required_for_closure", false},
                        {"required_for_agents", false},
                        {"type", "default_ticket_type"},
                        {"default", true},
                        {"customers_can_edit", true},
                        {"label_for_customers", "Type"},
                        {"required_for_customers", false},
                        {"displayed_to_customers", true},
                        {"created_at", "2020-01-01T00:00:00Z"},
                        {"updated_at", "2020-01-01T00:00:00Z"},
                        {"choices", std::move(choices)}};
}

json::object status_field() {
    json::object choices{{"2", json::array{"Open", "Being Processed"}},
                         {"3", json::array{"Pending", "Awaiting your Reply"}},
                         {"4", json::array{"Resolved", "This ticket has been Resolved"}},
                         {"5", json::array{"Closed", "This ticket has been Closed"}},
                         {"6", json::array{"Waiting on Customer", "Awaiting your Reply"}},
                         {"7", json::array{"Waiting on Third Party", "Being Processed"}}};
    return json::object{{"id", 105},
                        {"name", "status"},
                        {"label", "Status"},
                        {"description", "Ticket status"},
                        {"position", 5},
                        {"required_for_closure", false},
                        {"required_for_agents", true},
                        {"type", "default_status"},
                        {"default", true},
                        {"customers_can_edit", false},
                        {"label_for_customers", "Status"},
                        {"required_for_customers", false},
                        {"displayed_to_customers", true},
                        {"created_at", "2020-01-01T00:00:00Z"},
                        {"updated_at", "2020-01-01T00:00:00Z"},
                        {"choices", std::move(choices)}};
}

}  // namespace

Response ApiImpl::ticket_fields(const Call& c) {
    Errors errors;
    c.q.check({"type"}, errors);
    const auto* type = c.q.get("type");
    if (type != nullptr && *type != "default_ticket_type" && *type != "default_status")
        errors.push_back({"type",
                          "It should be one of these values: 'default_ticket_type,"
                          "default_status'",
                          "invalid_value"});
    if (!errors.empty())
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    json::array fields;
    if (type == nullptr || *type == "default_ticket_type")
        fields.push_back(type_field(acc(), c.opt.ticket_type_choice_objects));
    if (type == nullptr || *type == "default_status")
        fields.push_back(status_field());
    return json_response(200, fields);
}

}  // namespace sim
