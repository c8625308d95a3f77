// The strict, streaming plan reader: the input goes to the strict JSON reader (json/reader.hpp)
// in chunks; PlanHandler judges what it hands over. Every failure says where: a syntax error as
// "line L, column C: ...", anything else as "PATH: ... (line L, column C)", where the line and
// column are where the reader stood (docs/plan.md).
#include "plan/plan.hpp"
#include "plan/plan_file.hpp"
#include "plan/plan_read_handler.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <vector>

namespace gp {

namespace {

// Throws the failure of the document: the handler's own exception with the place added (or, if
// the visitor threw something else, that, as it is); else the reader's syntax or structure error.
[[noreturn]] void fail(const json::StrictReader& reader) {
    const json::ParseFailure& failure = *reader.failure();
    const std::string at = json::to_string(json::Position{failure.line, failure.column});
    if (const std::exception_ptr error = reader.client_error()) {
        try {
            std::rethrow_exception(error);
        } catch (const PlanFormatError& e) {
            throw PlanFormatError(std::string(e.what()) + " (" + at + ")");
        } catch (const PlanVersionError& e) {
            throw PlanVersionError(std::string(e.what()) + " (" + at + ")");
        }
    }
    if (failure.path.empty()) {
        throw PlanFormatError(at + ": " + failure.message);
    }
    throw PlanFormatError(failure.path + ": " + failure.message + " (" + at + ")");
}

}  // namespace

void read_plan(std::istream& in, const PlanVisitor& visitor) {
    constexpr std::size_t chunk_size = 64 * 1024;
    plan_read::PlanHandler handler(visitor);
    json::StrictReader reader(handler, plan_read::plan_limits);
    std::vector<char> buffer(chunk_size);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got > 0 && !reader.write({buffer.data(), got}, false)) {
            fail(reader);
        }
    }
    if (in.bad()) {
        throw PlanFormatError("the plan could not be read (I/O error)");
    }
    if (!reader.write({}, true)) {
        fail(reader);
    }
}

Plan read_plan(std::istream& in) {
    Plan plan;
    read_plan(in, collect_into(plan));
    return plan;
}

Plan read_plan_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw PlanFormatError("cannot read plan file \"" + path + "\": " + std::strerror(errno));
    }
    return read_plan(in);
}

}  // namespace gp
