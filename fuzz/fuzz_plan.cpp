// The whole-plan reader (lib/plan: read_plan(std::istream&)) on any text. A malformed plan is a
// PlanFormatError or PlanVersionError (app/main.cpp reports both). A plan that reads must write
// out and read back to the same text (the writer is deterministic, the reader its inverse).
#include "fuzz_support.hpp"
#include "plan/plan.hpp"

#include <sstream>

namespace {

std::string written(const gp::Plan& plan) {
    std::ostringstream out;
    gp::write_plan(out, plan);
    return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in{std::string(gp::fuzz::as_text(data, size))};
    gp::Plan plan;
    try {
        plan = gp::read_plan(in);
    } catch (const gp::PlanFormatError&) {
        return 0;
    } catch (const gp::PlanVersionError&) {
        return 0;
    }
    const std::string text = written(plan);
    std::istringstream back{text};
    std::string again;
    try {
        again = written(gp::read_plan(back));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "a written plan does not read back: %s\n", e.what());
        std::abort();
    }
    if (again != text) {
        std::fprintf(stderr, "a written plan reads back to another plan\n");
        std::abort();
    }
    return 0;
}
