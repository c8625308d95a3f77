#include "intern.hpp"

#include <cctype>
#include <stdexcept>

namespace sim {

StringPool::StringPool() {
    texts_.emplace_back();
}

Sym StringPool::intern(std::string_view text) {
    if (const auto it = index_.find(text); it != index_.end())
        return it->second;
    if (texts_.size() >= UINT32_MAX)
        throw std::length_error("string pool full");
    const auto sym = static_cast<Sym>(texts_.size());
    texts_.emplace_back(text);
    index_.emplace(texts_.back(), sym);
    return sym;
}

Sym StringPool::find(std::string_view text) const {
    const auto it = index_.find(text);
    return it == index_.end() ? 0 : it->second;
}

TagPool::TagPool() {
    sets_.emplace_back();
    index_.emplace(sets_.back(), 0);
}

std::size_t TagPool::Hash::operator()(const std::vector<Sym>& v) const {
    std::size_t h = 1469598103934665603ULL;
    for (const Sym s : v)
        h = (h ^ s) * 1099511628211ULL;
    return h;
}

TagSet TagPool::intern(const std::vector<Sym>& tags) {
    if (const auto it = index_.find(tags); it != index_.end())
        return it->second;
    const auto set = static_cast<TagSet>(sets_.size());
    sets_.push_back(tags);
    index_.emplace(tags, set);
    return set;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

}  // namespace sim
