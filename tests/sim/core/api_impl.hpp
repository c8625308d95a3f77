#pragma once
// The simulated Freshdesk API: authentication, routing, and one handler per endpoint, spread over
// api_*.cpp by endpoint family.
#include "account.hpp"
#include "api.hpp"
#include "clock.hpp"
#include "http.hpp"
#include "routes.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace sim {

class ApiImpl final : public Api {
  public:
    ApiImpl(std::unique_ptr<Account> account, const ApiOptions& options, Clock& clock);
    Cost cost(const Request& request) const override;
    Response handle(const Request& request) override;
    Response handle_control(const Request& request) override;

    // One request being answered.
    struct Call {
        const Request& req;
        const Query& q;
        const Route& route;
        ApiOptions opt;  // a snapshot: /_sim/options may change them between requests
        Time now;
    };

  private:
    Response dispatch(const Call& c);
    ApiOptions options() const;
    Account& acc() { return *acc_; }

    // api_tickets.cpp
    Response tickets_list(const Call& c);
    Response ticket_view(const Call& c, bool archived);
    // api_ticket_writes.cpp
    Response ticket_delete(const Call& c);
    Response archived_delete(const Call& c);
    Response ticket_restore(const Call& c);
    Response bulk_delete(const Call& c);
    Response job_view(const Call& c);
    void finish_due_jobs(Time now);
    // api_contacts.cpp
    Response contacts_list(const Call& c);
    Response contact_view(const Call& c);
    Response contact_update(const Call& c);
    // api_contact_writes.cpp
    Response contact_delete(const Call& c);
    Response contact_restore(const Call& c);
    Response contact_hard_delete(const Call& c);
    // api_admin.cpp
    Response agents_list(const Call& c);
    Response groups_list(const Call& c);
    Response companies_list(const Call& c);
    Response ticket_fields(const Call& c);
    // api_search.cpp
    Response search_tickets(const Call& c);
    Response search_contacts(const Call& c);
    // api_controls.cpp, api_controls_edit.cpp
    Response control_state(const Request& r, const Query& q);
    Response control_options(const Request& r);
    Response control_add_ticket(const Request& r);
    Response control_edit_ticket(const Request& r, std::string_view id, bool reopen);
    Response control_add_contact(const Request& r);
    Response control_edit_contact(const Request& r, std::string_view id);
    Response control_add_agent(const Request& r);

    std::unique_ptr<Account> acc_;
    mutable std::mutex options_mutex_;
    ApiOptions options_;
    Clock& clock_;
    std::atomic<Time> next_job_due_;
    std::atomic<std::uint64_t> jobs_made_{0};
};

// Helpers shared by the handlers.
// The request's {id} as a ticket index, if it names a ticket slot at all.
std::optional<std::uint32_t> ticket_index(const Account& acc, std::string_view id);
// A body that is present and not just whitespace.
bool has_body(const Request& r);
// 400 no_content_required: the action takes no body.
Response no_content_required();
// For actions that take neither query parameters nor a body: the validation error or the
// no_content_required answer, in Freshdesk's order; nothing when the request is clean.
std::optional<Response> refuse_query_or_body(const ApiImpl::Call& c);
// 403 require_feature: the archived endpoints on an account without archiving.
Response require_feature();
// "300th", "1st", "22nd".
std::string ordinal(std::int64_t n);
// A page of `items` already cut to the page, with a Link when has_next.
Response list_response(const ApiImpl::Call& c, boost::json::array items, bool has_next);

}  // namespace sim
