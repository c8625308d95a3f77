#pragma once
// Private to lib/json: where the strict reader places a failure, and what a syntax error says
// (reader_place.cpp). `text` is what the reader has at hand: the chunk, after the window of text
// before it.
#include "json/reader.hpp"

#include <boost/json/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gp::json::detail {

// The position of `offset` in `text`, whose first byte is at `start`.
Position position_in(std::string_view text, std::size_t offset, Position start);
// The opening quote of the key or string the parser stopped in at `stop`, if it is in `text`.
std::optional<std::size_t> key_start(std::string_view text, std::size_t stop);
// Where a syntax error at `offset` is placed when the text comes whole: the first byte of a bad
// UTF-8 sequence, the first letter of a misspelt true, false or null.
std::size_t sequence_start(std::string_view text, std::size_t offset);
std::size_t literal_start(std::string_view text, std::size_t offset);
// "syntax error at '}' (a comma before a closing bracket?)", "nested too deeply", ...
std::string error_message(std::string_view text, std::size_t offset,
                          const boost::json::error_code& ec);

}  // namespace gp::json::detail
