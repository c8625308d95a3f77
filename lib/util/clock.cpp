#include "util/clock.hpp"

#include <chrono>

namespace gp {

std::int64_t now_seconds() {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
}

}  // namespace gp
