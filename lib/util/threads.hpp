#pragma once
// The one way the library runs work on several threads (the reader's views, apply's entries,
// undo-soft's restores, as many as --concurrency: docs/cli.md): a boost::asio::thread_pool behind
// one call.
#include <functional>

namespace gp {

// Runs work() `threads` times at once (at least once): on the calling thread and on threads - 1
// threads of a boost::asio::thread_pool. Returns once every call has returned. The calls share
// their work through what `work` captures (the next index to take, a stop flag): a caller that
// must stop the others on a failure catches it inside `work` and says so there. An exception that
// escapes a call is thrown here, once all calls have returned (the first one caught; the others
// are dropped).
void run_on_threads(int threads, const std::function<void()>& work);

}  // namespace gp
