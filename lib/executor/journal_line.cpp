// The journal's lines (docs/apply.md, "The journal"): a step record or a signature line written
// in its fixed key order, and read back strictly, for read_journal() and verify.
#include "executor/journal.hpp"
#include "executor/journal_detail.hpp"

#include "json/strict.hpp"
#include "time/time.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace gp::executor {

namespace json = boost::json;

namespace {

constexpr std::array<std::pair<Outcome, std::string_view>, 6> outcome_names{{
    {Outcome::done, "done"},
    {Outcome::skipped, "skipped"},
    {Outcome::failed, "failed"},
    {Outcome::started, "started"},
    {Outcome::not_restorable, "not_restorable"},
    {Outcome::lost, "lost"},
}};

constexpr std::array<std::pair<JournalSource, std::string_view>, 2> source_names{{
    {JournalSource::plan, "plan_sha256"},
    {JournalSource::journal, "journal_sha256"},
}};
constexpr std::string_view plan_key = source_names[0].second;
constexpr std::string_view journal_key = source_names[1].second;

bool lists_tickets(const JournalRecord& record) {
    return !record.ticket_ids.empty() || record.action == to_string(StepAction::delete_tickets) ||
           record.action == to_string(StepAction::delete_archived_tickets) ||
           record.action == restore_tickets_action;
}

}  // namespace

std::string_view to_string(JournalSource source) {
    for (const auto& [value, name] : source_names) {
        if (value == source) {
            return name;
        }
    }
    throw std::invalid_argument("journal: a source that is neither a plan nor a journal");
}

