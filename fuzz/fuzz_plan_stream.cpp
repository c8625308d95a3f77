// The streaming plan reader (lib/plan: read_plan(std::istream&, const PlanVisitor&)), as apply and
// review use it: the header once, before any entry, then entries and protected contacts in file
// order. A malformed plan is a PlanFormatError or PlanVersionError, possibly after some entries,
// and a PlanFormatError names the line and column.
#include "fuzz_support.hpp"
#include "plan/plan.hpp"

#include <sstream>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in{std::string(gp::fuzz::as_text(data, size))};
    bool header = false;
    std::size_t items = 0;
    gp::PlanVisitor visitor;
    visitor.on_header = [&](const gp::PlanHeader&) {
        if (header) {
            std::fprintf(stderr, "the header was handed out twice\n");
            std::abort();
        }
        header = true;
    };
    visitor.on_entry = [&](gp::Entry&& entry) {
        if (!header) {
            std::fprintf(stderr, "an entry came before the header\n");
            std::abort();
        }
        items += entry.steps.size() + 1;
    };
    visitor.on_protected = [&](gp::ProtectedContact&&) {
        if (!header) {
            std::fprintf(stderr, "a protected contact came before the header\n");
            std::abort();
        }
        ++items;
    };
    try {
        gp::read_plan(in, visitor);
    } catch (const gp::PlanFormatError& error) {
        // Every problem of the text says where (docs/plan.md).
        if (std::string_view(error.what()).find(", column ") == std::string_view::npos) {
            std::fprintf(stderr, "no line and column in: %s\n", error.what());
            std::abort();
        }
    } catch (const gp::PlanVersionError&) {
    }
    (void)items;
    return 0;
}
