#pragma once
// The machine's clock, read in one place: what a run stamps on its plan, journal, report and log
// lines (docs/apply.md, docs/logs.md). The Freshdesk account's clock is another matter
// (freshdesk/client.hpp).
#include <cstdint>

namespace gp {

// Whole seconds since the Unix epoch, UTC, now (time/time.hpp's UnixTime).
std::int64_t now_seconds();

}  // namespace gp
