// The one strict JSON reader (lib/json/reader.hpp): fed in chunks split anywhere, it hands over
// the values its client asks for, and every failure says where.
#include "json/reader.hpp"

#include <catch2/catch.hpp>

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bj = boost::json;
using gp::json::Limits;
using gp::json::ParseFailure;
using gp::json::StrictReader;

namespace {

// Walks into everything above `capture_depth`, captures what starts there, and writes down what
// it is told. Throws when told of the key `bad_key` or handed the value at `bad_path`.
class Recorder : public gp::json::ReaderClient {
  public:
    bool begin(std::size_t depth, const std::string& path, bj::kind) override {
        events.push_back("begin " + path);
        return depth >= capture_depth;
    }
    void key(std::size_t depth, const std::string& key) override {
        if (key == bad_key) {
            throw std::runtime_error("bad key " + key);
        }
        events.push_back("key " + std::to_string(depth) + " " + key);
    }
    void value(std::size_t, const std::string& path, bj::value&& value) override {
        if (path == bad_path) {
            throw std::invalid_argument("bad value at " + path);
        }
        events.push_back(path + " = " + bj::serialize(value));
    }
    void end(std::size_t depth, bj::kind kind) override {
        events.push_back("end " + std::to_string(depth) + (kind == bj::kind::object ? "{}" : "[]"));
    }

    std::size_t capture_depth = 0;
    std::optional<std::string> bad_key;
    std::optional<std::string> bad_path;
    std::vector<std::string> events;
};

// Feeds `text` in chunks of `size` bytes (the whole text at once for 0); the failure, if any.
std::optional<ParseFailure> feed(StrictReader& reader, std::string_view text, std::size_t size) {
    if (size == 0) {
        size = text.size() + 1;
    }
    for (std::size_t at = 0; at < text.size(); at += size) {
        if (!reader.write(text.substr(at, size), false)) {
            return reader.failure();
        }
    }
    if (!reader.write({}, true)) {
        return reader.failure();
    }
    return std::nullopt;
}

std::optional<ParseFailure> feed(Recorder& client, std::string_view text, std::size_t size,
                                 Limits limits = {}) {
    StrictReader reader(client, limits);
    return feed(reader, text, size);
}

std::string where(const ParseFailure& failure) {
    return failure.path + " @" + std::to_string(failure.line) + ":" +
           std::to_string(failure.column) + " " + failure.message;
}

}  // namespace

TEST_CASE("the reader hands over values at the depths its client asks for", "[json][reader]") {
    const std::string text =
        R"({"a": 1, "list": [{"x": 1}, [2], "s"], "o": {"k": null, "odd key": "v"}})";
    const std::vector<std::string> expected{"begin ",
                                            "key 0 a",
                                            "begin a",
                                            "key 0 list",
                                            "begin list",
                                            "begin list[0]",
                                            R"(list[0] = {"x":1})",
                                            "begin list[1]",
                                            "list[1] = [2]",
                                            "begin list[2]",
                                            R"(list[2] = "s")",
                                            "end 1[]",
                                            "key 0 o",
                                            "begin o",
                                            "key 1 k",
                                            "begin o.k",
                                            "o.k = null",
                                            "key 1 odd key",
                                            R"(begin o["odd key"])",
                                            R"(o["odd key"] = "v")",
                                            "end 1{}",
                                            "end 0{}"};
    // Split anywhere, the text gives the same events.
    for (std::size_t size = 0; size <= text.size(); ++size) {
        INFO("chunks of " << size);
        Recorder client;
        client.capture_depth = 2;
        CHECK_FALSE(feed(client, text, size));
        CHECK(client.events == expected);
    }
    Recorder whole;
    CHECK_FALSE(feed(whole, text, 3));
    CHECK(whole.events ==
          std::vector<std::string>{"begin ", R"( = {"a":1,"list":[{"x":1},[2],"s"],"o":{"k":null,)"
                                             R"("odd key":"v"}})"});
}

TEST_CASE("failures are placed alike whichever way the text is split", "[json][reader]") {
    // A duplicate key two lines down (placed at its opening quote, which may be chunks before),
    // a syntax error and its hint, an incomplete text, trailing text, a misspelt literal, bytes
    // that are not UTF-8: for every chunk size, the place and message parse_strict gives.
    for (const std::string text :
         {"{\n  \"rules\": [\n    {\"name\": 1},\n    {\"name\": 2,\n     \"n\\u0061me\": 3}\n  "
          "]\n}",
          "{\n  \"a\": \"x\\\"y\",\n  \"b\": 2,\n}", "{\"a\": [1, 2", "{\"a\": 1}\n {}",
          "{\"a\": tru5}", "[nul]", "[\"caf\xE9s\"]", "[\"\xE0\xEA\xFF\"]", "[\"a\"\n ttt]"}) {
        const auto whole = gp::json::parse_strict(text);
        REQUIRE(whole.failure);
        for (std::size_t size = 1; size <= text.size(); ++size) {
            INFO(text << " in chunks of " << size);
            Recorder client;
            const auto failure = feed(client, text, size);
            REQUIRE(failure);
            CHECK(failure->path == whole.failure->path);
            CHECK(failure->line == whole.failure->line);
            CHECK(failure->column == whole.failure->column);
            CHECK(failure->message == whole.failure->message);
        }
    }
    Recorder client;
    const auto failure = feed(client, "{\n  \"rules\": [{\"name\": 1, \"name\": 2}]}", 1);
    REQUIRE(failure);
    CHECK(where(*failure) == "rules[0].name @2:25 duplicate key \"name\"");
    // A misspelt word is placed at its first letter, whole or split.
    for (std::size_t size = 0; size < 8; ++size) {
        Recorder words;
        CHECK(where(*feed(words, "[true, fasle]", size)) == " @1:8 syntax error at 'f'");
    }
}

