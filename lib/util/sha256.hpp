#pragma once
#include <string>
#include <string_view>

namespace gp {

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Lower-case hex SHA-256 of a file's bytes, read in blocks (a plan may be large). Throws
// std::runtime_error naming the file when it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace gp
