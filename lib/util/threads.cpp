#include "util/threads.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <exception>
#include <mutex>

namespace gp {

void run_on_threads(int threads, const std::function<void()>& work) {
    std::exception_ptr error;
    std::mutex error_mutex;
    const auto guarded = [&] {
        try {
            work();
        } catch (...) {
            const std::lock_guard lock(error_mutex);
            if (!error) {
                error = std::current_exception();
            }
        }
    };
    if (threads > 1) {
        boost::asio::thread_pool pool(static_cast<std::size_t>(threads - 1));
        for (int t = 1; t < threads; ++t) {
            boost::asio::post(pool, guarded);
        }
        guarded();  // the calling thread works too
        pool.join();
    } else {
        guarded();
    }
    if (error) {
        std::rethrow_exception(error);
    }
}

}  // namespace gp
