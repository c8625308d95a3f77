// The API key (client.hpp): loaded from a file or the environment, shown only as the
// Authorization header, and removed from any text before that text is shown or written.
#include "freshdesk/client.hpp"
#include "util/encoding.hpp"
#include "util/text.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

namespace gp::freshdesk {

namespace {

void replace_all(std::string& text, std::string_view what, std::string_view with) {
    for (std::size_t pos = text.find(what); pos != std::string::npos;
         pos = text.find(what, pos + with.size())) {
        text.replace(pos, what.size(), with);
    }
}

}  // namespace

ApiKey::ApiKey(std::string key) : key_(std::move(key)), basic_(base64(key_ + ":X")) {}

std::string ApiKey::authorization() const {
    return "Basic " + basic_;
}

std::string ApiKey::redact(std::string_view text) const {
    std::string out(text);
    // The base64 form first: it is the longer one and does not contain the key itself.
    for (const std::string* secret : {&basic_, &key_}) {
        if (!secret->empty()) {
            replace_all(out, *secret, "***");
        }
    }
    return out;
}

namespace {

constexpr std::size_t key_file_limit = 64 * 1024;

// `--api-key-file KEY` by mistake must not print the key in "cannot read ..." either.
bool looks_like_key(std::string_view path) {
    return path.size() >= 16 && std::all_of(path.begin(), path.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
           });
}

std::string read_key_file(const std::string& file) {
    const std::string name =
        looks_like_key(file) ? "given (its name looks like a key, so it is not shown)" : file;
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        throw KeyError("cannot read the API key file " + name + ": it is a directory");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const std::error_code why(errno, std::generic_category());
        throw KeyError("cannot read the API key file " + name + ": " + why.message());
    }
    std::string text(key_file_limit + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) {
        throw KeyError("cannot read the API key file " + name);
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > key_file_limit) {
        throw KeyError("the API key file " + name + " is too large to hold an API key");
    }
    return text;
}

// Checks the key where it came from (`source`), never naming the key itself.
std::string checked_key(std::string_view text, const std::string& source) {
    const std::string_view key = trim(text);
    if (key.empty()) {
        throw KeyError(source + " is empty");
    }
    // A line break or a colon would corrupt the Authorization header or the Basic-auth pair.
    const bool bad = std::any_of(key.begin(), key.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == ':';
    });
    if (bad) {
        throw KeyError(source + ": the key contains white space, a control character or ':'");
    }
    return std::string(key);
}

}  // namespace

ApiKey load_api_key(const std::string& file) {
    if (!file.empty()) {
        const std::string text = read_key_file(file);
        const std::string name =
            looks_like_key(file) ? "the API key file" : "the API key file " + file;
        return ApiKey(checked_key(text, name));
    }
    const char* value = std::getenv("FRESHDESK_API_KEY");
    if (value == nullptr) {
        throw KeyError("no API key: set FRESHDESK_API_KEY or give --api-key-file PATH");
    }
    return ApiKey(checked_key(value, "FRESHDESK_API_KEY"));
}

}  // namespace gp::freshdesk