std::string_view to_string(Outcome outcome) {
    for (const auto& [value, name] : outcome_names) {
        if (value == outcome) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Outcome> parse_outcome(std::string_view text) {
    for (const auto& [value, name] : outcome_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

std::string to_json_line(const JournalRecord& record) {
    return to_json_line(record, {});
}

std::string to_json_line(const JournalRecord& record, std::string_view prev) {
    json::object o;
    o["ts"] = record.ts;
    o["run"] = record.run;
    o["account"] = record.account;
    o[to_string(record.source)] = record.source_sha256;
    if (!prev.empty()) {
        o["prev"] = prev;
    }
    o["contact_id"] = record.contact_id;
    o["step"] = record.step ? json::value(*record.step) : json::value(nullptr);
    if (!record.action.empty()) {
        o["action"] = record.action;
    }
    if (lists_tickets(record)) {
        o["ticket_ids"] = json::array(record.ticket_ids.begin(), record.ticket_ids.end());
    }
    if (record.permanent) {
        o["permanent"] = true;
    }
    if (record.mode) {
        o["mode"] = to_string(*record.mode);
    }
    if (!record.since.empty()) {
        o["since"] = record.since;
    }
    if (!record.job_id.empty()) {
        o["job_id"] = record.job_id;
    }
    o["outcome"] = to_string(record.outcome);
    if (!record.reason.empty()) {
        o["reason"] = record.reason;
    }
    if (record.status != 0) {
        o["status"] = record.status;
    }
    if (!record.code.empty()) {
        o["code"] = record.code;
    }
    return json::serialize(o);
}

std::string to_json_line(const JournalSignature& signature) {
    json::object o;
    o["ts"] = signature.ts;
    o["run"] = signature.run;
    o["account"] = signature.account;
    o[to_string(signature.source)] = signature.source_sha256;
    o["prev"] = signature.prev;
    json::object sig;
    sig["alg"] = signature.alg;
    sig["key_id"] = signature.key_id;
    sig["sig"] = signature.sig;
    o["signature"] = std::move(sig);
    return json::serialize(o);
}

std::string signed_message(const JournalSignature& signature) {
    std::string out = "gdpr-purge journal signature 1\n";
    const auto field = [&](std::string_view name, std::string_view value) {
        out += name;
        out += ' ';
        out += std::to_string(value.size());
        out += ' ';
        out += value;
        out += '\n';
    };
    field("alg", signature.alg);
    field("key_id", signature.key_id);
    field("ts", signature.ts);
    field("run", signature.run);
    field("account", signature.account);
    field(to_string(signature.source), signature.source_sha256);
    field("prev", signature.prev);
    return out;
}

// ---- Reading

namespace {

using detail::LineError;

const json::value* find(const json::object& o, std::string_view key) {
    const auto it = o.find(key);
    return it == o.end() ? nullptr : &it->value();
}

// Whether a key may be absent (its value then reads as "").
enum class Key { required, optional };

std::string string_at(const json::object& o, std::string_view key, Key presence) {
    const json::value* v = find(o, key);
    if (v == nullptr) {
        if (presence == Key::required) {
            throw LineError{"missing key \"" + std::string(key) + "\""};
        }
        return {};
    }
    if (!v->is_string()) {
        throw LineError{std::string(key) + ": not a string"};
    }
    return std::string(v->get_string());
}

using gp::json::integer_of;

std::int64_t integer_at(const json::object& o, std::string_view key, std::int64_t min,
                        std::int64_t max) {
    const json::value* v = find(o, key);
    if (v == nullptr) {
        throw LineError{"missing key \"" + std::string(key) + "\""};
    }
    const auto n = integer_of(*v);
    if (!n || *n < min || *n > max) {
        throw LineError{std::string(key) + ": not an integer in range"};
    }
    return *n;
}

void read_source(const json::object& o, JournalRecord& r) {
    const bool plan = o.contains(plan_key);
    const bool journal = o.contains(journal_key);
    if (plan == journal) {
        throw LineError{"exactly one of \"plan_sha256\" and \"journal_sha256\" is required"};
    }
    r.source = plan ? JournalSource::plan : JournalSource::journal;
    r.source_sha256 = string_at(o, to_string(r.source), Key::required);
}

void read_action(const json::object& o, JournalRecord& r) {
    r.action = string_at(o, "action", Key::optional);
    if (!r.action.empty() && !parse_step_action(r.action) && r.action != restore_contact_action &&
        r.action != restore_tickets_action) {
        throw LineError{"action: unknown action"};
    }
    if (const json::value* v = find(o, "ticket_ids")) {
        if (!v->is_array()) {
            throw LineError{"ticket_ids: not an array"};
        }
        for (const json::value& item : v->get_array()) {
            const auto id = integer_of(item);
            if (!id || *id <= 0) {
                throw LineError{"ticket_ids: not an array of positive integers"};
            }
            r.ticket_ids.push_back(*id);
        }
    }
    if (const json::value* v = find(o, "permanent")) {
        if (!v->is_bool()) {
            throw LineError{"permanent: not a boolean"};
        }
        r.permanent = v->get_bool();
        if (r.permanent && r.action != to_string(StepAction::delete_archived_tickets)) {
            throw LineError{"permanent: only a delete_archived_tickets record is permanent"};
        }
    }
    if (find(o, "mode") != nullptr) {
        r.mode = parse_delete_mode(string_at(o, "mode", Key::required));
        if (!r.mode) {
            throw LineError{"mode: neither \"hard\" nor \"soft\""};
        }
    }
    r.since = string_at(o, "since", Key::optional);
    r.job_id = string_at(o, "job_id", Key::optional);
}

JournalRecord record_of(const json::object& o) {
    JournalRecord r;
    r.ts = string_at(o, "ts", Key::required);
    if (!parse_timestamp(r.ts)) {
        throw LineError{"ts: not a timestamp YYYY-MM-DDTHH:MM:SSZ"};
    }
    r.run = string_at(o, "run", Key::required);
    r.account = string_at(o, "account", Key::optional);
    read_source(o, r);
    r.contact_id = integer_at(o, "contact_id", 1, INT64_MAX);
    if (const json::value* step = find(o, "step"); step != nullptr && !step->is_null()) {
        r.step = static_cast<int>(integer_at(o, "step", 0, INT32_MAX));
    }
    read_action(o, r);
    const auto outcome = parse_outcome(string_at(o, "outcome", Key::required));
    if (!outcome) {
        throw LineError{"outcome: unknown outcome"};
    }
    r.outcome = *outcome;
    r.reason = string_at(o, "reason", Key::optional);
    if (find(o, "status") != nullptr) {
        r.status = static_cast<int>(integer_at(o, "status", 0, 999));
    }
    r.code = string_at(o, "code", Key::optional);
    return r;
}

std::string prev_of(const json::object& o, Key presence) {
    if (find(o, "prev") == nullptr && presence == Key::optional) {
        return {};
    }
    std::string prev = string_at(o, "prev", Key::required);
    if (!detail::is_sha256_hex(prev)) {
        throw LineError{"prev: not a SHA-256 (64 lower-case hex digits)"};
    }
    return prev;
}

// A signature line: exactly its keys, each of its form (a signature is checked byte for byte,
// so nothing else may ride along unsigned).
JournalSignature signature_of(const json::object& o) {
    JournalSignature s;
    for (const auto& item : o) {
        const std::string_view key = item.key();
        if (key != "ts" && key != "run" && key != "account" && key != plan_key &&
            key != journal_key && key != "prev" && key != "signature") {
            throw LineError{"a signature line has no key \"" + std::string(key) + "\""};
        }
    }
    s.ts = string_at(o, "ts", Key::required);
    if (!parse_timestamp(s.ts)) {
        throw LineError{"ts: not a timestamp YYYY-MM-DDTHH:MM:SSZ"};
    }
    s.run = string_at(o, "run", Key::required);
    s.account = string_at(o, "account", Key::required);
    JournalRecord source;
    read_source(o, source);
    s.source = source.source;
    s.source_sha256 = source.source_sha256;
    s.prev = prev_of(o, Key::required);
    const json::value& v = o.at("signature");
    if (!v.is_object()) {
        throw LineError{"signature: not an object"};
    }
    const json::object& sig = v.get_object();
    if (sig.size() != 3) {
        throw LineError{"signature: exactly \"alg\", \"key_id\" and \"sig\" are required"};
    }
    s.alg = string_at(sig, "alg", Key::required);
    if (s.alg != "ed25519") {
        throw LineError{"signature.alg: not \"ed25519\""};
    }
    s.key_id = string_at(sig, "key_id", Key::required);
    if (!detail::is_sha256_hex(s.key_id)) {
        throw LineError{"signature.key_id: not a SHA-256 (64 lower-case hex digits)"};
    }
    s.sig = string_at(sig, "sig", Key::required);
    if (!detail::is_lower_hex(s.sig, 128)) {
        throw LineError{"signature.sig: not an Ed25519 signature (128 lower-case hex digits)"};
    }
    return s;
}

}  // namespace

namespace detail {

bool is_lower_hex(std::string_view text, std::size_t digits) {
    return text.size() == digits && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool is_sha256_hex(std::string_view text) {
    return is_lower_hex(text, 64);
}

// Strictly, like every other input: a duplicate key is an error, not a guess at which counts.
JournalLine parse_journal_line(std::string_view line) {
    std::string error;
    const std::optional<json::object> object = gp::json::parse_object_line(line, error);
    if (!object) {
        throw LineError{error};
    }
    JournalLine out;
    if (object->contains("signature")) {
        out.signature = signature_of(*object);
        out.prev = out.signature->prev;
        return out;
    }
    out.record = record_of(*object);
    if (std::string prev = prev_of(*object, Key::optional); !prev.empty()) {
        out.prev = std::move(prev);
    }
    return out;
}

}  // namespace detail

}  // namespace gp::executor
