// The tickets list and its windows: Freshdesk lists at most `page_cap` pages of one query, so the
// listing is a series of windows (updated_since = T, order by updated_at ascending), each restarted
// at the last row's updated_at. A restart also switches include=stats on where the query wants the
// close times (they cost 3 credits a page instead of 1).
#include "freshdesk/read.hpp"

#include "freshdesk/read_detail.hpp"
#include "time/time.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace gp::freshdesk {

namespace {

using detail::Fields;

constexpr int max_status = 65535;  // the snapshot keeps a status in 16 bits

std::string tickets_target(const TicketQuery& query, UnixTime since, bool with_stats, int page) {
    std::string target =
        "/api/v2/tickets?updated_since=" + detail::url_encode(format_timestamp(since)) +
        "&order_by=updated_at&order_type=asc&per_page=" + std::to_string(list_per_page) +
        "&page=" + std::to_string(page);
    if (with_stats) {
        target += "&include=stats";
    }
    if (query.filter == TicketFilter::deleted) {
        target += "&filter=deleted";
    } else if (query.filter == TicketFilter::spam) {
        target += "&filter=spam";
    }
    if (query.requester_id != no_id) {
        target += "&requester_id=" + std::to_string(query.requester_id);
    }
    return target;
}

ListedTicket read_ticket(const Fields& f, bool with_stats) {
    ListedTicket out;
    TicketRecord& r = out.record;
    r.id = f.id("id");
    r.requester_id = f.id("requester_id");
    r.responder_id = f.optional_id("responder_id");
    r.group_id = f.optional_id("group_id");
    r.type = f.nullable_string("type");
    auto tags = f.strings("tags");  // absent in list items on some accounts (unsure variant)
    out.has_tags = tags.has_value();
    if (tags) {
        r.tags = std::move(*tags);
    }
    const std::int64_t status = f.integer("status");
    if (status < 1 || status > max_status) {
        f.fail("status", "not a ticket status");
    }
    r.status = static_cast<int>(status);
    r.spam = f.flag("spam");
    r.deleted = f.flag("deleted");
    r.created_at = f.time("created_at");
    r.updated_at = f.time("updated_at");
    out.has_stats = with_stats;
    if (with_stats) {
        r.closed_at = f.object("stats").optional_time("closed_at");
    }
    return out;
}

// A 400 whose validation errors name `page`: the account's cap is lower than assumed.
bool page_refused(const Reply& reply) {
    return reply.status == 400 &&
           std::any_of(reply.errors.begin(), reply.errors.end(),
                       [](const FieldError& e) { return e.field == "page"; });
}

// A 400 whose validation errors say that the requester_id names no contact or agent (matched on
// the status, the field and the code, never on the message).
bool requester_refused(const Reply& reply) {
    return reply.status == 400 &&
           std::any_of(reply.errors.begin(), reply.errors.end(), [](const FieldError& e) {
               return e.field == "requester_id" && e.code == "invalid_value";
           });
}

class Lister {
  public:
    Lister(Client& client, const TicketQuery& query,
           const std::function<void(ListedTicket&&)>& on_ticket, ListStats& stats)
        : client_(client),
          query_(query),
          on_ticket_(on_ticket),
          stats_(stats),
          since_(std::max<UnixTime>(query.updated_since, 0)),  // no_time: from the start
          with_stats_(query.stats_from != no_time && query.stats_from <= since_) {
        stats_.page_cap = query.page_cap;
    }

    void run() {
        while (read_window() == End::restart) {
            ++stats_.restarts;
        }
    }

  private:
    enum class End { done, restart };
    struct PageEnd {
        std::size_t rows = 0;
        std::optional<UnixTime> stats_from_row;  // updated_at of the first row that wants stats
    };

    End read_window();
    PageEnd hand_out(const Call& call, const Reply& reply);
    End restart_at_cap(const Call& call);
    bool repeated(const TicketRecord& record);
    void remember(const TicketRecord& record);

