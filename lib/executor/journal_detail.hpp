#pragma once
// One journal line read strictly (journal_line.cpp), for read_journal() and for verify
// (verify.cpp): a step record or a signature line, with its "prev" when it carries one.
#include "executor/journal.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gp::executor::detail {

struct JournalLine {
    std::optional<JournalRecord> record;        // a step record, or
    std::optional<JournalSignature> signature;  // a signature line
    std::optional<std::string> prev;            // the chain link: 64 lower-case hex digits
};

// Why a line is not a journal line: names the key, never quotes a value.
struct LineError {
    std::string what;
};

// Throws LineError.
JournalLine parse_journal_line(std::string_view line);

// Exactly `digits` lower-case hex digits; is_sha256_hex: 64 of them.
bool is_lower_hex(std::string_view text, std::size_t digits);
bool is_sha256_hex(std::string_view text);

}  // namespace gp::executor::detail
