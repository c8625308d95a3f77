#pragma once
// Byte encodings shared by the modules: base64 (the Basic-auth header, docs/freshdesk-api.md) and
// lower-case hex (digests and the journal's signatures, docs/apply.md, "The journal"). Thin
// wrappers over the libraries that do the work: OpenSSL's EVP_EncodeBlock, Boost.Algorithm's hex.
#include <string>
#include <string_view>
#include <vector>

namespace gp {

// Standard base64 (RFC 4648, section 4) with '=' padding and no line breaks.
std::string base64(std::string_view bytes);

// Two lower-case hex digits per byte.
std::string hex_lower(std::string_view bytes);

// The bytes of an even number of lower-case hex digits (the only form written here); nothing for
// any other text (an odd length, an upper-case digit, a character that is no hex digit).
bool bytes_of_hex(std::string_view hex, std::vector<unsigned char>& out);

}  // namespace gp
