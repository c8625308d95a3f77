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

std::string PlanHandler::path() const {
    std::string out;
    for (const auto& frame : frames_) {
        out = frame.is_array ? index_path(out, frame.count - 1) : join_path(out, frame.key);
    }
    return out;
}

// Decides what a value that starts here is: the document, a header value or one list element to
// capture, or a part of the value being captured.
void PlanHandler::begin_value(bj::kind kind) {
    if (!frames_.empty() && frames_.back().is_array) {
        ++frames_.back().count;
    }
    if (capturing_) {
        return;
    }
    if (frames_.empty()) {
        if (kind != bj::kind::object) {
            not_a_plan("the document is not a JSON object");
        }
        return;
    }
    const std::string& key = frames_.front().key;
    if (frames_.size() == 1 && (key == "entries" || key == "protected")) {
        if (kind != bj::kind::array) {
            fail(key, "expected an array");
        }
        return;
    }
    capturing_ = true;
    capture_depth_ = frames_.size();
    capture_path_ = path();
    stack_.reset();
}

void PlanHandler::end_value() {
    if (!capturing_ || frames_.size() != capture_depth_) {
        return;
    }
    capturing_ = false;
    const bj::value value = stack_.release();
    if (capture_depth_ == 1) {
        header_value(frames_.front().key, value);
    } else {
        element(frames_.front().key, value);
    }
}

void PlanHandler::on_full_key() {
    Frame& frame = frames_.back();
    frame.key = text_;
    if (std::find(frame.keys.begin(), frame.keys.end(), text_) != frame.keys.end()) {
        fail(path(), "duplicate key");
    }
    frame.keys.push_back(text_);
    if (capturing_) {
        stack_.push_key(text_);
    } else {
        top_key(text_);
    }
}

// "format" and "format_version" first, so that the version is known before anything else is
// judged; the header before "entries", so that on_header comes before the first entry.
void PlanHandler::top_key(const std::string& key) {
    const std::size_t index = frames_.front().keys.size() - 1;
    if (index == 0 && key != "format") {
        not_a_plan("its first key is " + join_path("", key) + ", not format");
    }
    if (index == 1 && key != "format_version") {
        fail("format_version", "missing: it must be the second key, not " + join_path("", key));
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
            fail(join_path("summary.by_rule", count.rule), "not a ticket rule of the plan's rules");
        }
    }
    if (header_.ticket_ages) {
        for (std::size_t i = 0; i < header_.ticket_ages->size(); ++i) {
            const std::string& rule = (*header_.ticket_ages)[i].rule;
            if (std::find(known_rules_.begin(), known_rules_.end(), rule) == known_rules_.end()) {
                fail(index_path("ticket_ages", i) + ".rule",
                     "\"" + rule + "\" is not a ticket rule of the plan's rules");
            }
            for (std::size_t j = 0; j < i; ++j) {
                if ((*header_.ticket_ages)[j].rule == rule) {
                    fail(index_path("ticket_ages", i) + ".rule",
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

void PlanHandler::element(const std::string& list, const bj::value& value) {
    if (list == "entries") {
        Entry entry = to_entry(value, capture_path_, known_rules_);
        if (entry.contact_id <= last_entry_id_) {
            fail(join_path(capture_path_, "contact_id"),
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
    ProtectedContact contact = to_protected(value, capture_path_);
    const std::pair key{contact.contact_id, contact.reason};
    if (key <= last_protected_) {
        fail(capture_path_,
             "does not follow the previous one: protected contacts are sorted by "
             "contact_id, then reason, without repeats");
    }
    last_protected_ = key;
    if (visitor_.on_protected) {
        visitor_.on_protected(std::move(contact));
    }
}

void PlanHandler::end_list() {
    if (frames_.front().key == "entries") {
        entries_done_ = true;
    }
}

void PlanHandler::end_document() {
    if (frames_.front().keys.empty()) {
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
