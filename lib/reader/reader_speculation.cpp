// Which contacts to view while the tickets pass runs (docs/reading.md, "The reads, in order", 6b).
#include "reader/reader_speculation.hpp"

#include "archive/index.hpp"
#include "engine/engine.hpp"
#include "util/sorted.hpp"

#include <algorithm>

namespace gp::reader::detail {

namespace {

// Contacts become rule candidates in batches of this many (one evaluate() each), or every this
// many pages of the pass.
constexpr std::size_t batch_contacts = 64;
constexpr std::int64_t batch_pages = 10;
// Speculation stops for the rest of the pass once more than 1 in revisit_share of the contacts it
// viewed (and more than revisit_floor) show a live ticket after their view was asked for: on this
// account contacts come back after a quiet year more often than speculation assumes, and views
// would be wasted.
constexpr std::int64_t revisit_floor = 10;
constexpr std::int64_t revisit_share = 20;
// The orphan candidates (contacts of orphan age that no ticket names) are viewed once the pass
// reaches the tickets updated in this last stretch before now: a contact not updated for the
// orphan age whose first ticket is that recent is rare.
constexpr std::int64_t orphans_before_now = 90 * seconds_per_day;

}  // namespace

Speculation::Speculation(const ReadOptions& options, const Rules& rules, const Snapshot& names,
                         Ask ask, Aged aged)
    : options_(options), rules_(rules), ask_(std::move(ask)), aged_(std::move(aged)) {
    active_ = options.speculate;
    tag_rules_ = rules.has_tag_condition();
    present_ = now_of(options);
    for (const Agent& agent : names.agents) {
        agents_.push_back(agent.id);
    }
    std::sort(agents_.begin(), agents_.end());
    if (rules.takes_orphans()) {
        orphans_from_ = present_ - orphans_before_now;
    }
    if (active_ && options.archive != nullptr && options.archive->archived_count() > 0) {
        // Their archived tickets are not in the pass: such contacts wait for the exact reading.
        options.archive->for_each_archived([&](const TicketRecord& ticket) {
            archived_requesters_.push_back(ticket.requester_id);
        });
        sort_unique(archived_requesters_);
    }
}

bool Speculation::is_agent(Id id) const {
    return std::binary_search(agents_.begin(), agents_.end(), id);
}

bool Speculation::has_archived(Id id) const {
    return std::binary_search(archived_requesters_.begin(), archived_requesters_.end(), id);
}

void Speculation::added(const Snapshot& snapshot, std::size_t index, bool has_tags) {
    if (!active_) {
        return;
    }
    const Ticket& ticket = snapshot.tickets()[index];
    previous_.resize(index + 1, 0);
    Who& w = who_[ticket.requester_id];
    previous_[index] = w.head;
    w.head = static_cast<std::uint32_t>(index + 1);
    ++w.count;
    if (!has_tags && tag_rules_) {
        // Tags read one by one later (rule_candidates): no rule can be judged on the list's rows.
        active_ = false;
        return;
    }
    if (!ticket.live()) {
        return;  // the trash and spam: no rule reads them, and they are not the pass's clock
    }
    if (w.viewed) {
        ++revisits_;
    }
    w.last_seen = std::max(w.last_seen, ticket.updated_at);
    cursor_ = std::max(cursor_, ticket.updated_at);
    quiet_.emplace_back(ticket.updated_at, ticket.requester_id);
    if (++live_rows_ % list_page_size == 0) {
        step(snapshot);
    }
}

// After each page of the pass: the contacts quiet for quiet_seconds whose tickets changed since
// the rules last looked at them are judged, in batches; near the pass's end, the orphans.
void Speculation::step(const Snapshot& snapshot) {
    if (revisits_ > std::max(revisit_floor, speculated_ / revisit_share)) {
        active_ = false;
        quiet_.clear();
        batch_.clear();
        return;
    }
    // Quiet for a year, or, near the pass's end, for 3 times what is left to read.
    const UnixTime needed =
        std::clamp<UnixTime>(quiet_factor * (present_ - cursor_), quiet_least, quiet_seconds);
    const UnixTime until = cursor_ - needed;
    while (!quiet_.empty() && quiet_.front().first <= until) {
        const auto [at, id] = quiet_.front();
        quiet_.pop_front();
        const Who& w = who_[id];
        // A later ticket of the contact has its own entry further on.
        if (w.last_seen == at && !w.viewed && w.evaluated != w.count && !is_agent(id) &&
            !has_archived(id)) {
            batch_.push_back(id);
        }
    }
    ++pages_since_batch_;
    if (batch_.size() >= batch_contacts || (!batch_.empty() && pages_since_batch_ >= batch_pages)) {
        evaluate_batch(snapshot, until);
    }
    if (orphans_from_ != no_time && cursor_ >= orphans_from_) {
        speculate_orphans();
    }
}

// The orphan-aged contacts that no ticket read so far names (live, trash or spam), once the
// lists have them.
void Speculation::speculate_orphans() {
    const std::optional<std::vector<Id>> aged = aged_();
    if (!aged) {
        return;  // at the next page
    }
    orphans_from_ = no_time;
    std::vector<Id> ids;
    for (Id id : *aged) {
        if (who_.count(id) != 0 || is_agent(id) || has_archived(id)) {
            continue;  // a ticket already (or perhaps an archived one): no orphan
        }
        Who& w = who_[id];
        w.viewed = true;
        ++speculated_;
        ids.push_back(id);
    }
    ask_(ids);
}

// The rules on the batch's contacts (id-only, as rule_candidates() judges them) and every ticket
// of theirs read so far: those an entry names are viewed.
void Speculation::evaluate_batch(const Snapshot& snapshot, UnixTime until) {
    Snapshot part;
    part.agents = snapshot.agents;
    part.groups = snapshot.groups;
    part.companies = snapshot.companies;
    part.ticket_types = snapshot.ticket_types;
    part.archive_complete = true;
    sort_unique(batch_);
    for (Id id : batch_) {
        Who& w = who_[id];
        if (w.viewed || w.last_seen > until || w.evaluated == w.count) {
            continue;  // viewed meanwhile, or a new ticket: it comes back once quiet again
        }
        w.evaluated = w.count;
        for (std::uint32_t i = w.head; i != 0; i = previous_[i - 1]) {
            part.add_ticket(snapshot.record_of(snapshot.tickets()[i - 1]));
        }
        Contact contact;
        contact.id = id;
        part.contacts.push_back(std::move(contact));
    }
    batch_.clear();
    pages_since_batch_ = 0;
    if (part.contacts.empty()) {
        return;
    }
    const Plan plan = evaluate(part, rules_, candidates_horizon(options_));
    std::vector<Id> take;
    for (const Entry& entry : plan.entries) {
        take.push_back(entry.contact_id);
    }
    if (options_.view_protected) {
        for (const ProtectedContact& item : plan.protected_contacts) {
            take.push_back(item.contact_id);
        }
    }
    std::vector<Id> ids;
    for (Id id : take) {
        Who& w = who_[id];
        if (!w.viewed) {
            w.viewed = true;
            ++speculated_;
            ids.push_back(id);
        }
    }
    ask_(ids);
}

}  // namespace gp::reader::detail
