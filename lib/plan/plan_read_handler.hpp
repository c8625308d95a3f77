#pragma once
// Private to lib/plan: the SAX handler of the streaming plan reader (see plan_read.cpp).
#include "plan/plan.hpp"

#include <boost/json/basic_parser.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gp::plan_read {

namespace bj = boost::json;

// Walks the document event by event. The value of each header key and each element of "entries"
// and "protected" is captured alone into a small boost::json::value, converted, handed to the
// visitor and dropped: memory stays bounded by one entry. Problems are thrown, as PlanFormatError
// or PlanVersionError, out of the parser.
class PlanHandler {
  public:
    static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
    // No object of a plan comes near these; they keep a corrupt file from exhausting memory
    // (and the duplicate-key check linear).
    static constexpr std::size_t max_object_size = 1000;
    static constexpr std::size_t max_string_size = std::size_t{1} << 20;
    static constexpr std::size_t max_key_size = std::size_t{1} << 12;

    explicit PlanHandler(const PlanVisitor& visitor) : visitor_(visitor) {}

    bool on_document_begin(bj::error_code&) { return true; }
    bool on_document_end(bj::error_code&) { return true; }
    bool on_object_begin(bj::error_code&) {
        begin_value(bj::kind::object);
        frames_.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t n, bj::error_code&) {
        if (!capturing_) {
            end_document();
        }
        frames_.pop_back();
        if (capturing_) {
            stack_.push_object(n);
            end_value();
        }
        return true;
    }
    bool on_array_begin(bj::error_code&) {
        begin_value(bj::kind::array);
        frames_.emplace_back().is_array = true;
        return true;
    }
    bool on_array_end(std::size_t n, bj::error_code&) {
        frames_.pop_back();
        if (capturing_) {
            stack_.push_array(n);
            end_value();
        } else {
            end_list();
        }
        return true;
    }
    bool on_key_part(bj::string_view part, std::size_t, bj::error_code&) {
        text_.append(part.data(), part.size());
        return true;
    }
    bool on_key(bj::string_view part, std::size_t, bj::error_code&) {
        text_.append(part.data(), part.size());
        on_full_key();
        text_.clear();
        return true;
    }
    bool on_string_part(bj::string_view part, std::size_t, bj::error_code&) {
        text_.append(part.data(), part.size());
        return true;
    }
    bool on_string(bj::string_view part, std::size_t, bj::error_code&) {
        text_.append(part.data(), part.size());
        begin_value(bj::kind::string);
        stack_.push_string(text_);
        text_.clear();
        end_value();
        return true;
    }
    bool on_number_part(bj::string_view, bj::error_code&) { return true; }
    bool on_int64(std::int64_t value, bj::string_view, bj::error_code&) {
        return scalar(bj::kind::int64, [&] { stack_.push_int64(value); });
    }
    bool on_uint64(std::uint64_t value, bj::string_view, bj::error_code&) {
        return scalar(bj::kind::uint64, [&] { stack_.push_uint64(value); });
    }
    bool on_double(double value, bj::string_view, bj::error_code&) {
        return scalar(bj::kind::double_, [&] { stack_.push_double(value); });
    }
    bool on_bool(bool value, bj::error_code&) {
        return scalar(bj::kind::bool_, [&] { stack_.push_bool(value); });
    }
    bool on_null(bj::error_code&) {
        return scalar(bj::kind::null, [&] { stack_.push_null(); });
    }
    bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
    bool on_comment(bj::string_view, bj::error_code&) { return true; }

  private:
    // One open object or array. Objects remember their keys (duplicates are errors: Boost.JSON
    // would keep the last silently); arrays count their elements, for paths in messages.
    struct Frame {
        bool is_array = false;
        std::size_t count = 0;
        std::string key;
        std::vector<std::string> keys;
    };

    template <class Push>
    bool scalar(bj::kind kind, Push push) {
        begin_value(kind);
        push();
        end_value();
        return true;
    }

    std::string path() const;
    void begin_value(bj::kind kind);
    void end_value();
    void on_full_key();
    void top_key(const std::string& key);
    void header_value(const std::string& key, const bj::value& value);
    void start_entries();
    void element(const std::string& list, const bj::value& value);
    void end_list();
    void end_document();
    void require_header(std::string_view why) const;
    bool seen(std::string_view key) const {
        const auto& keys = frames_.front().keys;
        return std::find(keys.begin(), keys.end(), key) != keys.end();
    }

    const PlanVisitor& visitor_;
    std::vector<Frame> frames_;
    std::string text_;  // the key or string being received, which may come in parts
    bj::value_stack stack_;
    bool capturing_ = false;
    std::size_t capture_depth_ = 0;
    std::string capture_path_;
    PlanHeader header_;
    std::vector<std::string> known_rules_;
    bool entries_done_ = false;
    Id last_entry_id_ = 0;
    std::pair<Id, ProtectionReason> last_protected_{0, ProtectionReason::agent};
};

}  // namespace gp::plan_read
