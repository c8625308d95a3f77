#pragma once
// Private to lib/plan: turns the small JSON values that the streaming reader captures (one header
// value, one entry, one protected contact) into the plan model. Every failure is a PlanFormatError
// whose message starts with the JSON path of the offending value.
#include "plan/plan.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gp::plan_read {

[[noreturn]] void fail(std::string_view path, std::string_view problem);
std::string join_path(std::string_view path, std::string_view key);
std::string index_path(std::string_view path, std::size_t index);
// A short rendering of a value for messages: the JSON of a scalar, "an object" or "an array".
std::string describe(const boost::json::value& value);

std::string to_text(const boost::json::value& value, const std::string& path);
std::string to_timestamp(const boost::json::value& value, const std::string& path);
Rules to_rules(const boost::json::value& value, const std::string& path);
Summary to_summary(const boost::json::value& value, const std::string& path);
ArchiveCoverage to_archive(const boost::json::value& value, const std::string& path);

// known_rules: the names an entry's "rules" may hold (the plan's ticket rules and the engine's
// own).
Entry to_entry(const boost::json::value& value, const std::string& path,
               const std::vector<std::string>& known_rules);
ProtectedContact to_protected(const boost::json::value& value, const std::string& path);

}  // namespace gp::plan_read
