// Pagination links (client.hpp): the Link header's rel="next" target, leniently parsed, reduced to
// origin form so that it is never followed to another host (docs/freshdesk-api.md).
//
// The Link header itself is parsed here by hand: Boost.URL parses the URL between < and >, but no
// library in the stack (Beast, Boost.URL, Boost.JSON) parses RFC 8288 link-values and their
// parameters, and Freshdesk's header needs leniency (spaces, unquoted rel, rel lists).
#include "freshdesk/client.hpp"
#include "util/text.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <string>
#include <string_view>

namespace gp::freshdesk {

namespace {

// "; rel=\"next\"" or ";rel=next, " (parameters of one link): true when a rel names "next".
bool has_rel_next(std::string_view params) {
    while (!params.empty()) {
        const std::size_t end = params.find_first_of(";,");
        const std::string_view param = params.substr(0, end);
        params = end == std::string_view::npos ? std::string_view{} : params.substr(end + 1);
        const std::size_t eq = param.find('=');
        if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), "rel")) {
            continue;
        }
        std::string_view value = trim(param.substr(eq + 1));
        if (!value.empty() && value.front() == '"') {
            value.remove_prefix(1);
        }
        if (!value.empty() && value.back() == '"') {
            value.remove_suffix(1);
        }
        while (!value.empty()) {  // rel may list several relations: rel="next last"
            const std::size_t space = value.find(' ');
            if (iequals(value.substr(0, space), "next")) {
                return true;
            }
            value =
                space == std::string_view::npos ? std::string_view{} : trim(value.substr(space));
        }
    }
    return false;
}

}  // namespace

std::string parse_next_link(std::string_view link_header) {
    std::size_t pos = 0;
    for (;;) {
        const std::size_t open = link_header.find('<', pos);
        const std::size_t close =
            open == std::string_view::npos ? open : link_header.find('>', open + 1);
        if (close == std::string_view::npos) {
            return {};
        }
        const std::size_t next = link_header.find('<', close + 1);
        const std::string_view params =
            link_header.substr(close + 1, next == std::string_view::npos ? next : next - close - 1);
        if (has_rel_next(params)) {
            return std::string(trim(link_header.substr(open + 1, close - open - 1)));
        }
        if (next == std::string_view::npos) {
            return {};
        }
        pos = next;
    }
}

std::string to_origin_form(std::string_view url) {
    url = trim(url);
    const auto parsed = boost::urls::parse_uri_reference(url);
    // Only a reference with a host is reduced. An origin-form target, any other relative
    // reference and text that is no URI reference at all are returned as they are: the readers
    // use the target only to know that there is a next page (read.cpp, read_tickets.cpp).
    if (!parsed || !parsed->has_authority()) {
        return std::string(url);
    }
    std::string out = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
    if (parsed->has_query()) {  // the fragment is never sent to a server
        out += '?';
        out += parsed->encoded_query();
    }
    return out;
}

}  // namespace gp::freshdesk
