#pragma once
// Internal to lib/rules: the building blocks of the validator. Each reader checks one JSON value,
// records every problem it finds (path + message) and returns what it could read, so that one
// pass reports everything wrong with a file.
#include "json/strict.hpp"
#include "rules/rules.hpp"

#include <boost/json/value.hpp>

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gp::rules_detail {

namespace bj = boost::json;

using Problems = std::vector<RulesProblem>;

// A value as messages quote it: its JSON text (shortened), or "an object" / "a list".
std::string shown(const bj::value& value);

// "\"a\", \"b\" or \"c\"".
std::string quoted_choices(std::initializer_list<std::string_view> choices);

// Reports every key of `object` that is not in `allowed`.
void check_keys(const bj::object& object, const std::string& path,
                std::initializer_list<std::string_view> allowed, Problems& problems);

// The value of a required key; reports it missing (with what it should be) when absent.
const bj::value* required(const bj::object& object, std::string_view key, const std::string& path,
                          std::string_view what, Problems& problems);

const bj::object* read_object(const bj::value& value, const std::string& path,
                              std::string_view what, Problems& problems);
std::optional<std::string> read_string(const bj::value& value, const std::string& path,
                                       std::string_view what, Problems& problems);
std::optional<bool> read_bool(const bj::value& value, const std::string& path, Problems& problems);
// A duration of the rules file: N + d, w, m or y, from 1d to 4y (1460d).
std::optional<Duration> read_duration(const bj::value& value, const std::string& path,
                                      Problems& problems);

// What a list of names holds, for checks and messages.
struct ListKind {
    std::string_view items;  // "group names or ids"
    std::string_view item;   // "a group name or id"
    bool ids = false;        // non-negative JSON integers are accepted and become their digits
    bool emails = false;     // every item must contain '@'
};

// A list of names, kept as written. Empty (after trim) items are problems.
std::vector<std::string> read_name_list(const bj::value& value, const std::string& path,
                                        const ListKind& kind, Problems& problems);

// One of a fixed set of strings, mapped to its enum value with to_string().
template <class Enum, std::size_t N>
std::optional<Enum> read_enum(const bj::value& value, const std::string& path,
                              const std::array<Enum, N>& choices, Problems& problems) {
    std::string allowed;
    for (std::size_t i = 0; i < N; ++i) {
        allowed += (i == 0 ? "" : i + 1 == N ? " or " : ", ");
        allowed += "\"" + std::string(to_string(choices[i])) + "\"";
    }
    const auto text = read_string(value, path, "one of " + allowed, problems);
    if (!text) {
        return std::nullopt;
    }
    for (const Enum choice : choices) {
        if (to_string(choice) == *text) {
            return choice;
        }
    }
    problems.push_back({path, shown(value) + " is not allowed: use " + allowed});
    return std::nullopt;
}

// The sections of the document, each in its own reader (parse.cpp, parse_policy.cpp).
void read_contact_policy(const bj::object& root, ContactPolicy& policy, Problems& problems);
void read_orphan_contacts(const bj::object& root, Rules& rules, Problems& problems);
void read_exceptions(const bj::object& root, Exceptions& exceptions, Problems& problems);
void read_closed_statuses(const bj::object& root, Rules& rules, Problems& problems);

}  // namespace gp::rules_detail
