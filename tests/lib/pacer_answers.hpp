#pragma once
// What the pacer tests hand to Pacer::complete(): an answer as the server gives it.
#include "freshdesk/pacer.hpp"

#include <optional>

namespace pacertest {

// An HTTP answer that charged `used` credits, with these rate-limit headers (absent: nullopt).
inline gp::freshdesk::Pacer::Answer answer(int used, std::optional<int> total = std::nullopt,
                                           std::optional<int> remaining = std::nullopt) {
    gp::freshdesk::Pacer::Answer a;
    a.answered = true;
    a.used = used;
    a.total = total;
    a.remaining = remaining;
    return a;
}

}  // namespace pacertest
