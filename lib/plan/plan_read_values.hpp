#pragma once
// Private to lib/plan: turns the small JSON values that the streaming reader captures (one header
// value, one entry, one protected contact) into the plan model. Every failure is a PlanFormatError
// whose message starts with the JSON path of the offending value (json::append_key and
// json::append_index make the paths, as for every JSON file read).
#include "json/strict.hpp"
#include "plan/plan.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <initializer_list>
#include <span>

#include <string>
#include <string_view>
#include <vector>

namespace gp::plan_read {

[[noreturn]] void fail(std::string_view path, std::string_view problem);
// A short rendering of a value for messages: the JSON of a scalar, "an object" or "an array".
std::string describe(const boost::json::value& value);

// The keys of one object, checked against the keys it may have.
class Fields {
  public:
    Fields(const boost::json::value& value, const std::string& path) : path_(path) {
        if (!value.is_object()) {
            fail(path_, "expected an object, got " + describe(value));
        }
        object_ = &value.get_object();
    }

    void allow_only(std::span<const std::string_view> allowed, std::string_view why) const {
        for (const auto& item : *object_) {
            const std::string_view key{item.key().data(), item.key().size()};
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                fail(path(key), why);
            }
        }
    }
    void allow_only(std::initializer_list<std::string_view> allowed) const {
        allow_only(std::span(allowed.begin(), allowed.size()), "unknown key");
    }

    const boost::json::value& at(std::string_view key) const {
        const boost::json::value* found =
            object_->if_contains(boost::json::string_view(key.data(), key.size()));
        if (found == nullptr) {
            fail(path(key), "missing");
        }
        return *found;
    }
    std::string path(std::string_view key) const { return json::append_key(path_, key); }
    const boost::json::object& object() const { return *object_; }

  private:
    std::string path_;
    const boost::json::object* object_ = nullptr;
};

Id to_id(const boost::json::value& value, const std::string& path);
std::int64_t to_count(const boost::json::value& value, const std::string& path);
const boost::json::array& to_array(const boost::json::value& value, const std::string& path);
std::string to_text(const boost::json::value& value, const std::string& path);
std::string to_timestamp(const boost::json::value& value, const std::string& path);
Rules to_rules(const boost::json::value& value, const std::string& path);
Summary to_summary(const boost::json::value& value, const std::string& path);
ArchiveCoverage to_archive(const boost::json::value& value, const std::string& path);
// plan_read_sections.cpp
std::vector<AgeChart> to_ticket_ages(const boost::json::value& value, const std::string& path);
std::vector<ForecastDay> to_forecast(const boost::json::value& value, const std::string& path);

// known_rules: the names an entry's "rules" may hold (the plan's ticket rules and the engine's
// own).
Entry to_entry(const boost::json::value& value, const std::string& path,
               const std::vector<std::string>& known_rules);
ProtectedContact to_protected(const boost::json::value& value, const std::string& path);

}  // namespace gp::plan_read
