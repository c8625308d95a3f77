#pragma once
// Sorting a vector and dropping its repeats, as the reader, the engine, apply and the plan command
// do with ids before they look them up or count them.
#include <algorithm>
#include <vector>

namespace gp {

// Sorts `values` and keeps one of each run of equal values.
template <class T, class Allocator>
void sort_unique(std::vector<T, Allocator>& values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace gp
