#include "search_query.hpp"

#include <cctype>
#include <span>

namespace sim {

namespace {

class Parser {
  public:
    explicit Parser(std::string_view text) : s_(text) {}
    std::optional<SearchNode> parse(std::string& error) {
        auto node = expr(error);
        skip();
        if (node && pos_ != s_.size()) {
            error = "Unexpected text at position " + std::to_string(pos_ + 1);
            return std::nullopt;
        }
        return node;
    }

  private:
    void skip() {
        while (pos_ < s_.size() && s_[pos_] == ' ')
            ++pos_;
    }
    bool keyword(std::string_view k) {
        skip();
        if (s_.substr(pos_, k.size()) != k)
            return false;
        const std::size_t end = pos_ + k.size();
        if (end < s_.size() && s_[end] != ' ' && s_[end] != '(')
            return false;
        pos_ = end;
        return true;
    }
    std::optional<SearchNode> expr(std::string& error) {
        return list("OR", SearchNode::Kind::any, error);
    }
    std::optional<SearchNode> list(std::string_view op, SearchNode::Kind kind, std::string& error) {
        SearchNode node;
        node.kind = kind;
        do {
            auto kid = op == "OR" ? list("AND", SearchNode::Kind::all, error) : primary(error);
            if (!kid)
                return std::nullopt;
            node.kids.push_back(std::move(*kid));
        } while (keyword(op));
        if (node.kids.size() == 1)
            return std::move(node.kids[0]);
        return node;
    }
    std::optional<SearchNode> primary(std::string& error) {
        skip();
        if (pos_ < s_.size() && s_[pos_] == '(') {
            ++pos_;
            auto node = expr(error);
            skip();
            if (!node)
                return std::nullopt;
            if (pos_ >= s_.size() || s_[pos_] != ')') {
                error = "Missing closing parenthesis";
                return std::nullopt;
            }
            ++pos_;
            return node;
        }
        SearchNode node;
        if (!condition(node.cond, error))
            return std::nullopt;
        return node;
    }
    bool condition(Condition& c, std::string& error);
    bool value(Condition& c, std::string& error);

    std::string_view s_;
    std::size_t pos_ = 0;
};

bool Parser::condition(Condition& c, std::string& error) {
    const std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::islower(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
    c.field = std::string(s_.substr(start, pos_ - start));
    if (c.field.empty() || pos_ >= s_.size() || s_[pos_] != ':') {
        error = "Expected field:value at position " + std::to_string(start + 1);
        return false;
    }
    ++pos_;
    if (pos_ < s_.size() && (s_[pos_] == '>' || s_[pos_] == '<'))
        c.op = s_[pos_++];
    return value(c, error);
}

bool Parser::value(Condition& c, std::string& error) {
    if (pos_ < s_.size() && s_[pos_] == '\'') {
        const std::size_t end = s_.find('\'', pos_ + 1);
        if (end == std::string_view::npos) {
            error = "Unterminated string";
            return false;
        }
        c.type = Condition::Type::string;
        c.text = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return true;
    }
    const std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ' ' && s_[pos_] != ')')
        ++pos_;
    const std::string_view word = s_.substr(start, pos_ - start);
    if (word == "null")
        c.type = Condition::Type::null;
    else if (word == "true" || word == "false") {
        c.type = Condition::Type::boolean;
        c.flag = word == "true";
    } else if (const auto n = parse_positive(word)) {
        c.type = Condition::Type::number;
        c.number = *n;
    } else {
        error = "Invalid value for " + c.field + " (strings go in single quotes)";
        return false;
    }
    return true;
}

struct FieldRule {
    std::string_view name;
    Condition::Type type;
    bool nullable;
    bool ordered;  // accepts :> and :<
};

constexpr FieldRule kTicketFields[] = {{"tag", Condition::Type::string, false, false},
                                       {"type", Condition::Type::string, true, false},
                                       {"status", Condition::Type::number, false, false},
                                       {"group_id", Condition::Type::number, true, false},
                                       {"agent_id", Condition::Type::number, true, false},
                                       {"priority", Condition::Type::number, false, true},
                                       {"created_at", Condition::Type::string, false, true},
                                       {"updated_at", Condition::Type::string, false, true}};
constexpr FieldRule kContactFields[] = {{"email", Condition::Type::string, false, false},
                                        {"tag", Condition::Type::string, false, false},
                                        {"name", Condition::Type::string, false, false},
                                        {"phone", Condition::Type::string, true, false},
                                        {"mobile", Condition::Type::string, true, false},
                                        {"active", Condition::Type::boolean, false, false},
                                        {"created_at", Condition::Type::string, false, true},
                                        {"updated_at", Condition::Type::string, false, true}};

void check_fields(SearchNode& n, SearchKind kind, Errors& errors) {
    for (auto& k : n.kids)
        check_fields(k, kind, errors);
    if (n.kind != SearchNode::Kind::cond)
        return;
    Condition& c = n.cond;
    if (c.field == "requester_id" || c.field == "company_id") {
        errors.push_back({c.field, "It is not a searchable field", "invalid_field"});
        return;
    }
    const auto& rules = kind == SearchKind::tickets ? std::span<const FieldRule>(kTicketFields)
                                                    : std::span<const FieldRule>(kContactFields);
    for (const auto& r : rules) {
        if (r.name != c.field)
            continue;
        const bool type_ok = c.type == r.type || (c.type == Condition::Type::null && r.nullable);
        const bool date = c.field.ends_with("_at");
        if (!type_ok || (c.op != '=' && !r.ordered) || (date && !parse_day(c.text))) {
            errors.push_back({c.field,
                              date ? "It should be a date 'YYYY-MM-DD'"
                                   : "Invalid value or operator for this field",
                              "invalid_value"});
        }
        return;
    }
    errors.push_back({c.field, "It is not a searchable field", "invalid_field"});
}

}  // namespace

std::optional<SearchNode> parse_search(std::string_view query, SearchKind kind, Errors& errors) {
    if (query.size() < 2 || query.front() != '"' || query.back() != '"') {
        errors.push_back(
            {"query", "It should be a string enclosed in double quotes", "invalid_value"});
        return std::nullopt;
    }
    const std::string_view inner = query.substr(1, query.size() - 2);
    if (inner.size() > 512) {
        errors.push_back({"query", "It should have at most 512 characters", "invalid_value"});
        return std::nullopt;
    }
    std::string error;
    auto node = Parser(inner).parse(error);
    if (!node) {
        errors.push_back({"query", error, "invalid_value"});
        return std::nullopt;
    }
    check_fields(*node, kind, errors);
    if (!errors.empty())
        return std::nullopt;
    return node;
}

}  // namespace sim

