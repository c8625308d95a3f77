// lib/freshdesk's calls and answers as messages and data (client.cpp's helpers): a call described
// with its emails masked, an answer's error body read leniently, the text of an ApiError.
#include "freshdesk/reply_detail.hpp"

#include "util/text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace gp::freshdesk {

using detail::find_header;
using detail::one_line;

namespace detail {

// Server text goes into one log line: no control characters, bounded length.
std::string one_line(std::string_view text, std::size_t limit) {
    text = trim(text);
    if (text.size() > limit) {
        while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xc0u) == 0x80u) {
            --limit;  // not inside a UTF-8 sequence
        }
    }
    std::string out;
    for (char c : text.substr(0, limit)) {
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
    }
    if (text.size() > limit) {
        out += "...";
    }
    return out;
}

std::optional<std::string_view> find_header(const std::vector<http::Header>& headers,
                                            std::string_view name) {
    for (const http::Header& header : headers) {
        if (iequals(header.name, name)) {
            return std::string_view(header.value);
        }
    }
    return std::nullopt;
}

// Query values that hold an email address are personal data: messages show "***" instead.
std::string masked_target(std::string_view target) {
    const std::size_t query = target.find('?');
    if (query == std::string_view::npos) {
        return std::string(target);
    }
    std::string out(target.substr(0, query + 1));
    std::string_view rest = target.substr(query + 1);
    for (bool first = true; !rest.empty() || first; first = false) {
        const std::size_t amp = rest.find('&');
        const std::string_view param = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        const std::size_t eq = param.find('=');
        const bool email = param.find('@') != std::string_view::npos ||
                           param.find("%40") != std::string_view::npos;
        out += first ? "" : "&";
        out += email && eq != std::string_view::npos ? std::string(param.substr(0, eq + 1)) + "***"
                                                     : std::string(param);
    }
    return out;
}

std::string reason_phrase(int status) {
    static constexpr std::pair<int, const char*> phrases[] = {
        {400, "Bad Request"},         {401, "Unauthorized"},          {403, "Forbidden"},
        {404, "Not Found"},           {405, "Method Not Allowed"},    {409, "Conflict"},
        {429, "Too Many Requests"},   {500, "Internal Server Error"}, {502, "Bad Gateway"},
        {503, "Service Unavailable"}, {504, "Gateway Timeout"}};
    for (const auto& [code, phrase] : phrases) {
        if (code == status) {
            return phrase;
        }
    }
    return "HTTP status " + std::to_string(status);
}

}  // namespace detail

std::string describe_call(const Call& call) {
    return call.method + " " + detail::masked_target(call.target);
}

// ---- replies

std::optional<std::string_view> Reply::header(std::string_view name) const {
    return find_header(headers, name);
}

namespace {

std::string string_field(const boost::json::object& object, std::string_view name) {
    const boost::json::value* value = object.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string())
                                                  : std::string();
}

// Freshdesk's error shapes ({"code","message"}, {"message"}, {"description","errors":[...]}),
// leniently: an empty body, a lone space or a load balancer's HTML page leave the fields empty.
void parse_error_body(Reply& reply, const ApiKey& key) {
    const std::string_view body = trim(reply.body);
    if (body.empty() || body.front() != '{') {
        return;
    }
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(body, ec);
    if (ec || !value.is_object()) {
        return;
    }
    const boost::json::object& object = value.get_object();
    reply.code = one_line(key.redact(string_field(object, "code")));
    reply.message = one_line(key.redact(string_field(object, "message")));
    if (reply.message.empty()) {
        reply.message = one_line(key.redact(string_field(object, "description")));
    }
    const boost::json::value* errors = object.if_contains("errors");
    if (errors == nullptr || !errors->is_array()) {
        return;
    }
    for (const boost::json::value& item : errors->get_array()) {
        if (item.is_object()) {
            const boost::json::object& error = item.get_object();
            reply.errors.push_back(FieldError{one_line(key.redact(string_field(error, "field"))),
                                              one_line(key.redact(string_field(error, "message"))),
                                              one_line(key.redact(string_field(error, "code")))});
        }
    }
}

}  // namespace

namespace detail {

Reply reply_from(http::Result&& result, const ApiKey& key) {
    Reply reply;
    if (auto* failure = std::get_if<http::Failure>(&result)) {
        failure->message = key.redact(failure->message);
        reply.failure = std::move(*failure);
        return reply;
    }
    auto& response = std::get<http::Response>(result);
    reply.status = response.status;
    reply.headers = std::move(response.headers);
    reply.body = std::move(response.body);
    if (!reply.ok()) {
        parse_error_body(reply, key);
    }
    if (const auto link = reply.header("Link")) {
        reply.next_target = to_origin_form(parse_next_link(*link));
    }
    return reply;
}

// The error code an ApiError carries: Freshdesk's, else the first field error's.
std::string error_code(const Reply& reply) {
    if (!reply.code.empty() || reply.errors.empty()) {
        return reply.code;
    }
    return reply.errors.front().code;
}

std::string describe_reply(const Reply& reply) {
    if (reply.status == 0) {
        return reply.failure ? reply.failure->message : "no answer";
    }
    std::string text = std::to_string(reply.status);
    const std::string code = error_code(reply);
    text += code.empty() ? "" : " " + code;
    if (!reply.message.empty()) {
        text += ": " + reply.message;
    } else if (code.empty()) {
        text += " " + reason_phrase(reply.status);  // "404 Not Found" for an empty body
    }
    constexpr std::size_t shown = 5;
    for (std::size_t i = 0; i < reply.errors.size() && i < shown; ++i) {
        const FieldError& error = reply.errors[i];
        text += "; " + error.field + ": " + error.message;
        text += error.code.empty() ? "" : " (" + error.code + ")";
    }
    text += reply.errors.size() > shown ? "; ..." : "";
    return text;
}

std::string api_error_text(const Call& call, const Reply& reply) {
    std::string text = describe_call(call) + ": " + describe_reply(reply);
    if (reply.status == 401) {
        text += " (check FRESHDESK_API_KEY / --api-key-file)";
    } else if (reply.status == 403) {
        text += " (the key's agent lacks a permission; some calls need an admin's key)";
    }
    return text;
}

}  // namespace detail

}  // namespace gp::freshdesk
