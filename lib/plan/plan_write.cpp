// The plan writer: fixed key order and layout, written entry by entry so that a plan of any size
// costs one entry's text in memory.
#include "plan/plan.hpp"
#include "util/encoding.hpp"

#include <charconv>
#include <ostream>
#include <stdexcept>

namespace gp {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], 0 when the bytes there are not one
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), the same rule the reader's
// JSON parser applies.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned lead = byte(i);
    std::size_t length = 0;
    unsigned low = 0x80;
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) {
        return 0;
    }
    for (std::size_t k = i + 2; k < i + length; ++k) {
        if (byte(k) < 0x80 || byte(k) > 0xBF) {
            return 0;
        }
    }
    return length;
}

void append_control(std::string& out, unsigned char c) {
    switch (c) {
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            break;
    }
    out += "\\u00";
    out += hex_lower(std::string_view(reinterpret_cast<const char*>(&c), 1));
}

// Non-ASCII text passes through as UTF-8. A byte that is not valid UTF-8 becomes U+FFFD: the plan
// must stay readable JSON whatever a Freshdesk field held.
void append_string(std::string& out, std::string_view text) {
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c < 0x20) {
                append_control(out, c);
            } else {
                out += static_cast<char>(c);
            }
            ++i;
        } else if (const std::size_t n = utf8_sequence_length(text, i); n > 0) {
            out.append(text.substr(i, n));
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    out += '"';
}

void append_number(std::string& out, std::int64_t value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

// "" is written as null: a contact without email, a contact without updated_at.
void append_string_or_null(std::string& out, std::string_view text) {
    if (text.empty()) {
        out += "null";
    } else {
        append_string(out, text);
    }
}

void append_key(std::string& out, std::string_view indent, std::string_view key) {
    out += indent;
    append_string(out, key);
    out += ": ";
}

template <class T, class Append>
void append_inline_array(std::string& out, const std::vector<T>& items, Append append) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        append(out, items[i]);
    }
    out += ']';
}

void append_ids(std::string& out, const std::vector<Id>& ids) {
    append_inline_array(out, ids, append_number);
}

void append_step(std::string& out, const Step& step) {
    out += "{\"action\": ";
    append_string(out, to_string(step.action));
    switch (step.action) {
        case StepAction::delete_tickets:
        case StepAction::delete_archived_tickets:
            out += ", \"ticket_ids\": ";
            append_ids(out, step.ticket_ids);
            break;
        case StepAction::delete_contact:
            out += ", \"mode\": ";
            append_string(out, to_string(step.mode));
            break;
        case StepAction::mark_pending:
            out += ", \"since\": ";
            append_string(out, step.since);
            break;
        case StepAction::clear_pending:
        case StepAction::purge_soft_deleted:
            break;
    }
    out += '}';
}

void append_entry(std::string& out, const Entry& entry) {
    constexpr std::string_view indent = "      ";
    out += "    {\n";
    append_key(out, indent, "contact_id");
    append_number(out, entry.contact_id);
    out += ",\n";
    append_key(out, indent, "email_masked");
    append_string_or_null(out, entry.email_masked);
    out += ",\n";
    append_key(out, indent, "rules");
    append_inline_array(out, entry.rules,
                        [](std::string& o, const std::string& rule) { append_string(o, rule); });
    out += ",\n";
    append_key(out, indent, "reason");
    append_string(out, entry.reason);
    out += ",\n";
    append_key(out, indent, "expect");
    out += "{\"ticket_ids\": ";
    append_ids(out, entry.expect.ticket_ids);
    out += ", \"contact_updated_at\": ";
    append_string_or_null(out, entry.expect.contact_updated_at);
    out += "},\n";
    append_key(out, indent, "steps");
    if (entry.steps.empty()) {
        out += "[]\n";
    } else {
        out += "[\n";
        for (std::size_t i = 0; i < entry.steps.size(); ++i) {
            out += "        ";
            append_step(out, entry.steps[i]);
            out += i + 1 < entry.steps.size() ? ",\n" : "\n";
        }
        out += "      ]\n";
    }
    out += "    }";
}

void append_protected(std::string& out, const ProtectedContact& contact) {
    out += "    {\"contact_id\": ";
    append_number(out, contact.contact_id);
    out += ", \"reason\": ";
    append_string(out, to_string(contact.reason));
    out += ", \"detail\": ";
    append_string(out, contact.detail);
    out += '}';
}

void append_counts(std::string& out, const Summary& summary) {
    constexpr std::string_view indent = "    ";
    for (const SummaryCount& count : summary_counts) {
        append_key(out, indent, count.key);
        append_number(out, summary.*count.member);
        out += ",\n";
    }
}

void append_summary(std::string& out, const Summary& summary) {
    out += "{\n";
    append_counts(out, summary);
    append_key(out, "    ", "protected");
    out += '{';
    for (std::size_t r = 0; r < protection_reason_count; ++r) {
        out += r > 0 ? ", " : "";
        append_string(out, to_string(static_cast<ProtectionReason>(r)));
        out += ": ";
        append_number(out, summary.protected_counts[r]);
    }
    out += "},\n";
    append_key(out, "    ", "by_rule");
    if (summary.by_rule.empty()) {
        out += "{}\n";
    } else {
        out += "{\n";
        for (std::size_t i = 0; i < summary.by_rule.size(); ++i) {
            const auto& count = summary.by_rule[i];
            append_key(out, "      ", count.rule);
            out += "{\"contacts\": ";
            append_number(out, count.contacts);
            out += ", \"tickets\": ";
            append_number(out, count.tickets);
            out += i + 1 < summary.by_rule.size() ? "},\n" : "}\n";
        }
        out += "    }\n";
    }
    out += "  }";
}

