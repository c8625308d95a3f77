// Freshdesk's reading endpoints other than the tickets list (read_tickets.cpp): contacts, search,
// agents, groups, companies and ticket types. The helpers both files share: read_fields.cpp.
#include "freshdesk/read.hpp"

#include "freshdesk/read_detail.hpp"
#include "time/time.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <atomic>
#include <utility>

namespace gp::freshdesk {

namespace {

using detail::Fields;

constexpr int search_pages = 10;  // the search endpoints answer pages 1 to 10 only

using PageHandler = std::function<void(const std::string& where, const boost::json::array&)>;
// Whether an error answer to the first page means "ask again otherwise" (see for_each_contact).
using RefusalCheck = std::function<bool(const Reply&)>;

// Every page of a list endpoint, 100 a page, until a page has no next link. An empty page ends the
// list too: a server that linked past its end would otherwise be read forever. Returns false,
// without raising, when `refused` accepts the error answer to the first page (its credits are
// counted); true when the list was read.
bool for_each_page(Client& client, const std::string& base, Budget budget, ListStats& stats,
                   const PageHandler& on_page, const RefusalCheck& refused = {}) {
    const char separator = base.find('?') == std::string::npos ? '?' : '&';
    for (int page = 1;; ++page) {
        Call call;
        call.target = base + separator + "per_page=" + std::to_string(list_per_page) +
                      "&page=" + std::to_string(page);
        call.budget = budget;
        const Reply reply = client.send(call);
        stats.credits += reply.credits_used;
        if (!reply.ok()) {
            if (page == 1 && refused && refused(reply)) {
                return false;
            }
            client.raise_for(call, reply);
        }
        ++stats.pages;
        const std::string where = describe_call(call);
        boost::json::monotonic_resource arena;
        const boost::json::value body = detail::parse_body(where, reply.body, &arena);
        const boost::json::array& items = detail::as_array(where, body);
        stats.rows += static_cast<std::int64_t>(items.size());
        on_page(where, items);
        if (reply.next_target.empty() || items.empty()) {
            return true;
        }
    }
}

std::string item_path(std::size_t index) {
    return "[" + std::to_string(index) + "]";
}

ContactItem read_contact_item(const Fields& f) {
    ContactItem item;
    item.id = f.id("id");
    item.email = f.optional_string("email");
    item.company_id = f.optional_id("company_id");
    item.active = f.flag("active");
    item.deleted = f.flag("deleted");
    item.blocked = f.flag("blocked");
    item.created_at = f.time("created_at");
    item.updated_at = f.time("updated_at");
    return item;
}

// other_companies: [{"company_id":..,...}] as documented, or plain ids (accepted too); absent
// or null when the account does not have the multiple-companies feature.
std::vector<Id> other_company_ids(const Fields& f) {
    std::vector<Id> out;
    const boost::json::array* array = f.optional_array("other_companies");
    if (array == nullptr) {
        return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const boost::json::value& item = (*array)[i];
        const std::string path = f.path("other_companies") + item_path(i);
        out.push_back(item.is_object() ? Fields(f.where(), item, path).id("company_id")
                                       : detail::to_id(item).value_or(no_id));
        if (out.back() == no_id) {
            detail::fail(f.where(), path, "not a company id");
        }
    }
    return out;
}

Contact read_contact(const Fields& f) {
    Contact c;
    c.id = f.id("id");
    c.email = f.optional_string("email");
    c.other_emails = f.strings("other_emails").value_or(std::vector<std::string>{});
    c.company_id = f.optional_id("company_id");
    c.other_company_ids = other_company_ids(f);
    // Exception tags protect contacts: a view without its tags must not pass for "no tags".
    auto tags = f.strings("tags");
    if (!tags) {
        f.fail("tags", "missing");
    }
    c.tags = std::move(*tags);
    c.created_at = f.time("created_at");
    c.updated_at = f.time("updated_at");
    c.state = f.flag("deleted") ? ContactState::soft_deleted : ContactState::active;
    return c;
}

NamedId read_named(const Fields& f) {
    NamedId named;
    named.id = f.id("id");
    const std::optional<std::string> name = f.nullable_string("name");
    if (!name) {
        f.fail("name", "missing");
    }
    named.name = *name;
    return named;
}

std::vector<NamedId> list_named(Client& client, const std::string& base) {
    std::vector<NamedId> out;
    ListStats stats;
    for_each_page(client, base, Budget::account, stats,
                  [&](const std::string& where, const boost::json::array& items) {
                      for (std::size_t i = 0; i < items.size(); ++i) {
                          out.push_back(read_named(Fields(where, items[i], item_path(i))));
                      }
                  });
    return out;
}

}  // namespace

// ---- contacts

namespace {

// The name of the contacts list's updated-since filter that the account takes: `_updated_since`
// (false) or `updated_since` (true). docs/freshdesk-api.md is unsure; an account refuses the other
// name (400 invalid_field). Learnt at the first refusal and kept for the process: a run talks to
// one account, and a wrong guess costs one credit.
std::atomic<bool> updated_since_plain{false};

std::string updated_since_name(bool plain) {
    return plain ? "updated_since" : "_updated_since";
}

std::string contacts_base(const ContactQuery& query, bool plain) {
    std::string base = "/api/v2/contacts";
    char separator = '?';
    const auto add = [&](const std::string& name, const std::string& value) {
        base += separator + name + "=" + value;
        separator = '&';
    };
    if (query.deleted) {
        add("state", "deleted");
    } else if (query.blocked) {
        add("state", "blocked");
    }
    if (!query.email.empty()) {
        add("email", detail::url_encode(query.email));
    }
    if (query.updated_since != no_time) {
        add(updated_since_name(plain), detail::url_encode(format_timestamp(query.updated_since)));
    }
    return base;
}

// A 400 whose validation errors name the parameter `name` as an unknown field.
bool refuses_parameter(const Reply& reply, const std::string& name) {
    return reply.status == 400 &&
           std::any_of(reply.errors.begin(), reply.errors.end(), [&](const FieldError& error) {
               return error.field == name && error.code == "invalid_field";
           });
}

}  // namespace

void for_each_contact(Client& client, const ContactQuery& query,
                      const std::function<void(ContactItem&&)>& on_contact, ListStats* stats) {
    ListStats local;
    ListStats& st = stats != nullptr ? *stats : local;
    st = ListStats{};
    const PageHandler on_page = [&](const std::string& where, const boost::json::array& items) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            on_contact(read_contact_item(Fields(where, items[i], item_path(i))));
        }
    };
    bool plain = updated_since_plain.load();
    if (query.updated_since == no_time) {
        for_each_page(client, contacts_base(query, plain), Budget::contacts_list, st, on_page);
        return;
    }
    const std::string name = updated_since_name(plain);
    const bool read =
        for_each_page(client, contacts_base(query, plain), Budget::contacts_list, st, on_page,
                      [&](const Reply& reply) { return refuses_parameter(reply, name); });
    if (read) {
        return;
    }
    // The account takes the other name: every later listing uses it at once. A refusal of that
    // one too is an ApiError.
    plain = !plain;
    updated_since_plain.store(plain);
    for_each_page(client, contacts_base(query, plain), Budget::contacts_list, st, on_page);
}

