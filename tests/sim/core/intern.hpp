#pragma once
// Interning keeps a million tickets compact: a ticket's type is a 32-bit Sym, and its whole tag
// list a 32-bit TagSet, since most tickets share a handful of tag lists.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sim {

using Sym = std::uint32_t;     // 0: no string (JSON null)
using TagSet = std::uint32_t;  // 0: the empty tag list

class StringPool {
  public:
    StringPool();
    Sym intern(std::string_view text);
    // 0 when the text was never interned.
    Sym find(std::string_view text) const;
    std::string_view at(Sym sym) const { return texts_[sym]; }

  private:
    std::deque<std::string> texts_;  // a deque never moves its elements: the map's views stay valid
    std::unordered_map<std::string_view, Sym> index_;
};

// Tag lists in their original order (Freshdesk returns tags as they were set).
class TagPool {
  public:
    TagPool();
    TagSet intern(const std::vector<Sym>& tags);
    const std::vector<Sym>& at(TagSet set) const { return sets_[set]; }

  private:
    struct Hash {
        std::size_t operator()(const std::vector<Sym>& v) const;
    };
    std::deque<std::vector<Sym>> sets_;
    std::unordered_map<std::vector<Sym>, TagSet, Hash> index_;
};

// ASCII lower case: Freshdesk compares emails and tags case-insensitively.
std::string lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);

}  // namespace sim