// docs/plan.md, `archive`: what the plan knows of archived tickets; a budget of -1 is "all".
void append_archive(std::string& out, const ArchiveCoverage& archive) {
    constexpr std::string_view indent = "    ";
    out += "{\n";
    append_key(out, indent, "feature");
    out += !archive.feature ? "null" : *archive.feature ? "true" : "false";
    out += ",\n";
    append_key(out, indent, "complete");
    out += archive.complete ? "true" : "false";
    const std::pair<std::string_view, std::int64_t> counts[] = {
        {"highest_id", archive.highest_id}, {"archived_known", archive.archived_known},
        {"gone_known", archive.gone_known}, {"unprobed", archive.unprobed},
        {"probes", archive.probes},
    };
    for (const auto& [name, value] : counts) {
        out += ",\n";
        append_key(out, indent, name);
        append_number(out, value);
    }
    out += ",\n";
    append_key(out, indent, "budget");
    if (archive.budget == -1) {
        append_string(out, "all");
    } else {
        append_number(out, archive.budget);
    }
    out += "\n  }";
}

// docs/plan.md, `ticket_ages`: one line per rule.
void append_ticket_ages(std::string& out, const std::vector<AgeChart>& charts) {
    if (charts.empty()) {
        out += "[]";
        return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < charts.size(); ++i) {
        const AgeChart& chart = charts[i];
        out += "    {\"rule\": ";
        append_string(out, chart.rule);
        out += ", \"since\": ";
        append_string(out, to_string(chart.since));
        out += ", \"threshold_days\": ";
        append_number(out, chart.threshold_days);
        out += ", \"bucket_days\": ";
        append_number(out, chart.bucket_days);
        out += ", \"counts\": [";
        for (std::size_t b = 0; b < chart.counts.size(); ++b) {
            out += b > 0 ? ", " : "";
            append_number(out, chart.counts[b]);
        }
        out += "], \"older\": ";
        append_number(out, chart.older);
        out += ", \"open\": ";
        append_number(out, chart.open);
        out += i + 1 < charts.size() ? "},\n" : "}\n";
    }
    out += "  ]";
}

// docs/plan.md, `forecast`: one line per day.
void append_forecast(std::string& out, const std::vector<ForecastDay>& days) {
    if (days.empty()) {
        out += "[]";
        return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < days.size(); ++i) {
        const ForecastDay& day = days[i];
        out += "    {\"date\": ";
        append_string(out, day.date);
        const std::pair<std::string_view, std::int64_t> counts[] = {
            {"tickets", day.tickets},
            {"archived_tickets", day.archived_tickets},
            {"contacts", day.contacts},
            {"marked", day.marked},
            {"purged", day.purged}};
        for (const auto& [name, value] : counts) {
            out += ", ";
            append_string(out, name);
            out += ": ";
            append_number(out, value);
        }
        out += i + 1 < days.size() ? "},\n" : "}\n";
    }
    out += "  ]";
}

void append_header(std::string& out, const PlanHeader& header) {
    constexpr std::string_view indent = "  ";
    out += "{\n";
    append_key(out, indent, "format");
    append_string(out, plan_format_name);
    out += ",\n";
    append_key(out, indent, "format_version");
    append_number(out, header.format_version);
    const std::pair<std::string_view, const std::string*> texts[] = {
        {"generated_at", &header.generated_at},
        {"as_of", &header.as_of},
        {"account", &header.account},
        {"rules_sha256", &header.rules_sha256},
    };
    for (const auto& [name, text] : texts) {
        out += ",\n";
        append_key(out, indent, name);
        append_string(out, *text);
        if (name == "as_of" && !header.read_started_at.empty()) {
            out += ",\n";
            append_key(out, indent, "read_started_at");
            append_string(out, header.read_started_at);
            out += ",\n";
            append_key(out, indent, "highest_ticket_id");
            append_number(out, header.highest_ticket_id);
        }
    }
    out += ",\n";
    append_key(out, indent, "rules");
    out += canonical_json(header.rules);
    out += ",\n";
    append_key(out, indent, "summary");
    append_summary(out, header.summary);
    out += ",\n";
    if (header.archive) {
        append_key(out, indent, "archive");
        append_archive(out, *header.archive);
        out += ",\n";
    }
    if (header.ticket_ages) {
        append_key(out, indent, "ticket_ages");
        append_ticket_ages(out, *header.ticket_ages);
        out += ",\n";
    }
    if (header.forecast) {
        append_key(out, indent, "forecast");
        append_forecast(out, *header.forecast);
        out += ",\n";
    }
}

// Writes "name": [ items ], one item per chunk, each item rendered into the reused buffer.
template <class T, class Append>
void write_list(std::ostream& out, std::string& buffer, std::string_view name,
                const std::vector<T>& items, Append append) {
    buffer.clear();
    append_key(buffer, "  ", name);
    buffer += items.empty() ? "[]" : "[\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
        append(buffer, items[i]);
        buffer += i + 1 < items.size() ? ",\n" : "\n";
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        buffer.clear();
    }
    buffer += items.empty() ? "" : "  ]";
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace

void write_plan(std::ostream& out, const Plan& plan) {
    std::string buffer;
    append_header(buffer, plan.header);
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    write_list(out, buffer, "entries", plan.entries, append_entry);
    out << ",\n";
    write_list(out, buffer, "protected", plan.protected_contacts, append_protected);
    out << "\n}\n";
    out.flush();
    if (!out) {
        // A truncated plan must not pass for a written one (a full disk, a closed pipe).
        throw std::runtime_error("the plan could not be written completely");
    }
}

}  // namespace gp
