#pragma once
// Private to lib/plan: the plan's client of the strict JSON reader (json/reader.hpp), which does
// the syntax, the paths, duplicate keys and the positions; see plan_read.cpp.
#include "json/reader.hpp"
#include "plan/plan.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gp::plan_read {

namespace bj = boost::json;

// No object of a plan comes near these; they keep a corrupt file from exhausting memory.
inline constexpr json::Limits plan_limits{1000, std::size_t{1} << 20, std::size_t{1} << 12};

// Walks the top of the document: the value of each header key and each element of "entries" and
// "protected" is captured alone into a small boost::json::value, converted, handed to the visitor
// and dropped: memory stays bounded by one entry. Problems are thrown, as PlanFormatError or
// PlanVersionError; the reader stops there and read_plan adds where.
class PlanHandler : public json::ReaderClient {
  public:
    explicit PlanHandler(const PlanVisitor& visitor) : visitor_(visitor) {}

    bool begin(std::size_t depth, const std::string& path, bj::kind kind) override;
    void key(std::size_t depth, const std::string& key) override;
    void value(std::size_t depth, const std::string& path, bj::value&& value) override;
    void end(std::size_t depth, bj::kind kind) override;

  private:
    void top_key(const std::string& key);
    void header_value(const std::string& key, const bj::value& value);
    void start_entries();
    void element(const std::string& list, const std::string& path, const bj::value& value);
    void end_document();
    void require_header(std::string_view why) const;
    bool seen(std::string_view key) const {
        return std::find(keys_.begin(), keys_.end(), key) != keys_.end();
    }

    const PlanVisitor& visitor_;
    std::vector<std::string> keys_;  // the top-level keys so far; the last is being read
    PlanHeader header_;
    std::vector<std::string> known_rules_;
    bool entries_done_ = false;
    Id last_entry_id_ = 0;
    std::pair<Id, ProtectionReason> last_protected_{0, ProtectionReason::agent};
};

}  // namespace gp::plan_read