TEST_CASE("the limits fail with the path of what passed them", "[json][reader]") {
    const Limits limits{2, 5, 3};
    Recorder keys;
    CHECK(where(*feed(keys, "{\"a\": {\"x\": 1, \"y\": 2,\n \"z\": 3}}", 0, limits)) ==
          "a @2:2 an object with more than 2 keys");
    Recorder string;
    CHECK(where(*feed(string, R"({"a": [1, "abcdef"]})", 0, limits)) ==
          "a[1] @1:18 a string longer than 5 bytes");
    Recorder key;
    CHECK(where(*feed(key, R"({"a": {"long": 1}})", 0, limits)) ==
          "a @1:8 a key longer than 3 bytes");
    Recorder none;
    CHECK_FALSE(feed(none, R"({"a": {"x": 1, "y": "abcde"}})", 0, limits));
}

TEST_CASE("an exception of the client stops the reader and is kept with its place",
          "[json][reader]") {
    const std::string text = "{\"list\": [\n  1,\n  {\"b\": 2},\n  3\n]}";
    Recorder client;
    client.capture_depth = 2;
    client.bad_path = "list[1]";
    StrictReader reader(client);
    const auto failure = feed(reader, text, 5);
    REQUIRE(failure);
    CHECK(where(*failure) == "list[1] @3:10 bad value at list[1]");  // its closing bracket
    REQUIRE(reader.client_error());
    CHECK_THROWS_AS(std::rethrow_exception(reader.client_error()), std::invalid_argument);
    CHECK_FALSE(reader.write("more", true));  // nothing more is read

    Recorder keys;
    keys.capture_depth = 2;
    keys.bad_key = "list";
    StrictReader key_reader(keys);
    const auto key_failure = feed(key_reader, text, 0);
    REQUIRE(key_failure);
    CHECK(where(*key_failure) == "list @1:2 bad key list");  // at the key's opening quote
}

TEST_CASE("the position is kept across chunks", "[json][reader]") {
    Recorder client;
    StrictReader reader(client);
    CHECK(reader.write("{\"a\":\n [1,", false));
    CHECK(to_string(reader.position()) == "line 2, column 5");
    CHECK(reader.write(" 2]", false));
    CHECK(to_string(reader.position()) == "line 2, column 8");
    // The hint looks back at the chunk before.
    CHECK_FALSE(reader.write("\n\n  \"x\"}", true));
    CHECK(where(*reader.failure()) == " @4:3 syntax error at '\"' (a missing comma before it?)");
}

// The inputs the fuzz_rules target failed on (docs/fuzzing.md, "Bugs found and fixed"): every
// way of splitting each in two fails as the whole text does, placed within one \u escape's
// length (12 bytes) of it; a newline that ends a bad escape may move the place to the next line.
TEST_CASE("the fuzz regressions of fuzz_rules fail whole and split, placed alike",
          "[json][reader][fuzz]") {
    const std::filesystem::path dir =
        std::filesystem::path(GP_TEST_DATA_DIR) / "fuzz-regressions" / "fuzz_rules";
    std::size_t files = 0;
    for (const auto& file : std::filesystem::directory_iterator(dir)) {
        ++files;
        std::ifstream in(file.path(), std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        INFO(file.path().filename().string());
        const gp::json::StrictParseResult whole = gp::json::parse_strict(text);
        REQUIRE(whole.failure);
        const std::size_t at =
            gp::json::offset_of(text, whole.failure->line, whole.failure->column);
        for (std::size_t split = 0; split <= text.size(); ++split) {
            Recorder client;
            StrictReader reader(client);
            const bool read = reader.write(std::string_view(text).substr(0, split), false) &&
                              reader.write(std::string_view(text).substr(split), false) &&
                              reader.write({}, true);
            INFO("split at " << split);
            REQUIRE_FALSE(read);
            const ParseFailure& failure = *reader.failure();
            const std::size_t split_at = gp::json::offset_of(text, failure.line, failure.column);
            CHECK((split_at > at ? split_at - at : at - split_at) <= 12);
            CHECK(failure.path == whole.failure->path);
        }
    }
    CHECK(files >= 1);
}
