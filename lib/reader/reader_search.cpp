// Contacts waiting on a pending tag, found by contact searches over a window of tag days. A search
// shows 300 results at most: a window with more is split by tag day, then by creation day.
#include "engine/engine.hpp"
#include "reader/reader_detail.hpp"
#include "util/sorted.hpp"

#include <algorithm>

namespace gp::reader::detail {

namespace {

constexpr std::size_t max_query_chars = 512;  // Freshdesk's limit, quotes excluded
// The creation days a window is split over when one tag day has more contacts than a search
// shows. The ends are open in the query: a contact created before or after is still found.
constexpr UnixTime creation_floor = 1262304000;  // 2010-01-01, Freshdesk's first year

std::string tag_term(UnixTime day) {
    return "tag:'" + pending_tag(day) + "'";
}

struct Window {
    UnixTime first_day = no_time;  // tag days, midnights
    UnixTime last_day = no_time;
    bool by_creation = false;  // restricted to contacts created in [created_lo, created_hi]
    UnixTime created_lo = no_time;
    UnixTime created_hi = no_time;
    bool open_lo = true;  // created_lo stands for "any time before" too
    bool open_hi = true;  // created_hi stands for "any time after" too
};

class PendingSearch {
  public:
    explicit PendingSearch(Reading& reading) : reading_(reading) {}

    void run(const Window& window);
    std::vector<Id> take() { return std::move(found_); }

  private:
    std::string query(const Window& w) const {
        if (!w.by_creation) {
            return pending_query(w.first_day, w.last_day, no_time, no_time);
        }
        return pending_query(w.first_day, w.last_day, w.open_lo ? no_time : w.created_lo,
                             w.open_hi ? no_time : w.created_hi);
    }
    void split(const Window& window);
    void warn(const Window& window);

    Reading& reading_;
    std::vector<Id> found_;
};

void PendingSearch::run(const Window& window) {
    const freshdesk::SearchResult result =
        freshdesk::search_contacts(reading_.client, query(window));
    const std::int64_t shown = std::min(result.total, search_page_size * search_max_pages);
    const std::int64_t calls =
        std::max<std::int64_t>(1, (shown + search_page_size - 1) / search_page_size);
    reading_.report.searches += calls;
    reading_.report.lower_bound_credits += calls;
    found_.insert(found_.end(), result.ids.begin(), result.ids.end());
    reading_.shown.insert(reading_.shown.end(), result.ids.begin(), result.ids.end());
    reading_.notify("search");
    if (!result.complete()) {
        split(window);
    }
}

// Halves the tag days first; a single day is halved by creation day.
void PendingSearch::split(const Window& window) {
    if (window.first_day < window.last_day) {
        const std::int64_t days = (window.last_day - window.first_day) / seconds_per_day;
        const UnixTime middle = window.first_day + days / 2 * seconds_per_day;
        Window low = window;
        Window high = window;
        low.last_day = middle;
        high.first_day = middle + seconds_per_day;
        run(low);
        run(high);
        return;
    }
    Window w = window;
    if (!w.by_creation) {
        w.by_creation = true;
        w.created_lo = creation_floor;
        w.created_hi = std::max(creation_floor, start_of_day(reading_.options.as_of));
    }
    if (w.created_lo >= w.created_hi) {
        warn(w);
        return;
    }
    const std::int64_t days = (w.created_hi - w.created_lo) / seconds_per_day;
    const UnixTime middle = w.created_lo + days / 2 * seconds_per_day;
    Window low = w;
    Window high = w;
    low.created_hi = middle;
    low.open_hi = false;
    high.created_lo = middle + seconds_per_day;
    high.open_lo = false;
    run(low);
    run(high);
}

void PendingSearch::warn(const Window& window) {
    std::string where = "created on " + format_date(window.created_lo);
    if (window.open_lo) {
        where = "created on or before " + format_date(window.created_lo);
    } else if (window.open_hi) {
        where = "created on or after " + format_date(window.created_lo);
    }
    reading_.report.warnings.push_back(
        "more contacts carry the tag " + pending_tag(window.first_day) + " and were " + where +
        " than a contact search shows (300): those not shown are left waiting until a later run "
        "finds them (deleted later, never earlier)");
}

}  // namespace

std::string pending_query(UnixTime first, UnixTime last, UnixTime created_from,
                          UnixTime created_to) {
    std::string query;
    for (UnixTime day = first; day <= last; day += seconds_per_day) {
        query += (query.empty() ? "" : " OR ") + tag_term(day);
    }
    if (created_from == no_time && created_to == no_time) {
        return query;
    }
    if (first != last) {
        query = "(" + query + ")";
    }
    // Search dates compare by UTC day, both ends included.
    if (created_from != no_time) {
        query += " AND created_at:>'" + format_date(created_from) + "'";
    }
    if (created_to != no_time) {
        query += " AND created_at:<'" + format_date(created_to) + "'";
    }
    return query;
}

std::int64_t days_per_query() {
    std::int64_t days = 1;
    while (pending_query(0, days * seconds_per_day, no_time, no_time).size() <= max_query_chars) {
        ++days;
    }
    return days;
}

std::vector<Id> pending_candidates(Reading& reading) {
    const UnixTime today = start_of_day(reading.options.as_of);
    const UnixTime first = today - reading.options.pending_days_back * seconds_per_day;
    const UnixTime last = today + reading.options.pending_days_ahead * seconds_per_day;
    const std::int64_t step = days_per_query();
    PendingSearch search(reading);
    reading.notify("search");
    for (UnixTime day = first; day <= last; day += step * seconds_per_day) {
        Window window;
        window.first_day = day;
        window.last_day = std::min(last, day + (step - 1) * seconds_per_day);
        search.run(window);
    }
    auto ids = search.take();
    sort_unique(ids);
    return ids;
}

}  // namespace gp::reader::detail
