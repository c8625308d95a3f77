#pragma once
// The query language of /search/tickets and /search/contacts:
//   "tag:'VIP' AND (status:2 OR status:3) AND created_at:>'2024-01-01' AND group_id:null"
// Strings in single quotes, numbers bare, null, true/false; `:>` and `:<` are >= and <= (dates
// compare by UTC day). AND binds tighter than OR; parentheses group.
#include "account.hpp"
#include "http.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

enum class SearchKind { tickets, contacts };

struct Condition {
    std::string field;
    char op = '=';  // '=', '>' (>=), '<' (<=)
    enum class Type { string, number, null, boolean } type = Type::string;
    std::string text;
    std::int64_t number = 0;
    bool flag = false;
};

struct SearchNode {
    enum class Kind { cond, all, any } kind = Kind::cond;  // all: AND, any: OR
    Condition cond;
    std::vector<SearchNode> kids;
};

// Parses the `query` parameter (with its double quotes) and checks its fields for `kind`;
// on failure, fills `errors` and returns nullopt.
std::optional<SearchNode> parse_search(std::string_view query, SearchKind kind, Errors& errors);

bool matches(const SearchNode& node, const Account& acc, const Ticket& t);
bool matches(const SearchNode& node, const Account& acc, const Contact& c);

}  // namespace sim
