// Request::header lives alone in this translation unit: the linker pulls it from the archive only
// when nothing else defines it.
#include "api.hpp"

#include <cctype>

namespace sim {

namespace {
bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (std::tolower(x) != std::tolower(y))
            return false;
    }
    return true;
}
}  // namespace

std::string_view Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequal(key, name))
            return value;
    }
    return {};
}

}  // namespace sim
