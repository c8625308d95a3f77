// The review page's data block, which the script draws the tables from (docs/review.md, "Large
// plans"): compact arrays, one line per entry; and the escaping every part of the page uses.
#include "review/review_detail.hpp"

#include "util/text.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <ostream>
#include <unordered_map>

namespace gp::review::detail {

std::string html(std::string_view text) {
    return html_escape(text);
}

std::string json_string(std::string_view text) {
    const std::string json = boost::json::serialize(boost::json::string(text));
    std::string out;
    out.reserve(json.size());
    for (const char c : json) {
        if (c == '<') {
            out += "\\u003c";
        } else {
            out += c;
        }
    }
    return out;
}

std::string count(std::int64_t value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), ",");
    }
    return value < 0 ? "-" + digits : digits;
}

namespace {

std::string step_code(const Step& step) {
    switch (step.action) {
        case StepAction::delete_tickets:
            return "T" + std::to_string(step.ticket_ids.size());
        case StepAction::delete_archived_tickets:
            return "A" + std::to_string(step.ticket_ids.size());
        case StepAction::delete_contact:
            return step.mode == DeleteMode::hard ? "CH" : "CS";
        case StepAction::mark_pending:
            return "M" + step.since;
        case StepAction::clear_pending:
            return "X";
        case StepAction::purge_soft_deleted:
            return "P";
    }
    return "";
}

}  // namespace

void write_data(std::ostream& out, const Plan& plan, const JournalView* view) {
    std::vector<std::string> rule_names;
    std::unordered_map<std::string, std::size_t> rule_index;
    const auto index_of = [&](const std::string& name) {
        const auto [it, added] = rule_index.emplace(name, rule_names.size());
        if (added) {
            rule_names.push_back(name);
        }
        return it->second;
    };
    out << "<script type=\"application/json\" id=\"gp-data\">{\"entries\":[";
    std::string line;
    for (std::size_t i = 0; i < plan.entries.size(); ++i) {
        const Entry& e = plan.entries[i];
        line = i == 0 ? "\n[" : ",\n[";
        line += std::to_string(e.contact_id) + ",";
        line += e.email_masked.empty() ? "null" : json_string(e.email_masked);
        line += ",[";
        for (std::size_t r = 0; r < e.rules.size(); ++r) {
            line += (r > 0 ? "," : "") + std::to_string(index_of(e.rules[r]));
        }
        line += "]," + json_string(e.reason) + ",\"";
        for (std::size_t s = 0; s < e.steps.size(); ++s) {
            line += (s > 0 ? " " : "") + step_code(e.steps[s]);
        }
        line += "\"";
        if (view != nullptr) {
            line += "," + std::to_string(static_cast<int>(view->states[i]));
        }
        line += "]";
        out << line;
    }
    out << "],\n\"rules\":[";
    for (std::size_t r = 0; r < rule_names.size(); ++r) {
        out << (r > 0 ? "," : "") << json_string(rule_names[r]);
    }
    out << "],\n\"states\":[";
    if (view != nullptr) {
        for (int s = 0; s < 5; ++s) {
            out << (s > 0 ? "," : "") << json_string(to_string(static_cast<EntryState>(s)));
        }
    }
    out << "],\n\"reasons\":[";
    for (std::size_t r = 0; r < protection_reason_count; ++r) {
        out << (r > 0 ? "," : "") << json_string(to_string(static_cast<ProtectionReason>(r)));
    }
    out << "],\n\"protected\":[";
    for (std::size_t i = 0; i < plan.protected_contacts.size(); ++i) {
        const ProtectedContact& p = plan.protected_contacts[i];
        out << (i > 0 ? ",\n[" : "\n[") << p.contact_id << "," << static_cast<int>(p.reason) << ","
            << json_string(p.detail) << "]";
    }
    out << "]}</script>\n";
}

}  // namespace gp::review::detail
