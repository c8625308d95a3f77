#include "load_reader.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace sim::load {

namespace json = boost::json;

void fail(const std::string& path, const std::string& message) {
    throw Error(path + ": " + message);
}

namespace {

// A basic_parser handler that only watches object keys, to refuse duplicates (json::parse keeps
// the last one silently).
struct KeyWatcher {
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    std::vector<std::set<std::string>> keys;
    std::string partial;
    std::string duplicate;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) {
        keys.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, json::error_code&) {
        keys.pop_back();
        return true;
    }
    bool on_array_begin(json::error_code&) { return true; }
    bool on_array_end(std::size_t, json::error_code&) { return true; }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        partial.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        partial.append(s.data(), s.size());
        if (!keys.back().insert(partial).second) {
            duplicate = partial;
            ec = json::make_error_code(json::error::extra_data);
            return false;
        }
        partial.clear();
        return true;
    }
    bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
    bool on_double(double, json::string_view, json::error_code&) { return true; }
    bool on_bool(bool, json::error_code&) { return true; }
    bool on_null(json::error_code&) { return true; }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

std::string line_column(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

json::value parse_strict(std::string_view text) {
    json::basic_parser<KeyWatcher> watcher{json::parse_options{}};
    json::error_code ec;
    const std::size_t used = watcher.write_some(false, text.data(), text.size(), ec);
    if (!watcher.handler().duplicate.empty())
        throw Error("line " + line_column(text, used) + ": duplicate key \"" +
                    watcher.handler().duplicate + "\"");
    if (ec)
        throw Error("line " + line_column(text, used) + ": invalid JSON (" + ec.message() + ")");
    return json::parse(text);
}

const json::array& as_array(const json::value& v, const std::string& path) {
    if (!v.is_array())
        fail(path, "expected an array");
    return v.get_array();
}

Obj::Obj(const json::value& v, std::string path) : obj_(v.if_object()), path_(std::move(path)) {
    if (obj_ == nullptr)
        fail(path_, "expected an object");
}

void Obj::allow(std::initializer_list<std::string_view> keys) const {
    for (const auto& kv : *obj_) {
        bool known = false;
        for (const auto k : keys)
            known = known || kv.key() == k;
        if (!known)
            fail(at(kv.key()), "unknown key");
    }
}

bool Obj::has(std::string_view key) const {
    return obj_->contains(key);
}

const json::value* Obj::get(std::string_view key) const {
    return obj_->if_contains(key);
}

Id Obj::id(std::string_view key) const {
    const auto* v = get(key);
    if (v == nullptr)
        fail(at(key), "missing");
    if (!v->is_int64() || v->get_int64() <= 0)
        fail(at(key), "expected a positive integer id");
    return v->get_int64();
}

Id Obj::id_or_null(std::string_view key) const {
    const auto* v = get(key);
    if (v == nullptr || v->is_null())
        return 0;
    return id(key);
}

std::string Obj::str(std::string_view key) const {
    const auto* v = get(key);
    if (v == nullptr)
        fail(at(key), "missing");
    if (!v->is_string() || v->get_string().empty())
        fail(at(key), "expected a non-empty string");
    return std::string(v->get_string());
}

std::string Obj::str_or_empty(std::string_view key) const {
    const auto* v = get(key);
    if (v == nullptr || v->is_null())
        return {};
    return str(key);
}

Time Obj::time(std::string_view key) const {
    const auto* v = get(key);
    if (v == nullptr)
        fail(at(key), "missing");
    const auto t = v->is_string() ? parse_timestamp(v->get_string()) : std::nullopt;
    if (!t)
        fail(at(key), "expected a timestamp YYYY-MM-DDTHH:MM:SSZ");
    return *t;
}

Time Obj::time_or_null(std::string_view key) const {
    const auto* v = get(key);
    if (v == nullptr || v->is_null())
        return kNoTime;
    return time(key);
}

bool Obj::boolean(std::string_view key, bool fallback) const {
    const auto* v = get(key);
    if (v == nullptr)
        return fallback;
    if (!v->is_bool())
        fail(at(key), "expected true or false");
    return v->get_bool();
}

std::int64_t Obj::integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                          std::int64_t fallback) const {
    const auto* v = get(key);
    if (v == nullptr)
        return fallback;
    if (!v->is_int64() || v->get_int64() < lo || v->get_int64() > hi)
        fail(at(key),
             "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v->get_int64();
}

std::vector<std::string> Obj::strings(std::string_view key) const {
    std::vector<std::string> out;
    const auto* v = get(key);
    if (v == nullptr)
        return out;
    const auto& arr = as_array(*v, at(key));
    for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_string() || arr[i].get_string().empty())
            fail(at(key) + "[" + std::to_string(i) + "]", "expected a non-empty string");
        out.emplace_back(arr[i].get_string());
    }
    return out;
}

std::vector<Id> Obj::ids(std::string_view key) const {
    std::vector<Id> out;
    const auto* v = get(key);
    if (v == nullptr)
        return out;
    const auto& arr = as_array(*v, at(key));
    for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_int64() || arr[i].get_int64() <= 0)
            fail(at(key) + "[" + std::to_string(i) + "]", "expected a positive integer id");
        out.push_back(arr[i].get_int64());
    }
    return out;
}

}  // namespace sim::load

namespace sim {

std::unique_ptr<Account> load_account(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("account file " + path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        const auto root = load::parse_strict(text.str());
        const load::Obj top(root, "$");
        top.allow({"groups", "companies", "ticket_types", "agents", "contacts", "tickets"});
        auto acc = std::make_unique<Account>();
        static const boost::json::value kEmpty = boost::json::array{};
        auto part = [&](std::string_view key) -> const boost::json::value& {
            return top.has(key) ? *top.get(key) : kEmpty;
        };
        load::read_groups(*acc, part("groups"));
        load::read_companies(*acc, part("companies"));
        load::read_ticket_types(*acc, part("ticket_types"));
        load::read_agents(*acc, part("agents"));
        load::read_contacts(*acc, part("contacts"));
        try {
            acc->build_indexes();
        } catch (const std::runtime_error& e) {
            throw load::Error(std::string("$.contacts: ") + e.what());
        }
        load::read_tickets(*acc, part("tickets"));
        acc->build_indexes();
        return acc;
    } catch (const load::Error& e) {
        throw std::runtime_error("account file " + path + ": " + e.what());
    }
}

}  // namespace sim
