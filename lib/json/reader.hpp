#pragma once
// The one strict JSON reader of user files (rules, plans, the journal, the archive index): fed in
// chunks, it keeps the line and column of where it stands and the JSON path of the value being
// read, refuses duplicate keys, and hands its client whole sub-values at the depths the client
// asks for. Every failure, its own or one its client throws, comes out with line:column.
#include "json/strict.hpp"

#include <boost/json/kind.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gp::json {

// Bounds on what one document may hold (in bytes, after unescaping); past one, the document fails.
struct Limits {
    std::size_t max_object_size = std::numeric_limits<std::size_t>::max();  // keys of one object
    std::size_t max_string_size = std::numeric_limits<std::size_t>::max();
    std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
};

// What the reader tells its client, in document order. `depth` is the number of objects and arrays
// around a value (0: the document itself); `path` is its JSON path as append_key/append_index
// make it ("" for the document). A callback may throw: the reader stops there and keeps the
// exception for its caller (StrictReader::client_error), with the place it stopped at.
class ReaderClient {
  public:
    ReaderClient() = default;
    ReaderClient(const ReaderClient&) = delete;
    ReaderClient& operator=(const ReaderClient&) = delete;
    virtual ~ReaderClient() = default;

    // A value starts, outside any value being captured. True: capture it, and receive it whole in
    // value(). False: walk into it (an object's keys come to key(), each element or member value
    // to begin() again, its end to end()); a scalar not captured is dropped.
    virtual bool begin(std::size_t depth, const std::string& path, boost::json::kind kind) = 0;
    // A key of an object walked into, at `depth` (the object's), once it is known not to repeat.
    virtual void key(std::size_t depth, const std::string& key) = 0;
    // A captured value, complete.
    virtual void value(std::size_t depth, const std::string& path, boost::json::value&& value) = 0;
    // The end of an object or array walked into.
    virtual void end(std::size_t depth, boost::json::kind kind) = 0;
};

// 1-based line and column (in bytes) of a place in a document.
struct Position {
    std::size_t line = 1;
    std::size_t column = 1;
};

// "line 3, column 5"
std::string to_string(const Position& position);

class StrictReader {
  public:
    explicit StrictReader(ReaderClient& client, Limits limits = {});
    StrictReader(const StrictReader&) = delete;
    StrictReader& operator=(const StrictReader&) = delete;
    ~StrictReader();

    // Reads the next chunk of the document; `last`: nothing follows (the chunk may then be
    // empty). A document may be split anywhere (a byte order mark, refused with its own message,
    // is recognised in the first chunk only). False once the document has failed, at this chunk
    // or an earlier one: failure() then says where and what, and nothing more is read.
    bool write(std::string_view chunk, bool last);

    // Where the document failed: line and column always; the JSON path where known (a duplicate
    // key, a limit, a client's exception: the path of the value or key being read); the message.
    // A duplicate key, a key past a limit, or an exception from key(), is placed at the key's
    // opening quote; anything else where the reader stood: on the character it could not take
    // (a syntax error), on the last character of the value just handed to value() (its closing
    // bracket or quote; just after a number), where it noticed a string past the limit (in the
    // string, at the end of its chunk at most), at the end of the text (an incomplete document).
    const std::optional<ParseFailure>& failure() const;
    // The exception a client callback threw, if that is what stopped the document (its what()
    // is then failure()->message).
    std::exception_ptr client_error() const;
    // Where the reader stands: after the text read so far.
    Position position() const;

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gp::json