std::optional<ContactView> view_contact(Client& client, Id id) {
    Call call;
    call.target = "/api/v2/contacts/" + std::to_string(id);
    const Reply reply = client.send(call);
    if (reply.status == 404) {  // unknown, hard-deleted, or an agent's id
        return std::nullopt;
    }
    if (!reply.ok()) {
        client.raise_for(call, reply);
    }
    const std::string where = describe_call(call);
    const boost::json::value body = detail::parse_body(where, reply.body);
    const Fields fields(where, body, "");
    ContactView view;
    view.contact = read_contact(fields);
    view.blocked = fields.flag("blocked");
    if (view.contact.id != id) {
        fields.fail("id", "not the id asked for");
    }
    return view;
}

// ---- single ticket

std::vector<std::string> ticket_tags(Client& client, Id ticket_id) {
    Call call;
    call.target = "/api/v2/tickets/" + std::to_string(ticket_id);
    const Reply reply = client.send(call);
    if (reply.status == 404 || reply.status == 301) {
        return {};  // gone or archived since it was listed: no tag condition can hold on it
    }
    if (!reply.ok()) {
        client.raise_for(call, reply);
    }
    const std::string where = describe_call(call);
    const boost::json::value body = detail::parse_body(where, reply.body);
    const Fields fields(where, body, "");
    auto tags = fields.strings("tags");
    if (!tags) {
        fields.fail("tags", "not an array");
    }
    return std::move(*tags);
}

