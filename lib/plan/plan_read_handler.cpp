#include "plan/plan_read_handler.hpp"

#include "plan/plan_read_values.hpp"

#include <algorithm>
#include <array>

namespace gp::plan_read {

namespace {

constexpr std::array<std::string_view, 6> header_keys{"generated_at", "as_of", "account",
                                                      "rules_sha256", "rules", "summary"};
// Optional header keys: absent from plans written before archived tickets were read (archive),
// before the review page (ticket_ages), or without --forecast.
constexpr std::array<std::string_view, 5> optional_header_keys{
    "read_started_at", "highest_ticket_id", "archive", "ticket_ages", "forecast"};

[[noreturn]] void not_a_plan(const std::string& why) {
    throw PlanFormatError("not a gdpr-purge plan: " + why);
}

void check_version(const bj::value& value) {
    if (!value.is_int64() && !value.is_uint64()) {
        fail("format_version", "expected an integer, got " + describe(value));
    }
    if (!value.is_int64() || value.get_int64() != plan_format_version) {
        throw PlanVersionError("plan format_version " + describe(value) +
                               ": this gdpr-purge reads format_version " +
                               std::to_string(plan_format_version) +
                               " only; use a gdpr-purge release that matches the plan");
    }
}

}  // namespace

// The document must be an object; "entries" and "protected" are walked into, element by element;
// every other value is captured whole.
bool PlanHandler::begin(std::size_t depth, const std::string&, bj::kind kind) {
    if (depth == 0) {
        if (kind != bj::kind::object) {
            not_a_plan("the document is not a JSON object");
        }
        return false;
    }
    const std::string& key = keys_.back();
    if (depth == 1 && (key == "entries" || key == "protected")) {
        if (kind != bj::kind::array) {
            fail(key, "expected an array");
        }
        return false;
    }
    return true;
}

void PlanHandler::key(std::size_t, const std::string& key) {
    keys_.push_back(key);  // the reader refused a repeated key already
    top_key(key);
}

void PlanHandler::value(std::size_t depth, const std::string& path, bj::value&& value) {
    if (depth == 1) {
        header_value(keys_.back(), value);
    } else {
        element(keys_.back(), path, value);
    }
}

void PlanHandler::end(std::size_t depth, bj::kind) {
    if (depth == 0) {
        end_document();
    } else if (keys_.back() == "entries") {
        entries_done_ = true;
    }
}

// "format" and "format_version" first, so that the version is known before anything else is
// judged; the header before "entries", so that on_header comes before the first entry.
void PlanHandler::top_key(const std::string& key) {
    const std::size_t index = keys_.size() - 1;
    if (index == 0 && key != "format") {
        not_a_plan("its first key is " + json::append_key("", key) + ", not format");
    }
    if (index == 1 && key != "format_version") {
        fail("format_version",
             "missing: it must be the second key, not " + json::append_key("", key));
    }
    if (key == "entries") {
        start_entries();
    } else if (key == "protected") {
        if (!entries_done_) {
            fail(key, "must come after entries");
        }
    } else if (std::find(optional_header_keys.begin(), optional_header_keys.end(), key) !=
               optional_header_keys.end()) {
        if (seen("entries")) {
            fail(key, "must come before entries (it is part of the header)");
        }
    } else if (index > 1 &&
               std::find(header_keys.begin(), header_keys.end(), key) == header_keys.end()) {
        // A header key after entries cannot get here: start_entries has required it already.
        fail(key, "unknown key");
    }
}

void PlanHandler::header_value(const std::string& key, const bj::value& value) {
    if (key == "format") {
        if (!value.is_string() || value.get_string() != plan_format_name) {
            not_a_plan("format is " + describe(value) + ", not \"" + std::string(plan_format_name) +
                       "\"");
        }
    } else if (key == "format_version") {
        check_version(value);
        header_.format_version = plan_format_version;
    } else if (key == "generated_at") {
        header_.generated_at = to_timestamp(value, key);
    } else if (key == "as_of") {
        header_.as_of = to_timestamp(value, key);
    } else if (key == "read_started_at") {
        header_.read_started_at = to_timestamp(value, key);
    } else if (key == "highest_ticket_id") {
        header_.highest_ticket_id = to_count(value, key);
    } else if (key == "account") {
        header_.account = to_text(value, key);
        if (header_.account.empty()) {
            fail(key, "empty");
        }
    } else if (key == "rules_sha256") {
        header_.rules_sha256 = to_text(value, key);
    } else if (key == "rules") {
        header_.rules = to_rules(value, key);
    } else if (key == "summary") {
        header_.summary = to_summary(value, key);
    } else if (key == "archive") {
        header_.archive = to_archive(value, key);
    } else if (key == "ticket_ages") {
        header_.ticket_ages = to_ticket_ages(value, key);
    } else if (key == "forecast") {
        header_.forecast = to_forecast(value, key);
    }
}

void PlanHandler::require_header(std::string_view why) const {
    if (!seen("format_version")) {
        fail("format_version", "missing");
    }
    for (const auto key : header_keys) {
        if (!seen(key)) {
            fail(key, std::string("missing") + std::string(why));
        }
    }
}

void PlanHandler::start_entries() {
    require_header(" (the header comes before entries)");
    const std::string expected = rules_sha256(header_.rules);
    if (header_.rules_sha256 != expected) {
        fail("rules_sha256", "does not match the rules: the plan says \"" + header_.rules_sha256 +
                                 "\", the rules hash to \"" + expected + "\"");
    }
    for (const auto& rule : header_.rules.ticket_rules) {
        known_rules_.push_back(rule.name);
    }
    for (const auto& count : header_.summary.by_rule) {
        if (std::find(known_rules_.begin(), known_rules_.end(), count.rule) == known_rules_.end()) {
            fail(json::append_key("summary.by_rule", count.rule),
                 "not a ticket rule of the plan's rules");
        }
    }
    if (header_.ticket_ages) {
        for (std::size_t i = 0; i < header_.ticket_ages->size(); ++i) {
            const std::string& rule = (*header_.ticket_ages)[i].rule;
            if (std::find(known_rules_.begin(), known_rules_.end(), rule) == known_rules_.end()) {
                fail(json::append_index("ticket_ages", i) + ".rule",
                     "\"" + rule + "\" is not a ticket rule of the plan's rules");
            }
            for (std::size_t j = 0; j < i; ++j) {
                if ((*header_.ticket_ages)[j].rule == rule) {
                    fail(json::append_index("ticket_ages", i) + ".rule",
                         "\"" + rule + "\" has a chart already (ticket_ages[" + std::to_string(j) +
                             "])");
                }
            }
        }
    }
    for (EngineRule rule : engine_rules) {
        known_rules_.emplace_back(to_string(rule));
    }
    if (visitor_.on_header) {
        visitor_.on_header(header_);
    }
}

void PlanHandler::element(const std::string& list, const std::string& path,
                          const bj::value& value) {
    if (list == "entries") {
        Entry entry = to_entry(value, path, known_rules_);
        if (entry.contact_id <= last_entry_id_) {
            fail(json::append_key(path, "contact_id"),
                 std::to_string(entry.contact_id) + " does not follow " +
                     std::to_string(last_entry_id_) +
                     ": entries are sorted by contact_id, one per contact");
        }
        last_entry_id_ = entry.contact_id;
        if (visitor_.on_entry) {
            visitor_.on_entry(std::move(entry));
        }
        return;
    }
    ProtectedContact contact = to_protected(value, path);
    const std::pair key{contact.contact_id, contact.reason};
    if (key <= last_protected_) {
        fail(path,
             "does not follow the previous one: protected contacts are sorted by "
             "contact_id, then reason, without repeats");
    }
    last_protected_ = key;
    if (visitor_.on_protected) {
        visitor_.on_protected(std::move(contact));
    }
}

void PlanHandler::end_document() {
    if (keys_.empty()) {
        not_a_plan("an empty object");
    }
    require_header("");
    for (const std::string_view key : {"entries", "protected"}) {
        if (!seen(key)) {
            fail(key, "missing");
        }
    }
}

}  // namespace gp::plan_read
