// The tickets' deletion state machine: DELETE, restore, bulk_delete and its jobs.
#include "api_impl.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <shared_mutex>
#include <variant>

namespace sim {

namespace json = boost::json;

namespace {

constexpr Time kJobLifetime = kDay;  // job records expire after about a day

// Moves a live ticket to the trash at `when`.
void trash(Account& acc, std::uint32_t i, Time when, Time lag) {
    acc.remember_ticket(i, when, lag);
    acc.tickets[i].state = TicketState::trash;
    acc.tickets[i].deleted_at = when;
    acc.set_ticket_updated(i, when);
}

}  // namespace

Response ApiImpl::ticket_delete(const Call& c) {
    if (auto refused = refuse_query_or_body(c))
        return *refused;
    std::unique_lock lock(acc().mutex);
    const auto i = ticket_index(acc(), c.route.id);
    if (!i)
        return not_found();
    const Seen s = seen(acc().tickets[*i], c.now, c.opt.archiving_days());
    if (s == Seen::gone || s == Seen::archived)
        return not_found();
    if (s == Seen::trash || s == Seen::spam)
        return method_not_allowed("DELETE", "GET");
    trash(acc(), *i, c.now, c.opt.search_lag_seconds);
    return no_content();
}

Response ApiImpl::archived_delete(const Call& c) {
    if (!c.opt.archive_feature)
        return require_feature();
    if (auto refused = refuse_query_or_body(c))
        return *refused;
    std::unique_lock lock(acc().mutex);
    const auto i = ticket_index(acc(), c.route.id);
    if (!i || seen(acc().tickets[*i], c.now, c.opt.archiving_days()) != Seen::archived)
        return not_found();
    // Deleting an archived ticket removes it for good: archived tickets have no trash.
    acc().remember_ticket(*i, c.now, c.opt.search_lag_seconds);
    acc().tickets[*i].state = TicketState::gone;
    return no_content();
}

Response ApiImpl::ticket_restore(const Call& c) {
    if (auto refused = refuse_query_or_body(c))
        return *refused;
    std::unique_lock lock(acc().mutex);
    const auto i = ticket_index(acc(), c.route.id);
    if (!i || seen(acc().tickets[*i], c.now, c.opt.archiving_days()) != Seen::trash)
        return bare_response(404, "");
    acc().remember_ticket(*i, c.now, c.opt.search_lag_seconds);
    acc().tickets[*i].state = TicketState::live;
    acc().tickets[*i].deleted_at = kNoTime;
    acc().set_ticket_updated(*i, c.now);
    return no_content();
}

namespace {

// The ids of a bulk action: 1 to 100 positive integers, duplicates dropped.
std::variant<std::vector<Id>, Response> ids_of(const json::array& arr) {
    if (arr.empty())
        return validation_error(
            {{"ids", "It should not be blank as this is a mandatory field", "invalid_value"}});
    if (arr.size() > 100)
        return validation_error({{"ids",
                                  "Has " + std::to_string(arr.size()) +
                                      " elements, it can have maximum of 100 elements",
                                  "invalid_value"}});
    std::vector<Id> out;
    for (const auto& x : arr) {
        if (!x.is_int64() || x.get_int64() <= 0)
            return validation_error(
                {{"ids", "It should contain elements of type Positive Integer only",
                  "datatype_mismatch"}});
        if (std::find(out.begin(), out.end(), x.get_int64()) == out.end())
            out.push_back(x.get_int64());
    }
    return out;
}

// The ids of {"bulk_action":{"ids":[...]}}, or the response that refuses the body.
std::variant<std::vector<Id>, Response> bulk_ids(const std::string& body) {
    json::error_code ec;
    const json::value v = body.find_first_not_of(" \t\r\n") == std::string::npos
                              ? json::value(json::object{})
                              : json::parse(body, ec);
    if (ec || !v.is_object())
        return request_error(400, "invalid_json", "Request body has invalid json format");
    // A missing bulk_action is reported first, whatever other keys the body has.
    const auto* action = v.get_object().if_contains("bulk_action");
    if (action == nullptr)
        return request_error(400, "missing_param", "Mandatory parameter bulk_action is missing");
    Errors errors;
    for (const auto& kv : v.get_object()) {
        if (kv.key() != "bulk_action")
            errors.push_back({kv.key(), "Unexpected/invalid field in request", "invalid_field"});
    }
    if (!errors.empty())
        return validation_error(errors);
    if (!action->is_object())
        return validation_error(
            {{"bulk_action", "It should be a/an key/value pair", "datatype_mismatch"}});
    for (const auto& kv : action->get_object()) {
        if (kv.key() != "ids")
            errors.push_back({kv.key(), "Unexpected/invalid field in request", "invalid_field"});
    }
    const auto* ids = action->get_object().if_contains("ids");
    if (ids == nullptr)
        errors.push_back({"ids", "It should be a/an Array", "missing_field"});
    else if (!ids->is_array())
        errors.push_back({"ids", "It should be a/an Array", "datatype_mismatch"});
    if (!errors.empty())
        return validation_error(errors);
    return ids_of(ids->get_array());
}

std::string job_id(std::uint64_t n, Time now) {
    std::uint64_t a = (n + 1) * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint64_t>(now);
    std::uint64_t b = (a ^ (a >> 29)) * 0xBF58476D1CE4E5B9ULL;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a),
                  static_cast<unsigned long long>(b ^ (b >> 32)));
    return buf;
}

