#pragma once
// Small text helpers shared by every module: name matching, email masking, HTML escaping.
#include <string>
#include <string_view>

namespace gp {

// Trims ASCII white space at both ends.
std::string_view trim(std::string_view text);

// The form names are compared in: trimmed, ASCII letters lower-cased (rules.md: "case-insensitive
// on trimmed text"). Non-ASCII bytes are kept as they are.
std::string normalize_name(std::string_view text);

// Equal but for the case of ASCII letters (HTTP header names, link parameters).
bool iequals(std::string_view a, std::string_view b);

// True for a non-empty string of ASCII digits only.
bool is_all_digits(std::string_view text);

// Text for HTML element content and attribute values: & < > " ' as entities, the rest as it is.
std::string html_escape(std::string_view text);

// "john@example.com" -> "j***@example.com"; text without '@' -> "***"; empty -> "".
std::string mask_email(std::string_view email);

}  // namespace gp
