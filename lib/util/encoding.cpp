#include "util/encoding.hpp"

#include <openssl/evp.h>

#include <boost/algorithm/hex.hpp>

#include <iterator>
#include <limits>
#include <stdexcept>
#include <utility>

namespace gp {

std::string base64(std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 4 * 3 - 2)) {
        throw std::length_error("base64: input too large");
    }
    // EVP_EncodeBlock writes 4 characters per 3 bytes (the last group padded) and a final NUL.
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(size));
    return out;
}

std::string hex_lower(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    boost::algorithm::hex_lower(bytes.begin(), bytes.end(), std::back_inserter(out));
    return out;
}

bool bytes_of_hex(std::string_view hex, std::vector<unsigned char>& out) {
    // unhex also takes upper-case digits: those are refused first, as they always were here.
    for (const char c : hex) {
        if (c >= 'A' && c <= 'F') {
            return false;
        }
    }
    std::vector<unsigned char> bytes;
    bytes.reserve(hex.size() / 2);
    try {
        boost::algorithm::unhex(hex.begin(), hex.end(), std::back_inserter(bytes));
    } catch (const boost::algorithm::hex_decode_error&) {  // an odd length or a non-hex character
        return false;
    }
    out = std::move(bytes);
    return true;
}

}  // namespace gp