    Client& client_;
    const TicketQuery& query_;
    const std::function<void(ListedTicket&&)>& on_ticket_;
    ListStats& stats_;
    UnixTime since_;                  // this window's updated_since
    bool with_stats_;                 // this window's include=stats
    UnixTime window_last_ = no_time;  // updated_at of the window's latest row
    // A restart at second T lists again the rows of T already handed out; they are the only
    // repeats, so only the ids handed out in the latest second are kept (bounded by the cap). A
    // vector, not a hash set: clearing it at each new second costs nothing.
    UnixTime last_second_ = no_time;
    std::vector<Id> last_ids_;
    bool last_ids_sorted_ = true;
};

Lister::End Lister::read_window() {
    window_last_ = since_;
    for (int page = 1;; ++page) {
        Call call;
        call.target = tickets_target(query_, since_, with_stats_, page);
        call.credits = with_stats_ ? 3 : 1;
        call.budget = Budget::tickets_list;
        const Reply reply = client_.send(call);
        stats_.credits += reply.credits_used;
        if (page > 1 && page_refused(reply)) {
            // An account with a lower cap: the pages before were read; go on from a restart.
            stats_.page_cap = page - 1;
            return restart_at_cap(call);
        }
        if (query_.requester_id != no_id && requester_refused(reply)) {
            throw RequesterGone(describe_call(call) + ": 400 invalid_value: requester_id " +
                                    std::to_string(query_.requester_id) +
                                    " is no contact or agent of the account (gone for good)",
                                query_.requester_id);
        }
        if (!reply.ok()) {
            client_.raise_for(call, reply);
        }
        ++stats_.pages;
        stats_.pages_with_stats += with_stats_ ? 1 : 0;
        const PageEnd end = hand_out(call, reply);
        if (end.stats_from_row) {
            since_ = *end.stats_from_row;
            with_stats_ = true;
            return End::restart;
        }
        if (reply.next_target.empty() || end.rows == 0) {
            return End::done;
        }
        if (page >= stats_.page_cap) {
            return restart_at_cap(call);
        }
    }
}

Lister::End Lister::restart_at_cap(const Call& call) {
    if (window_last_ == since_) {
        // The whole window was one second: a restart there would list the same rows again.
        throw ApiError(
            describe_call(call) + ": no progress: at least " +
                std::to_string(static_cast<std::int64_t>(stats_.page_cap) * list_per_page) +
                " tickets have updated_at " + format_timestamp(since_) + ", all that the list's " +
                std::to_string(stats_.page_cap) +
                " pages can show; the listing cannot go past that second",
            0, "no_progress");
    }
    since_ = window_last_;
    return End::restart;
}

Lister::PageEnd Lister::hand_out(const Call& call, const Reply& reply) {
    const std::string where = describe_call(call);
    boost::json::monotonic_resource arena;  // the page's values, freed at once after it
    const boost::json::value body = detail::parse_body(where, reply.body, &arena);
    const boost::json::array& rows = detail::as_array(where, body);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Fields fields(where, rows[i], "[" + std::to_string(i) + "]");
        ListedTicket ticket = read_ticket(fields, with_stats_);
        const UnixTime at = ticket.record.updated_at;
        if (at < window_last_) {  // the restart and the dedupe rely on this order
            fields.fail("updated_at",
                        "earlier than the row before or updated_since (the list is "
                        "not in updated_at order)");
        }
        window_last_ = at;
        if (!with_stats_ && query_.stats_from != no_time && at >= query_.stats_from) {
            return PageEnd{i, at};
        }
        ++stats_.rows;
        if (repeated(ticket.record)) {
            ++stats_.repeats;
            continue;
        }
        remember(ticket.record);
        on_ticket_(std::move(ticket));
    }
    return PageEnd{rows.size(), std::nullopt};
}

bool Lister::repeated(const TicketRecord& record) {
    if (record.updated_at != last_second_) {
        return false;
    }
    if (!last_ids_sorted_) {  // rows of one second normally come by id: rarely needed
        std::sort(last_ids_.begin(), last_ids_.end());
        last_ids_sorted_ = true;
    }
    return std::binary_search(last_ids_.begin(), last_ids_.end(), record.id);
}

void Lister::remember(const TicketRecord& record) {
    if (record.updated_at != last_second_) {
        last_second_ = record.updated_at;
        last_ids_.clear();
        last_ids_sorted_ = true;
    }
    last_ids_sorted_ = last_ids_sorted_ && (last_ids_.empty() || last_ids_.back() < record.id);
    last_ids_.push_back(record.id);
}

}  // namespace

void for_each_ticket(Client& client, const TicketQuery& query,
                     const std::function<void(ListedTicket&&)>& on_ticket, ListStats* stats) {
    if (query.page_cap < 1) {
        throw std::invalid_argument("for_each_ticket: page_cap must be at least 1");
    }
    ListStats local;
    ListStats& st = stats != nullptr ? *stats : local;
    st = ListStats{};
    Lister(client, query, on_ticket, st).run();
}

ArchivedProbe probe_archived(Client& client, Id ticket_id) {
    Call call;
    call.target = "/api/v2/tickets/archived/" + std::to_string(ticket_id);
    const Reply reply = client.send(call);
    ArchivedProbe probe;
    if (reply.status == 404) {
        return probe;
    }
    if (reply.status == 403 && reply.code == "require_feature") {
        probe.answer = ArchivedAnswer::no_feature;
        return probe;
    }
    if (!reply.ok()) {
        client.raise_for(call, reply);
    }
    const std::string where = describe_call(call);
    const boost::json::value body = detail::parse_body(where, reply.body);
    const Fields fields(where, body, "");
    probe.answer = ArchivedAnswer::archived;
    probe.ticket = read_ticket(fields, false).record;  // no stats: the close time is updated_at
    probe.ticket.archived = true;
    probe.ticket.deleted = false;
    if (probe.ticket.id != ticket_id) {
        fields.fail("id", "not the id asked for");
    }
    return probe;
}

}  // namespace gp::freshdesk
