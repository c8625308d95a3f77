#include "engine/engine.hpp"

#include "engine/resolve.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <stdexcept>

namespace gp {

namespace {

std::string join_problems(const std::vector<RulesProblem>& problems) {
    std::string text;
    for (const auto& problem : problems) {
        text += (text.empty() ? "" : "; ") + to_string(problem);
    }
    return text;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && normalize_name(text.substr(0, prefix.size())) == prefix;
}

}  // namespace

RulesResolutionError::RulesResolutionError(std::vector<RulesProblem> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

bool has_tag(const std::vector<std::string>& tags, std::string_view tag) {
    const std::string wanted = normalize_name(tag);
    return std::any_of(tags.begin(), tags.end(),
                       [&](const std::string& t) { return normalize_name(t) == wanted; });
}

std::string pending_tag(UnixTime day) {
    return std::string(pending_tag_prefix) + format_date(day);
}

std::optional<UnixTime> pending_since(const std::vector<std::string>& tags) {
    std::optional<UnixTime> latest;
    for (const auto& tag : tags) {
        const auto text = trim(tag);
        if (!starts_with_ignoring_case(text, pending_tag_prefix)) {
            continue;
        }
        const auto day = parse_date(text.substr(pending_tag_prefix.size()));
        if (day && (!latest || *day > *latest)) {
            latest = day;
        }
    }
    return latest;
}

namespace {

using engine_detail::ResolvedRule;
using engine_detail::ResolvedRules;

struct ContactTickets {
    std::vector<const Ticket*> all;   // every ticket the account shows: live, trash, spam
    std::vector<const Ticket*> live;  // ascending id
};

// What the rules select among a contact's live tickets (all closed).
struct Selection {
    std::vector<Id> ticket_ids;
    std::vector<std::size_t> rules;          // indices of the rules that selected at least one
    std::vector<std::int64_t> first_counts;  // per rule: tickets it selected first
    std::vector<std::string> reasons;
};

// A decision taken as if the contact were unprotected.
struct Decision {
    Entry entry;
    bool takes = false;  // deletes something (as opposed to clearing a pending tag)
    Selection selection;
};

class Evaluator {
  public:
    Evaluator(const Snapshot& snapshot, const Rules& rules, UnixTime as_of)
        : snapshot_(snapshot),
          rules_(rules),
          as_of_(as_of),
          resolved_(engine_detail::resolve(snapshot, rules)) {
        index_tickets();
    }

    Plan run();
    Plan run_subjects(std::vector<Id> subject_ids);
    ContactVerdict run_contact(Id contact_id);

  private:
    Plan new_plan() const;
    std::vector<const Contact*> sorted_contacts() const;
    void record_protected(Plan& plan, std::vector<ProtectedContact>&& reasons) const;
    void index_tickets();
    ContactTickets tickets_of(Id contact_id) const;
    std::vector<ProtectedContact> protection(const Contact& contact,
                                             const ContactTickets& tickets) const;
    std::optional<Decision> decide(const Contact& contact, const ContactTickets& tickets) const;
    std::optional<Decision> decide_purge(const Contact& contact,
                                         const ContactTickets& tickets) const;
    std::optional<Decision> decide_pending(const Contact& contact, const ContactTickets& tickets,
                                           UnixTime since) const;
    std::optional<Decision> decide_orphan(const Contact& contact,
                                          const ContactTickets& tickets) const;
    std::optional<Decision> decide_rules(const Contact& contact,
                                         const ContactTickets& tickets) const;
    Selection select(const std::vector<const Ticket*>& live) const;
    bool in_scope(const Ticket& ticket, const ResolvedRule& rule) const;
    void record(Plan& plan, Decision&& decision);

    bool aged(UnixTime reference, const Duration& age) const {
        return reference != no_time && reference <= as_of_ - age.seconds;
    }
    bool deletes_contacts() const { return !rules_.contact_policy.keep_contact; }

    const Snapshot& snapshot_;
    const Rules& rules_;
    UnixTime as_of_;
    ResolvedRules resolved_;
    std::vector<std::uint32_t> by_requester_;  // ticket indices sorted by (requester, id)
};

void Evaluator::index_tickets() {
    const auto& tickets = snapshot_.tickets();
    by_requester_.resize(tickets.size());
    for (std::uint32_t i = 0; i < by_requester_.size(); ++i) {
        by_requester_[i] = i;
    }
    std::sort(by_requester_.begin(), by_requester_.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::pair(tickets[a].requester_id, tickets[a].id) <
               std::pair(tickets[b].requester_id, tickets[b].id);
    });
}

ContactTickets Evaluator::tickets_of(Id contact_id) const {
    const auto& tickets = snapshot_.tickets();
    auto it =
        std::lower_bound(by_requester_.begin(), by_requester_.end(), contact_id,
                         [&](std::uint32_t i, Id id) { return tickets[i].requester_id < id; });
    ContactTickets out;
    for (; it != by_requester_.end() && tickets[*it].requester_id == contact_id; ++it) {
        out.all.push_back(&tickets[*it]);
        if (tickets[*it].live()) {
            out.live.push_back(&tickets[*it]);
        }
    }
    return out;
}

std::vector<ProtectedContact> Evaluator::protection(const Contact& contact,
                                                    const ContactTickets& tickets) const {
    std::vector<ProtectedContact> out;
    const auto add = [&](ProtectionReason reason, std::string detail) {
        out.push_back({contact.id, reason, std::move(detail)});
    };
    if (resolved_.agent_ids.contains(contact.id) ||
        resolved_.agent_emails.contains(normalize_name(contact.email))) {
        add(ProtectionReason::agent, "");
    }
    for (const auto& tag : contact.tags) {
        if (auto it = resolved_.exceptions.tags.find(normalize_name(tag));
            it != resolved_.exceptions.tags.end()) {
            add(ProtectionReason::exception_tag, it->second);
            break;
        }
    }
    std::vector<std::string> emails{contact.email};
    emails.insert(emails.end(), contact.other_emails.begin(), contact.other_emails.end());
    for (const auto& email : emails) {
        if (resolved_.exceptions.emails.contains(normalize_name(email))) {
            add(ProtectionReason::exception_email, mask_email(email));
            break;
        }
    }
    std::vector<Id> companies{contact.company_id};
    companies.insert(companies.end(), contact.other_company_ids.begin(),
                     contact.other_company_ids.end());
    for (Id company : companies) {
        if (auto it = resolved_.exceptions.companies.find(company);
            it != resolved_.exceptions.companies.end()) {
            add(ProtectionReason::exception_company, it->second);
            break;
        }
    }
    for (const Ticket* ticket : tickets.live) {
        if (auto it = resolved_.exceptions.responders.find(ticket->responder_id);
            it != resolved_.exceptions.responders.end()) {
            add(ProtectionReason::responder, mask_email(it->second));
            break;
        }
    }
    return out;
}

std::vector<const Contact*> Evaluator::sorted_contacts() const {
    std::vector<const Contact*> contacts;
    contacts.reserve(snapshot_.contacts.size());
    for (const auto& contact : snapshot_.contacts) {
        contacts.push_back(&contact);
    }
    std::sort(contacts.begin(), contacts.end(),
              [](const Contact* a, const Contact* b) { return a->id < b->id; });
    return contacts;
}

Plan Evaluator::new_plan() const {
    Plan plan;
    plan.header.as_of = format_timestamp(as_of_);
    plan.header.rules = rules_;
    plan.header.rules_sha256 = rules_sha256(rules_);
    auto& summary = plan.header.summary;
    summary.contacts_read = static_cast<std::int64_t>(snapshot_.contacts.size());
    summary.tickets_read = static_cast<std::int64_t>(snapshot_.tickets().size());
    for (const auto& rule : rules_.ticket_rules) {
        summary.by_rule.push_back({rule.name, 0, 0});
    }
    return plan;
}

void Evaluator::record_protected(Plan& plan, std::vector<ProtectedContact>&& reasons) const {
    for (auto& reason : reasons) {
        ++plan.header.summary.protected_counts[static_cast<std::size_t>(reason.reason)];
        plan.protected_contacts.push_back(std::move(reason));
    }
}

Plan Evaluator::run() {
    const auto contacts = sorted_contacts();
    Plan plan = new_plan();
    for (std::size_t i = 0; i < contacts.size(); ++i) {
        if (i > 0 && contacts[i]->id == contacts[i - 1]->id) {
            throw std::invalid_argument("the snapshot holds contact " +
                                        std::to_string(contacts[i]->id) + " twice");
        }
        const auto tickets = tickets_of(contacts[i]->id);
        auto decision = decide(*contacts[i], tickets);
        if (!decision) {
            continue;
        }
        auto reasons = protection(*contacts[i], tickets);
        if (reasons.empty()) {
            record(plan, std::move(*decision));
        } else if (decision->takes) {
            record_protected(plan, std::move(reasons));
        }
    }
    return plan;
}

void Evaluator::record(Plan& plan, Decision&& decision) {
    auto& summary = plan.header.summary;
    for (const auto& step : decision.entry.steps) {
        switch (step.action) {
            case StepAction::delete_tickets:
                summary.tickets_to_delete += static_cast<std::int64_t>(step.ticket_ids.size());
                break;
            case StepAction::delete_contact:
                ++summary.contacts_to_delete;
                break;
            case StepAction::mark_pending:
                ++summary.contacts_to_mark;
                break;
            case StepAction::clear_pending:
                ++summary.marks_to_clear;
                break;
            case StepAction::purge_soft_deleted:
                ++summary.soft_deleted_to_purge;
                break;
        }
    }
    for (std::size_t r : decision.selection.rules) {
        ++summary.by_rule[r].contacts;
    }
    for (std::size_t r = 0; r < decision.selection.first_counts.size(); ++r) {
        summary.by_rule[r].tickets += decision.selection.first_counts[r];
    }
    plan.entries.push_back(std::move(decision.entry));
}

std::optional<Decision> Evaluator::decide(const Contact& contact,
                                          const ContactTickets& tickets) const {
    if (contact.state == ContactState::soft_deleted) {
        return decide_purge(contact, tickets);
    }
    if (auto since = pending_since(contact.tags)) {
        return decide_pending(contact, tickets, *since);
    }
    const bool any_open =
        std::any_of(tickets.live.begin(), tickets.live.end(),
                    [&](const Ticket* t) { return !rules_.counts_as_closed(t->status); });
    if (any_open) {
        return std::nullopt;  // "if a ticket remains open, the rule is not applied"
    }
    if (tickets.live.empty()) {
        return decide_orphan(contact, tickets);
    }
    return decide_rules(contact, tickets);
}

Entry new_entry(const Contact& contact, const ContactTickets& tickets, std::string rule) {
    Entry entry;
    entry.contact_id = contact.id;
    entry.email_masked = mask_email(contact.email);
    if (!rule.empty()) {
        entry.rules.push_back(std::move(rule));
    }
    for (const Ticket* t : tickets.live) {
        entry.expect.ticket_ids.push_back(t->id);
    }
    entry.expect.contact_updated_at =
        contact.updated_at == no_time ? "" : format_timestamp(contact.updated_at);
    return entry;
}

Step delete_contact_step(DeleteMode mode) {
    Step step;
    step.action = StepAction::delete_contact;
    step.mode = mode;
    return step;
}

std::optional<Decision> Evaluator::decide_purge(const Contact& contact,
                                                const ContactTickets& tickets) const {
    const auto& after = rules_.contact_policy.purge_soft_deleted_after;
    if (!deletes_contacts() || !after || !has_tag(contact.tags, deleted_tag) ||
        !aged(contact.updated_at, *after)) {
        return std::nullopt;
    }
    if (!tickets.live.empty()) {
        return std::nullopt;  // a live ticket again: rules.md settled 7
    }
    Decision d{new_entry(contact, tickets, "purge_soft_deleted"), true, {}};
    d.entry.reason = "soft-deleted by gdpr-purge, last updated " +
                     format_timestamp(contact.updated_at) + ", longer ago than " + after->text;
    d.entry.steps.push_back({StepAction::purge_soft_deleted, {}, DeleteMode::hard, {}});
    return d;
}

std::optional<Decision> Evaluator::decide_pending(const Contact& contact,
                                                  const ContactTickets& tickets,
                                                  UnixTime since) const {
    if (!tickets.live.empty()) {
        Decision d{new_entry(contact, tickets, "pending"), false, {}};
        d.entry.reason =
            "waiting since " + format_date(since) + ", has " + std::to_string(tickets.live.size()) +
            " live ticket(s) again (first: " + std::to_string(tickets.live.front()->id) +
            "): the wait is cancelled";
        d.entry.steps.push_back({StepAction::clear_pending, {}, DeleteMode::hard, {}});
        return d;
    }
    const auto& policy = rules_.contact_policy;
    const UnixTime due = since + policy.delete_after.seconds;
    if (!deletes_contacts() || as_of_ < due) {
        return std::nullopt;
    }
    Decision d{new_entry(contact, tickets, "pending"), true, {}};
    d.entry.reason = "waiting since " + format_date(since) + " with no ticket left, due " +
                     format_date(due) + " (delete_after " + policy.delete_after.text + ")";
    d.entry.steps.push_back(delete_contact_step(policy.delete_mode));
    return d;
}

std::optional<Decision> Evaluator::decide_orphan(const Contact& contact,
                                                 const ContactTickets& tickets) const {
    const auto& orphan = rules_.orphan_contacts;
    if (!deletes_contacts() || !orphan || !tickets.all.empty()) {
        return std::nullopt;
    }
    const UnixTime reference =
        orphan->since == Since::created ? contact.created_at : contact.updated_at;
    if (!aged(reference, orphan->older_than)) {
        return std::nullopt;
    }
    Decision d{new_entry(contact, tickets, "orphan_contacts"), true, {}};
    d.entry.reason = "no ticket at all, " + std::string(to_string(orphan->since)) + " " +
                     format_timestamp(reference) + ", older than " + orphan->older_than.text;
    d.entry.steps.push_back(delete_contact_step(rules_.contact_policy.delete_mode));
    return d;
}

std::optional<Decision> Evaluator::decide_rules(const Contact& contact,
                                                const ContactTickets& tickets) const {
    Selection selection = select(tickets.live);
    if (selection.ticket_ids.empty()) {
        return std::nullopt;
    }
    Decision d{new_entry(contact, tickets, ""), true, {}};
    for (std::size_t r : selection.rules) {
        d.entry.rules.push_back(rules_.ticket_rules[r].name);
    }
    std::string reason;
    for (const auto& part : selection.reasons) {
        reason += (reason.empty() ? "" : "; ") + part;
    }
    d.entry.steps.push_back(
        {StepAction::delete_tickets, selection.ticket_ids, DeleteMode::hard, {}});
    const auto& policy = rules_.contact_policy;
    if (deletes_contacts() && selection.ticket_ids.size() == tickets.live.size()) {
        if (policy.delete_after.seconds == 0) {
            d.entry.steps.push_back(delete_contact_step(policy.delete_mode));
            reason += "; no ticket left: contact deleted (" +
                      std::string(to_string(policy.delete_mode)) + ")";
        } else {
            d.entry.steps.push_back(
                {StepAction::mark_pending, {}, DeleteMode::hard, format_date(as_of_)});
            reason += "; no ticket left: contact deleted " + policy.delete_after.text + " from " +
                      format_date(as_of_) + " unless a new ticket comes";
        }
    }
    d.entry.reason = std::move(reason);
    d.selection = std::move(selection);
    return d;
}

// An erasure request: the subject's live tickets and the subject itself, hard, unless protected.
// A subject id that is an agent's (its email was an agent's) is listed as protected.
Plan Evaluator::run_subjects(std::vector<Id> subject_ids) {
    std::sort(subject_ids.begin(), subject_ids.end());
    subject_ids.erase(std::unique(subject_ids.begin(), subject_ids.end()), subject_ids.end());
    const auto contacts = sorted_contacts();
    Plan plan = new_plan();
    for (Id id : subject_ids) {
        const auto it = std::lower_bound(contacts.begin(), contacts.end(), id,
                                         [](const Contact* c, Id value) { return c->id < value; });
        if (it == contacts.end() || (*it)->id != id) {
            if (resolved_.agent_ids.contains(id)) {
                record_protected(plan, {{id, ProtectionReason::agent, ""}});
            }
            continue;
        }
        const Contact& contact = **it;
        const auto tickets = tickets_of(contact.id);
        if (auto reasons = protection(contact, tickets); !reasons.empty()) {
            record_protected(plan, std::move(reasons));
            continue;
        }
        Decision d{new_entry(contact, tickets, "subject"), true, {}};
        d.entry.reason = "erasure request (GDPR Art. 17): " + std::to_string(tickets.live.size()) +
                         " live ticket(s) and the contact, hard";
        if (!tickets.live.empty()) {
            d.entry.steps.push_back(
                {StepAction::delete_tickets, d.entry.expect.ticket_ids, DeleteMode::hard, {}});
        }
        d.entry.steps.push_back(delete_contact_step(DeleteMode::hard));
        record(plan, std::move(d));
    }
    return plan;
}

ContactVerdict Evaluator::run_contact(Id contact_id) {
    const auto it = std::find_if(snapshot_.contacts.begin(), snapshot_.contacts.end(),
                                 [&](const Contact& c) { return c.id == contact_id; });
    if (it == snapshot_.contacts.end()) {
        throw std::invalid_argument("the snapshot holds no contact " + std::to_string(contact_id));
    }
    const auto tickets = tickets_of(contact_id);
    ContactVerdict verdict;
    if (auto decision = decide(*it, tickets)) {
        verdict.entry = std::move(decision->entry);
    }
    verdict.protection = protection(*it, tickets);
    return verdict;
}

bool Evaluator::in_scope(const Ticket& ticket, const ResolvedRule& rule) const {
    if (!rule.groups.accepts(ticket.group_id) || !rule.types.accepts(ticket.type)) {
        return false;
    }
    if (rule.tags.any) {
        return true;
    }
    const auto tags = snapshot_.tags_of(ticket);
    return std::any_of(tags.begin(), tags.end(),
                       [&](NameRef tag) { return rule.tags.allowed.contains(tag); });
}

UnixTime reference_time(const Ticket& ticket, Since since) {
    switch (since) {
        case Since::closed:
            return ticket.closed_at != no_time ? ticket.closed_at : ticket.updated_at;
        case Since::created:
            return ticket.created_at;
        case Since::updated:
            return ticket.updated_at;
    }
    return no_time;
}

std::string_view newest_word(Since since) {
    switch (since) {
        case Since::closed:
            return "last closed";
        case Since::created:
            return "newest created";
        case Since::updated:
            return "last updated";
    }
    return "";
}

// Every rule alone against the contact's live tickets (all closed); a ticket selected by several
// rules counts once, for the first of them.
Selection Evaluator::select(const std::vector<const Ticket*>& live) const {
    Selection out;
    out.first_counts.assign(resolved_.ticket_rules.size(), 0);
    std::vector<bool> taken(live.size(), false);
    for (std::size_t r = 0; r < resolved_.ticket_rules.size(); ++r) {
        const ResolvedRule& rule = resolved_.ticket_rules[r];
        const TicketRule& spec = *rule.rule;
        std::vector<std::size_t> picked;
        UnixTime newest = no_time;
        bool newest_close_unknown = false;  // the newest time is an updated_at standing in
        for (std::size_t i = 0; i < live.size(); ++i) {
            const UnixTime reference = reference_time(*live[i], spec.since);
            const bool scoped = in_scope(*live[i], rule);
            if (reference > newest) {
                newest = reference;
                newest_close_unknown = spec.since == Since::closed && live[i]->closed_at == no_time;
            }
            if (scoped && (spec.scope == Scope::contact || aged(reference, spec.older_than))) {
                picked.push_back(i);
            }
        }
        if (spec.scope == Scope::contact &&
            (picked.size() != live.size() || !aged(newest, spec.older_than))) {
            continue;  // one ticket out of scope, or one recent ticket, keeps the whole contact
        }
        if (picked.empty()) {
            continue;
        }
        out.rules.push_back(r);
        for (std::size_t i : picked) {
            if (!taken[i]) {
                taken[i] = true;
                ++out.first_counts[r];
            }
        }
        if (spec.scope == Scope::contact) {
            out.reasons.push_back(spec.name + ": all " + std::to_string(live.size()) +
                                  " tickets closed, " + std::string(newest_word(spec.since)) +
                                  (newest_close_unknown ? " at or before " : " ") +
                                  format_timestamp(newest) + ", older than " +
                                  spec.older_than.text);
        } else {
            out.reasons.push_back(spec.name + ": " + std::to_string(picked.size()) + " of " +
                                  std::to_string(live.size()) + " tickets closed and " +
                                  std::string(to_string(spec.since)) + " longer ago than " +
                                  spec.older_than.text);
        }
    }
    for (std::size_t i = 0; i < live.size(); ++i) {
        if (taken[i]) {
            out.ticket_ids.push_back(live[i]->id);
        }
    }
    return out;
}

}  // namespace

Plan evaluate(const Snapshot& snapshot, const Rules& rules, UnixTime as_of) {
    return Evaluator(snapshot, rules, as_of).run();
}

Plan evaluate_subjects(const Snapshot& snapshot, const Rules& rules,
                       const std::vector<Id>& subject_ids, UnixTime as_of) {
    return Evaluator(snapshot, rules, as_of).run_subjects(subject_ids);
}

ContactVerdict evaluate_contact(const Snapshot& snapshot, const Rules& rules, Id contact_id,
                                UnixTime as_of) {
    return Evaluator(snapshot, rules, as_of).run_contact(contact_id);
}

}  // namespace gp
