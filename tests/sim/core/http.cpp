#include "http.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>

#include <algorithm>

namespace sim {

namespace json = boost::json;
namespace urls = boost::urls;

Response json_response(int status, const json::value& body) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", kJsonType);
    r.body = json::serialize(body);
    return r;
}

Response bare_response(int status, std::string body) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", kJsonType);
    r.body = std::move(body);
    return r;
}

Response no_content() {
    Response r;
    r.status = 204;
    return r;
}

Response validation_error(const Errors& errors, int status) {
    json::array items;
    for (const auto& e : errors)
        items.push_back(json::object{{"field", e.field}, {"message", e.message}, {"code", e.code}});
    return json_response(status,
                         json::object{{"description", "Validation failed"}, {"errors", items}});
}

Response request_error(int status, std::string_view code, std::string_view message) {
    return json_response(status, json::object{{"code", code}, {"message", message}});
}

Response method_not_allowed(std::string_view method, std::string_view allow) {
    Response r = json_response(
        405, json::object{{"message", std::string(method) +
                                          " method is not allowed. It should be one of these "
                                          "method(s): " +
                                          std::string(allow)}});
    r.headers.emplace_back("Allow", allow);
    return r;
}

Response not_found() {
    return bare_response(404, " ");
}

namespace {

// Servers accept what curl sends as typed, e.g. query="status:2" with raw double quotes: encode
// the characters a strict URL parser refuses before parsing.
std::string encode_loose(std::string_view target) {
    static constexpr std::string_view kLoose = "\"<>`{}|\\^ ";
    std::string out;
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u > 0x7e || kLoose.find(c) != std::string_view::npos) {
            static constexpr char kHex[] = "0123456789ABCDEF";
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::optional<Query> Query::parse(std::string_view target) {
    const std::string loose = encode_loose(target);
    const auto parsed = urls::parse_origin_form(loose);
    if (!parsed)
        return std::nullopt;
    Query q;
    q.path_ = std::string(parsed->encoded_path());
    for (const auto& p : parsed->params())
        q.params_.emplace_back(p.key, p.value);
    for (const auto& p : parsed->encoded_params())
        q.raw_.emplace_back(std::string(p.key), std::string(p.value));
    return q;
}

const std::string* Query::get(std::string_view key) const {
    for (const auto& [k, v] : params_) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

void Query::check(std::initializer_list<std::string_view> allowed, Errors& errors) const {
    std::vector<std::string_view> seen;
    for (const auto& [k, v] : params_) {
        bool known = false;
        for (const auto a : allowed)
            known = known || a == k;
        if (!known) {
            errors.push_back({k, "Unexpected/invalid field in request", "invalid_field"});
        } else if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
            errors.push_back({k, "Duplicate parameter", "invalid_value"});
        }
        seen.push_back(k);
    }
}

std::string Query::with_page(std::int64_t page) const {
    std::string out;
    for (const auto& [k, v] : raw_) {
        if (k == "page")
            continue;
        out += out.empty() ? "" : "&";
        out += k + "=" + v;
    }
    out += (out.empty() ? "page=" : "&page=") + std::to_string(page);
    return out;
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    std::int64_t v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v <= 0)
        return std::nullopt;
    return v;
}

Paging read_paging(const Query& q, Errors& errors, std::int64_t max_per_page) {
    Paging p;
    if (const auto* page = q.get("page")) {
        const auto v = parse_positive(*page);
        if (!v)
            errors.push_back({"page", "It should be a/an Positive Integer", "datatype_mismatch"});
        // Any page past the data is empty; the clamp keeps (page - 1) * per_page from overflowing.
        p.page = std::min<std::int64_t>(v.value_or(1), 1'000'000'000'000'000);
    }
    if (const auto* per = q.get("per_page")) {
        const auto v = parse_positive(*per);
        if (!v) {
            errors.push_back(
                {"per_page", "It should be a/an Positive Integer", "datatype_mismatch"});
        } else if (*v > max_per_page) {
            errors.push_back({"per_page",
                              "Has to be less than or equal to " + std::to_string(max_per_page),
                              "invalid_value"});
        }
        p.per_page = v.value_or(30);
    }
    return p;
}

std::string base_url(const ApiOptions& options, const Request& request) {
    if (!options.base_url.empty())
        return options.base_url;
    return "http://" + std::string(request.header("Host"));
}

std::string next_link(const ApiOptions& options, const Request& request, const Query& q,
                      std::int64_t next_page) {
    const std::string url = base_url(options, request) + q.path() + "?" + q.with_page(next_page);
    return options.link_space_variant ? "< " + url + ">;rel=\"next\""
                                      : "<" + url + ">; rel=\"next\"";
}

}  // namespace sim
