// The helpers that read.cpp and read_tickets.cpp share (read_detail.hpp): query encoding, the
// errors of a reading call, and Fields, the strict reader of Freshdesk's JSON objects.
#include "freshdesk/read_detail.hpp"
#include "time/time.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <atomic>
#include <utility>

namespace gp::freshdesk {

namespace detail {

std::string url_encode(std::string_view text) {
    // Upper-case hex digits and a space as %20 (encoding_opts' defaults), as before.
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

void fail(const std::string& where, std::string_view path, std::string_view problem) {
    throw FormatError(where + ": " + std::string(path) + ": " + std::string(problem));
}

boost::json::value parse_body(const std::string& where, const std::string& body,
                              boost::json::storage_ptr storage) {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(body, ec, std::move(storage));
    if (ec) {
        fail(where, "body", "not JSON (" + ec.message() + ")");
    }
    return value;
}

const boost::json::array& as_array(const std::string& where, const boost::json::value& value,
                                   std::string_view path) {
    if (!value.is_array()) {
        fail(where, path, "not an array");
    }
    return value.get_array();
}

std::optional<Id> to_id(const boost::json::value& value) {
    if (value.is_int64() && value.get_int64() > 0) {
        return value.get_int64();
    }
    return std::nullopt;
}

Fields::Fields(const std::string& where, const boost::json::value& value, std::string path)
    : where_(&where), object_(value.if_object()), path_(std::move(path)) {
    if (object_ == nullptr) {
        detail::fail(where, path_.empty() ? "body" : path_, "not an object");
    }
}

std::string Fields::path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void Fields::fail(std::string_view key, std::string_view problem) const {
    detail::fail(*where_, path(key), problem);
}

const boost::json::value* Fields::find(std::string_view key) const {
    return object_->if_contains(key);
}

Id Fields::id(std::string_view key) const {
    const boost::json::value* value = find(key);
    if (value == nullptr) {
        fail(key, "missing");
    }
    const std::optional<Id> id = to_id(*value);
    if (!id) {
        fail(key, "not a positive integer id");
    }
    return *id;
}

Id Fields::optional_id(std::string_view key) const {
    const boost::json::value* value = find(key);
    return value == nullptr || value->is_null() ? no_id : id(key);
}

UnixTime Fields::time(std::string_view key) const {
    const boost::json::value* value = find(key);
    if (value == nullptr) {
        fail(key, "missing");
    }
    const std::optional<UnixTime> t =
        value->is_string() ? parse_timestamp(value->get_string()) : std::nullopt;
    if (!t) {
        fail(key, "not a timestamp");
    }
    return *t;
}

UnixTime Fields::optional_time(std::string_view key) const {
    const boost::json::value* value = find(key);
    return value == nullptr || value->is_null() ? no_time : time(key);
}

std::optional<std::string> Fields::nullable_string(std::string_view key) const {
    const boost::json::value* value = find(key);
    if (value == nullptr || value->is_null()) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        fail(key, "not a string");
    }
    return std::string(value->get_string());
}

std::string Fields::optional_string(std::string_view key) const {
    return nullable_string(key).value_or(std::string());
}

bool Fields::flag(std::string_view key) const {
    const boost::json::value* value = find(key);
    if (value == nullptr || value->is_null()) {
        return false;
    }
    if (!value->is_bool()) {
        fail(key, "not true or false");
    }
    return value->get_bool();
}

std::int64_t Fields::integer(std::string_view key) const {
    const boost::json::value* value = find(key);
    if (value == nullptr) {
        fail(key, "missing");
    }
    if (!value->is_int64()) {
        fail(key, "not an integer");
    }
    return value->get_int64();
}

const boost::json::array* Fields::optional_array(std::string_view key) const {
    const boost::json::value* value = find(key);
    if (value == nullptr || value->is_null()) {
        return nullptr;
    }
    if (!value->is_array()) {
        fail(key, "not an array");
    }
    return &value->get_array();
}

std::optional<std::vector<std::string>> Fields::strings(std::string_view key) const {
    const boost::json::array* array = optional_array(key);
    if (array == nullptr) {
        return std::nullopt;
    }
    std::vector<std::string> out;
    out.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
        const boost::json::value& item = (*array)[i];
        if (!item.is_string()) {
            detail::fail(*where_, path(key) + "[" + std::to_string(i) + "]", "not a string");
        }
        out.emplace_back(item.get_string());
    }
    return out;
}

Fields Fields::object(std::string_view key) const {
    const boost::json::value* value = find(key);
    if (value == nullptr) {
        fail(key, "missing");
    }
    return Fields(*where_, *value, path(key));
}

}  // namespace detail

}  // namespace gp::freshdesk
