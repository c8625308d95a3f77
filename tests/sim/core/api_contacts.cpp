// GET /contacts, GET /contacts/{id}, PUT /contacts/{id}.
#include "api_impl.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <shared_mutex>

namespace sim {

namespace json = boost::json;

namespace {

enum class StateFilter { listed, verified, unverified, deleted, blocked };

struct ContactFilter {
    StateFilter state = StateFilter::listed;
    const std::string* email = nullptr;
    const std::string* phone = nullptr;
    const std::string* mobile = nullptr;
    Id company = 0;
    Time since = kNoTime;
};

ContactFilter read_filter(const ApiImpl::Call& c, const char* since_name, Errors& errors) {
    ContactFilter f;
    if (const auto* s = c.q.get("state")) {
        if (*s == "verified")
            f.state = StateFilter::verified;
        else if (*s == "unverified")
            f.state = StateFilter::unverified;
        else if (*s == "deleted")
            f.state = StateFilter::deleted;
        else if (*s == "blocked")
            f.state = StateFilter::blocked;
        else
            errors.push_back({"state",
                              "It should be one of these values: 'verified,unverified,"
                              "deleted,blocked'",
                              "invalid_value"});
    }
    f.email = c.q.get("email");
    f.phone = c.q.get("phone");
    f.mobile = c.q.get("mobile");
    if (const auto* co = c.q.get("company_id")) {
        const auto v = parse_positive(*co);
        if (!v)
            errors.push_back(
                {"company_id", "It should be a/an Positive Integer", "datatype_mismatch"});
        f.company = v.value_or(0);
    }
    if (const auto* s = c.q.get(since_name)) {
        const auto t = parse_query_time(*s);
        if (!t)
            errors.push_back(
                {since_name, "It should be in the 'YYYY-MM-DDTHH:MM:SSZ' format", "invalid_value"});
        f.since = t.value_or(kNoTime);
    }
    return f;
}

bool state_matches(const Contact& x, StateFilter s) {
    switch (s) {
        // Without a state filter the list shows live contacts only: not deleted, not blocked.
        case StateFilter::listed:
            return x.state == ContactState::active;
        case StateFilter::verified:
            return x.state == ContactState::active && x.active;
        case StateFilter::unverified:
            return x.state == ContactState::active && !x.active;
        case StateFilter::deleted:
            return x.state == ContactState::soft_deleted;
        case StateFilter::blocked:
            return x.state == ContactState::blocked;
    }
    return false;
}

bool matches(const Contact& x, const ContactFilter& f) {
    if (!state_matches(x, f.state))
        return false;
    // company_id matches the primary company only (stricter: other companies need the full view).
    if (f.company != 0 && x.company_id != f.company)
        return false;
    if (f.phone != nullptr && x.phone != *f.phone)
        return false;
    if (f.mobile != nullptr && x.mobile != *f.mobile)
        return false;
    return f.since == kNoTime || x.updated_at >= f.since;
}

}  // namespace

Response ApiImpl::contacts_list(const Call& c) {
    Errors errors;
    // Exactly one of the two names of the updated-since filter exists (an option): the other is
    // an unknown parameter.
    const char* since_name =
        c.opt.contacts_updated_since_plain ? "updated_since" : "_updated_since";
    c.q.check({"page", "per_page", "email", "phone", "mobile", "company_id", "state", since_name},
              errors);
    const Paging pg = read_paging(c.q, errors);
    const ContactFilter f = read_filter(c, since_name, errors);
    if (!errors.empty())
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    std::vector<std::uint32_t> by_email;
    if (f.email != nullptr) {  // the email filter also matches other emails
        if (const auto i = acc().contact_by_email(*f.email))
            by_email.push_back(static_cast<std::uint32_t>(*i));
    }
    const auto& order = f.email != nullptr ? by_email : acc().contacts_by_name();
    const std::int64_t skip = (pg.page - 1) * pg.per_page;
    std::int64_t n = 0;
    json::array items;
    bool has_next = false;
    for (const auto i : order) {
        const Contact& x = acc().contacts[i];
        if (!matches(x, f))
            continue;
        if (n >= skip + pg.per_page) {
            has_next = true;
            break;
        }
        if (n++ >= skip)
            items.push_back(contact_json(acc(), x, false, c.opt.contact_blocked_field));
    }
    return list_response(c, std::move(items), has_next);
}

Response ApiImpl::contact_view(const Call& c) {
    Errors errors;
    c.q.check({}, errors);
    if (!errors.empty())
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    const auto id = parse_positive(c.route.id);
    const auto i = id ? acc().contact_at(*id) : std::nullopt;
    // Agents are not contacts here: their ids answer 404, as unknown and hard-deleted ones do.
    if (!i || acc().contacts[*i].state == ContactState::hard_deleted)
        return not_found();
    return json_response(
        200, contact_json(acc(), acc().contacts[*i], true, c.opt.contact_blocked_field));
}

}  // namespace sim
