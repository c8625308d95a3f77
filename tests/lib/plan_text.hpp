#pragma once
// A plan as the text the writer gives, and back: for the plan format's tests.
#include "plan/plan.hpp"

#include <sstream>
#include <string>

namespace gp::test {

inline std::string written(const Plan& plan) {
    std::ostringstream out;
    write_plan(out, plan);
    return out.str();
}

inline Plan read_text(const std::string& text) {
    std::istringstream in(text);
    return read_plan(in);
}

}  // namespace gp::test
