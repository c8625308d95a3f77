// The value readers of parse_detail.hpp: types, durations, name lists, and quoting in messages.
#include "rules/parse_detail.hpp"
#include "util/text.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace gp::rules_detail {

namespace {

constexpr std::size_t max_shown_bytes = 60;

std::string expected(std::string_view what, const bj::value& got) {
    return "must be " + std::string(what) + ", got " + shown(got);
}

bool is_duration_unit(char c) {
    return c == 'd' || c == 'w' || c == 'm' || c == 'y';
}

// Why text that parse_duration refused is not a valid duration, in the user's terms.
std::string bad_duration(const bj::value& value, std::string_view text) {
    const std::string_view number = text.empty() ? text : text.substr(0, text.size() - 1);
    const char unit = text.empty() ? '\0' : text.back();
    if (is_all_digits(number) && is_duration_unit(unit)) {
        // Digits and a known unit, refused: zero, or too many digits to count.
        const bool zero = number.find_first_not_of('0') == std::string_view::npos;
        return shown(value) + (zero ? " is shorter than 1d" : " is longer than 4y (1460d)");
    }
    if (is_all_digits(number) && unit == 'h') {
        return shown(value) +
               " is in hours, which rules do not allow: use d, w, m (30 days) or y (365 days)";
    }
    return shown(value) +
           " is not a duration: write a whole number and a unit, d (day), w (7 days), m (30 "
           "days) or y (365 days), such as \"180d\"";
}

// Empty items, and emails without '@', in a list of names that are otherwise strings.
void check_name(const bj::value& item, const std::string& path, const ListKind& kind,
                Problems& problems) {
    const std::string_view name(item.get_string().data(), item.get_string().size());
    if (trim(name).empty()) {
        problems.push_back({path, "is empty: write " + std::string(kind.item)});
    } else if (kind.emails && name.find('@') == std::string_view::npos) {
        problems.push_back({path, shown(item) + " is not an email address (no \"@\")"});
    }
}

std::optional<std::string> id_digits(const bj::value& value) {
    if (value.is_int64() && value.get_int64() >= 0) {
        return std::to_string(value.get_int64());
    }
    if (value.is_uint64()) {
        return std::to_string(value.get_uint64());
    }
    return std::nullopt;
}

}  // namespace

std::string shown(const bj::value& value) {
    if (value.is_object()) {
        return "an object";
    }
    if (value.is_array()) {
        return value.get_array().empty() ? "an empty list" : "a list";
    }
    if (value.is_double()) {
        // Boost writes 1.0 as "1E0"; the shortest decimal form is what the user typed, mostly.
        std::array<char, 32> buffer{};
        const auto end =
            std::to_chars(buffer.data(), buffer.data() + buffer.size(), value.get_double()).ptr;
        std::string number(buffer.data(), end);
        return number.find_first_of(".eEn") == std::string::npos ? number + ".0" : number;
    }
    std::string text = bj::serialize(value);
    if (text.size() > max_shown_bytes) {
        std::size_t cut = max_shown_bytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
            --cut;  // never split a UTF-8 sequence
        }
        text = text.substr(0, cut) + "...";
    }
    return text;
}

std::string quoted_choices(std::initializer_list<std::string_view> choices) {
    std::string out;
    std::size_t i = 0;
    for (const std::string_view choice : choices) {
        out += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ");
        out += "\"" + std::string(choice) + "\"";
        ++i;
    }
    return out;
}

void check_keys(const bj::object& object, const std::string& path,
                std::initializer_list<std::string_view> allowed, Problems& problems) {
    for (const auto& member : object) {
        const std::string_view key(member.key().data(), member.key().size());
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) {
            continue;
        }
        std::string list;
        for (const std::string_view name : allowed) {
            list += (list.empty() ? "" : ", ") + std::string(name);
        }
        problems.push_back({json::append_key(path, key), "unknown key; allowed here: " + list});
    }
}

const bj::value* required(const bj::object& object, std::string_view key, const std::string& path,
                          std::string_view what, Problems& problems) {
    const bj::value* value = object.if_contains(bj::string_view(key.data(), key.size()));
    if (value == nullptr) {
        problems.push_back(
            {json::append_key(path, key), "is missing (required: " + std::string(what) + ")"});
    }
    return value;
}

const bj::object* read_object(const bj::value& value, const std::string& path,
                              std::string_view what, Problems& problems) {
    if (!value.is_object()) {
        problems.push_back({path, expected(what, value)});
    }
    return value.if_object();
}

std::optional<std::string> read_string(const bj::value& value, const std::string& path,
                                       std::string_view what, Problems& problems) {
    if (!value.is_string()) {
        problems.push_back({path, expected(what, value)});
        return std::nullopt;
    }
    return std::string(value.get_string());
}

std::optional<bool> read_bool(const bj::value& value, const std::string& path, Problems& problems) {
    if (!value.is_bool()) {
        problems.push_back({path, expected("true or false", value)});
        return std::nullopt;
    }
    return value.get_bool();
}

std::optional<Duration> read_duration(const bj::value& value, const std::string& path,
                                      Problems& problems) {
    const auto text = read_string(value, path, "a duration such as \"180d\"", problems);
    if (!text) {
        return std::nullopt;
    }
    const auto duration = parse_duration(*text);
    if (!duration) {
        problems.push_back({path, bad_duration(value, *text)});
    } else if (duration->seconds < min_older_than_seconds) {
        problems.push_back({path, shown(value) + " is shorter than 1d"});
    } else if (duration->seconds > max_older_than_seconds) {
        problems.push_back({path, shown(value) + " is longer than 4y (1460d)"});
    } else {
        return duration;
    }
    return std::nullopt;
}

std::vector<std::string> read_name_list(const bj::value& value, const std::string& path,
                                        const ListKind& kind, Problems& problems) {
    std::vector<std::string> names;
    const bj::array* items = value.if_array();
    if (items == nullptr) {
        problems.push_back({path, expected("a list of " + std::string(kind.items), value)});
        return names;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
        const bj::value& item = (*items)[i];
        const std::string item_path = json::append_index(path, i);
        if (item.is_string()) {
            names.emplace_back(item.get_string());
            check_name(item, item_path, kind, problems);
        } else if (const auto id = kind.ids ? id_digits(item) : std::nullopt) {
            names.push_back(*id);
        } else {
            const std::string_view type =
                kind.ids ? " (a string, or a non-negative integer id)" : " (a string)";
            problems.push_back(
                {item_path, expected(std::string(kind.item) + std::string(type), item)});
        }
    }
    return names;
}

}  // namespace gp::rules_detail