namespace sim {

namespace {

bool compare_time(const Condition& c, Time t) {
    if (t == kNoTime)
        return false;
    const Time day = *parse_day(c.text);  // checked at parse time
    const Time t_day = t - ((t % kDay) + kDay) % kDay;
    if (c.op == '>')
        return t_day >= day;
    if (c.op == '<')
        return t_day <= day;
    return t_day == day;
}

bool compare_number(const Condition& c, std::int64_t v) {
    if (c.type == Condition::Type::null)
        return v == 0;
    if (c.op == '>')
        return v >= c.number;
    if (c.op == '<')
        return v <= c.number;
    return v == c.number;
}

bool has_tag(const Account& acc, TagSet set, const std::string& tag) {
    for (const auto name : acc.tag_names(set)) {
        if (iequals(name, tag))
            return true;
    }
    return false;
}

bool optional_text(const Condition& c, const std::string& v) {
    return c.type == Condition::Type::null ? v.empty() : iequals(v, c.text);
}

template <class T, class Leaf>
bool eval(const SearchNode& n, const T& x, const Leaf& leaf) {
    if (n.kind == SearchNode::Kind::cond)
        return leaf(n.cond, x);
    const bool all = n.kind == SearchNode::Kind::all;
    for (const auto& k : n.kids) {
        if (eval(k, x, leaf) != all)
            return !all;
    }
    return all;
}

}  // namespace

bool matches(const SearchNode& node, const Account& acc, const Ticket& t) {
    return eval(node, t, [&](const Condition& c, const Ticket& x) {
        const std::string& f = c.field;
        if (f == "tag")
            return has_tag(acc, x.tags, c.text);
        if (f == "type") {
            if (c.type == Condition::Type::null)
                return x.type == 0;
            return x.type != 0 && iequals(acc.strings.at(x.type), c.text);
        }
        if (f == "status")
            return compare_number(c, x.status);
        if (f == "group_id")
            return compare_number(c, x.group_id);
        if (f == "agent_id")
            return compare_number(c, x.responder_id);
        if (f == "priority")
            return compare_number(c, x.priority);
        if (f == "created_at")
            return compare_time(c, x.created_at);
        return compare_time(c, x.updated_at);
    });
}

bool matches(const SearchNode& node, const Account& acc, const Contact& contact) {
    return eval(node, contact, [&](const Condition& c, const Contact& x) {
        const std::string& f = c.field;
        if (f == "email") {
            if (iequals(x.email, c.text))
                return true;
            for (const auto& e : x.other_emails) {
                if (iequals(e, c.text))
                    return true;
            }
            return false;
        }
        if (f == "tag")
            return has_tag(acc, x.tags, c.text);
        if (f == "name")
            return iequals(x.name, c.text);
        if (f == "phone")
            return optional_text(c, x.phone);
        if (f == "mobile")
            return optional_text(c, x.mobile);
        if (f == "active")
            return x.active == c.flag;
        if (f == "created_at")
            return compare_time(c, x.created_at);
        return compare_time(c, x.updated_at);
    });
}

}  // namespace sim
