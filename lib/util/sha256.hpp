#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace gp {

// SHA-256 of bytes given in pieces (a plan read block by block: docs/plan.md).
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    // Lower-case hex of everything given since construction or the last hex(); starts again.
    std::string hex();

  private:
    struct Context;
    std::unique_ptr<Context> context_;
};

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Lower-case hex SHA-256 of a file's bytes, read in blocks (a plan may be large). Throws
// std::runtime_error naming the file when it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace gp