// Trashes the job's tickets at its end time and records the result per id.
void run_job(Account& acc, Job& job, const ApiOptions& opt) {
    for (const Id tid : job.ids) {
        const auto i = ticket_index(acc, std::to_string(tid));
        const bool ok = i && seen(acc.tickets[*i], job.due_at, opt.archiving_days()) == Seen::live;
        if (ok)
            trash(acc, *i, job.due_at, opt.search_lag_seconds);
        job.results.emplace_back(tid, ok);
    }
    job.done = true;
}

}  // namespace

Response ApiImpl::bulk_delete(const Call& c) {
    Errors errors;
    c.q.check({}, errors);
    if (!errors.empty())
        return validation_error(errors);
    auto parsed = bulk_ids(c.req.body);
    if (auto* refused = std::get_if<Response>(&parsed))
        return std::move(*refused);
    Job job;
    job.seq = jobs_made_++;
    job.id = job_id(job.seq, c.now);
    job.created_at = c.now;
    job.due_at = c.now + std::max(0, c.opt.job_seconds);
    job.ids = std::move(std::get<std::vector<Id>>(parsed));
    {
        std::unique_lock lock(acc().mutex);
        acc().jobs[job.id] = job;
        if (job.due_at < next_job_due_.load())
            next_job_due_.store(job.due_at);
    }
    // Tickets are trashed in the background, when the job runs (job_seconds later).
    return json_response(202,
                         json::object{{"job_id", job.id},
                                      {"href", base_url(c.opt, c.req) + "/api/v2/jobs/" + job.id}});
}

void ApiImpl::finish_due_jobs(Time now) {
    if (now < next_job_due_.load())
        return;
    std::unique_lock lock(acc().mutex);
    const ApiOptions opt = options();
    Time next = std::numeric_limits<Time>::max();
    std::vector<Job*> due;
    for (auto& [id, job] : acc().jobs) {
        if (job.done)
            continue;
        if (job.due_at > now)
            next = std::min(next, job.due_at);
        else
            due.push_back(&job);
    }
    // In the order they would have run: a ticket named by two jobs goes to the first.
    std::sort(due.begin(), due.end(), [](const Job* a, const Job* b) {
        return a->due_at != b->due_at ? a->due_at < b->due_at : a->seq < b->seq;
    });
    for (Job* job : due)
        run_job(acc(), *job, opt);
    std::erase_if(acc().jobs, [&](const auto& kv) {
        return kv.second.done && kv.second.created_at + kJobLifetime <= now;
    });
    next_job_due_.store(next);
}

}  // namespace sim

namespace sim {

namespace {

const char* final_status(const Job& j, bool variant) {
    const auto ok =
        std::count_if(j.results.begin(), j.results.end(), [](const auto& r) { return r.second; });
    if (ok == static_cast<std::ptrdiff_t>(j.results.size()))
        return variant ? "completed" : "SUCCESS";
    if (ok == 0)
        return variant ? "failed" : "FAILED";
    return variant ? "partially_completed" : "PARTIAL";
}

json::object job_json(const Job& j, bool variant) {
    json::object o{{"id", j.id}};
    if (!j.done) {
        o["status"] = variant ? "in_progress" : "IN PROGRESS";
    } else {
        o["status"] = final_status(j, variant);
    }
    o["progress"] = j.done ? 100 : 0;
    o["created_at"] = time_json(j.created_at);
    o["updated_at"] = time_json(j.done ? j.due_at : j.created_at);
    if (!j.done)
        return o;
    if (variant) {
        json::array ok;
        json::array failed;
        for (const auto& [id, success] : j.results)
            (success ? ok : failed).push_back(id);
        o["result"] = json::object{{"succeeded", std::move(ok)}, {"failed", std::move(failed)}};
    } else {
        json::array data;
        for (const auto& [id, success] : j.results)
            data.push_back(json::object{{"id", id}, {"success", success}});
        o["data"] = std::move(data);
    }
    return o;
}

}  // namespace

Response ApiImpl::job_view(const Call& c) {
    Errors errors;
    c.q.check({}, errors);
    if (!errors.empty())
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    const auto it = acc().jobs.find(c.route.id);
    if (it == acc().jobs.end() || it->second.created_at + kJobLifetime <= c.now)
        return not_found();
    return json_response(200, job_json(it->second, c.opt.job_status_variant));
}

}  // namespace sim
