// Single-object reads (contact views, ticket views) on several threads. The client is thread-safe
// and paces every thread against the same budget; progress is reported between batches from the
// calling thread, as ReadOptions promises.
#include "reader/reader_detail.hpp"
#include "util/threads.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>

namespace gp::reader::detail {

namespace {

constexpr std::size_t batch_size = 100;

// Runs work(i) for every i of [begin, end) on up to `threads` threads; the first exception stops
// the others from taking more work and is thrown here once they have all finished.
void run_batch(std::size_t begin, std::size_t end, int threads,
               const std::function<void(std::size_t)>& work) {
    std::atomic<std::size_t> next{begin};
    std::atomic<bool> failed{false};
    const auto worker = [&] {
        for (std::size_t i = next++; i < end && !failed; i = next++) {
            try {
                work(i);
            } catch (...) {
                failed = true;
                throw;  // run_on_threads throws the first one
            }
        }
    };
    const auto count =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), end - begin);
    run_on_threads(static_cast<int>(count), worker);
}

}  // namespace

void run_all(std::size_t count, int threads, const std::function<void(std::size_t)>& work,
             const std::function<void(std::size_t)>& after_batch) {
    for (std::size_t begin = 0; begin < count; begin += batch_size) {
        const std::size_t end = std::min(count, begin + batch_size);
        run_batch(begin, end, threads, work);
        after_batch(end);
    }
}

std::vector<Contact> view_contacts(Reading& reading, const std::vector<Id>& ids,
                                   const std::vector<Id>& blocked) {
    std::vector<std::optional<freshdesk::ContactView>> views(ids.size());
    const auto already = reading.report.views;
    reading.progress.views_total += static_cast<std::int64_t>(ids.size());
    reading.notify("views");
    run_all(
        ids.size(), reading.options.concurrency,
        [&](std::size_t i) { views[i] = freshdesk::view_contact(reading.client, ids[i]); },
        [&](std::size_t done) {
            reading.report.views = already + static_cast<std::int64_t>(done);
            reading.progress.views_done = reading.report.views;
            reading.notify("views");
        });
    reading.report.lower_bound_credits += static_cast<std::int64_t>(ids.size());
    std::vector<Contact> out;
    for (auto& view : views) {
        keep_viewed(reading, std::move(view), blocked, out);
    }
    std::sort(out.begin(), out.end(),
              [](const Contact& a, const Contact& b) { return a.id < b.id; });
    return out;
}

void keep_viewed(Reading& reading, std::optional<freshdesk::ContactView>&& view,
                 const std::vector<Id>& blocked, std::vector<Contact>& out) {
    if (!view) {
        return;
    }
    reading.shown.push_back(view->contact.id);
    if (!view->blocked && !std::binary_search(blocked.begin(), blocked.end(), view->contact.id)) {
        out.push_back(std::move(view->contact));
    }
}

std::vector<std::vector<std::string>> view_ticket_tags(Reading& reading,
                                                       const std::vector<Id>& ids) {
    std::vector<std::vector<std::string>> tags(ids.size());
    const auto already = reading.report.ticket_views;
    run_all(
        ids.size(), reading.options.concurrency,
        [&](std::size_t i) { tags[i] = freshdesk::ticket_tags(reading.client, ids[i]); },
        [&](std::size_t done) {
            reading.report.ticket_views = already + static_cast<std::int64_t>(done);
            reading.notify("views");
        });
    reading.report.lower_bound_credits += static_cast<std::int64_t>(ids.size());
    return tags;
}

}  // namespace gp::reader::detail