// ---- search

SearchResult search_contacts(Client& client, const std::string& query) {
    SearchResult result;
    const std::string base =
        "/api/v2/search/contacts?query=" + detail::url_encode("\"" + query + "\"");
    for (int page = 1; page <= search_pages; ++page) {
        Call call;
        call.target = base + "&page=" + std::to_string(page);
        const Reply reply = client.send_ok(call);
        const std::string where = describe_call(call);
        const boost::json::value body = detail::parse_body(where, reply.body);
        const Fields fields(where, body, "");
        result.total = fields.integer("total");
        const boost::json::array* results = fields.optional_array("results");
        if (results == nullptr) {
            fields.fail("results", "missing");
        }
        for (std::size_t i = 0; i < results->size(); ++i) {
            result.ids.push_back(Fields(where, (*results)[i], "results" + item_path(i)).id("id"));
        }
        if (results->empty() || result.complete()) {
            break;
        }
    }
    return result;
}

// ---- names

std::vector<Agent> list_agents(Client& client) {
    std::vector<Agent> out;
    ListStats stats;
    for_each_page(
        client, "/api/v2/agents", Budget::account, stats,
        [&](const std::string& where, const boost::json::array& items) {
            for (std::size_t i = 0; i < items.size(); ++i) {
                const Fields f(where, items[i], item_path(i));
                out.push_back(Agent{f.id("id"), f.object("contact").optional_string("email")});
            }
        });
    return out;
}

std::vector<NamedId> list_groups(Client& client) {
    return list_named(client, "/api/v2/groups");
}

std::vector<NamedId> list_companies(Client& client) {
    return list_named(client, "/api/v2/companies");
}

namespace {

// A choice of the ticket type field: a string, or (the admin shape) an object with `value`.
std::string choice_text(const std::string& where, const boost::json::value& choice,
                        const std::string& path) {
    if (choice.is_string()) {
        return std::string(choice.get_string());
    }
    const std::optional<std::string> value = Fields(where, choice, path).nullable_string("value");
    if (!value) {
        detail::fail(where, path + ".value", "missing");
    }
    return *value;
}

}  // namespace

std::vector<std::string> list_ticket_types(Client& client) {
    Call call;
    call.target = "/api/v2/ticket_fields?type=default_ticket_type";
    const Reply reply = client.send_ok(call);
    const std::string where = describe_call(call);
    const boost::json::value body = detail::parse_body(where, reply.body);
    const boost::json::array& fields = detail::as_array(where, body);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const Fields field(where, fields[i], item_path(i));
        if (field.nullable_string("type") != "default_ticket_type") {
            continue;
        }
        const boost::json::array* choices = field.optional_array("choices");
        if (choices == nullptr) {
            field.fail("choices", "missing");
        }
        std::vector<std::string> out;
        for (std::size_t k = 0; k < choices->size(); ++k) {
            out.push_back(choice_text(where, (*choices)[k], field.path("choices") + item_path(k)));
        }
        return out;
    }
    detail::fail(where, "body", "no field of type default_ticket_type");
}

}  // namespace gp::freshdesk
