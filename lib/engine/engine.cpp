// evaluate(), evaluate_subjects() and evaluate_contact(): the runs over an account, the
// protection of contacts and the plan's bookkeeping. What the rules decide for one contact is in
// decide.cpp.
#include "engine/engine.hpp"

#include "engine/evaluator.hpp"
#include "util/sorted.hpp"
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

namespace engine_detail {

Evaluator::Evaluator(const Snapshot& snapshot, const Rules& rules, UnixTime as_of)
    : snapshot_(snapshot), rules_(rules), as_of_(as_of), resolved_(resolve(snapshot, rules)) {
    index_tickets();
}

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
        const Ticket& ticket = tickets[*it];
        out.all.push_back(&ticket);
        if (ticket.live()) {
            out.live.push_back(&ticket);
        }
        if (ticket.current()) {
            out.current.push_back(&ticket);
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
    // Over the contact's tickets, archived ones included (docs/rules.md).
    for (const Ticket* ticket : tickets.current) {
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
    if (snapshot_.read_started != no_time) {
        plan.header.read_started_at = format_timestamp(snapshot_.read_started);
        for (const Ticket& ticket : snapshot_.tickets()) {
            plan.header.highest_ticket_id = std::max(plan.header.highest_ticket_id, ticket.id);
        }
    }
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
        if (auto reasons = protection(*contacts[i], tickets); !reasons.empty()) {
            // A protection wins over the archive hold: the contact is listed for it alone.
            if (decision->takes) {
                record_protected(plan, std::move(reasons));
            }
            continue;
        }
        if (!decision->held.empty()) {
            record_protected(plan, {{contacts[i]->id, ProtectionReason::archive_incomplete,
                                     std::move(decision->held)}});
        }
        if (!decision->entry.steps.empty()) {
            record(plan, std::move(*decision));
        }
    }
    protect_agents(plan, contacts);
    return plan;
}

// An agent without a contact record (the contacts list leaves agents out) can still be the
// requester of tickets: one whose own tickets a ticket rule would have taken is listed as
// protected (docs/rules.md, "Exceptions"), from the agents and tickets already read. The list stays
// in contact id order.
void Evaluator::protect_agents(Plan& plan, const std::vector<const Contact*>& contacts) const {
    std::vector<const Agent*> agents;
    for (const Agent& agent : snapshot_.agents) {
        agents.push_back(&agent);
    }
    std::sort(agents.begin(), agents.end(),
              [](const Agent* a, const Agent* b) { return a->id < b->id; });
    const auto is_contact = [&](Id id) {
        const auto it = std::lower_bound(contacts.begin(), contacts.end(), id,
                                         [](const Contact* c, Id value) { return c->id < value; });
        return it != contacts.end() && (*it)->id == id;
    };
    bool added = false;
    for (std::size_t i = 0; i < agents.size(); ++i) {
        const Id id = agents[i]->id;
        if ((i > 0 && agents[i - 1]->id == id) || is_contact(id)) {
            continue;  // judged already (as a contact above)
        }
        const ContactTickets tickets = tickets_of(id);
        const bool any_open =
            std::any_of(tickets.live.begin(), tickets.live.end(),
                        [&](const Ticket* t) { return !rules_.counts_as_closed(t->status); });
        if (tickets.current.empty() || any_open || select(tickets.current).size() == 0) {
            continue;
        }
        // Every reason that holds, as for a contact: the agent's, and those its tickets or its
        // email show (a responder exception, an excepted email).
        Contact as_contact;
        as_contact.id = id;
        as_contact.email = agents[i]->email;
        record_protected(plan, protection(as_contact, tickets));
        added = true;
    }
    if (added) {
        std::stable_sort(plan.protected_contacts.begin(), plan.protected_contacts.end(),
                         [](const ProtectedContact& a, const ProtectedContact& b) {
                             return a.contact_id < b.contact_id;
                         });
    }
}

void Evaluator::record(Plan& plan, Decision&& decision) {
    auto& summary = plan.header.summary;
    for (const auto& step : decision.entry.steps) {
        const auto ids = static_cast<std::int64_t>(step.ticket_ids.size());
        switch (step.action) {
            case StepAction::delete_tickets:
                summary.tickets_to_delete += ids;
                break;
            case StepAction::delete_archived_tickets:
                summary.archived_tickets_to_delete += ids;
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

// An erasure request: the subject's tickets (live ones, then archived ones) and the subject
// itself, hard, unless protected. Never held for the archive index: the subject is asked for by
// name, and a hard deletion takes its archived tickets along anyway. A subject id that is an
// agent's (its email was an agent's) is listed as protected.
Plan Evaluator::run_subjects(std::vector<Id> subject_ids) {
    sort_unique(subject_ids);
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
        std::vector<Id> archived;
        for (const Ticket* t : tickets.current) {
            if (t->archived) {
                archived.push_back(t->id);
            }
        }
        Decision d{.entry = new_entry(contact, tickets, EngineRule::subject),
                   .takes = true,
                   .selection = {},
                   .held = {}};
        d.entry.reason = "erasure request (GDPR Art. 17): " + std::to_string(tickets.live.size()) +
                         " live ticket(s)" +
                         (archived.empty() ? std::string()
                                           : ", " + std::to_string(archived.size()) +
                                                 " archived ticket(s) (deleted permanently)") +
                         " and the contact, hard";
        if (!tickets.live.empty()) {
            d.entry.steps.push_back(
                delete_tickets_step(StepAction::delete_tickets, d.entry.expect.ticket_ids));
        }
        if (!archived.empty()) {
            d.entry.steps.push_back(
                delete_tickets_step(StepAction::delete_archived_tickets, std::move(archived)));
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
    if (auto decision = decide(*it, tickets); decision && !decision->entry.steps.empty()) {
        verdict.entry = std::move(decision->entry);
    }
    verdict.protection = protection(*it, tickets);
    return verdict;
}

}  // namespace engine_detail

Plan evaluate(const Snapshot& snapshot, const Rules& rules, UnixTime as_of) {
    return engine_detail::Evaluator(snapshot, rules, as_of).run();
}

Plan evaluate_subjects(const Snapshot& snapshot, const Rules& rules,
                       const std::vector<Id>& subject_ids, UnixTime as_of) {
    return engine_detail::Evaluator(snapshot, rules, as_of).run_subjects(subject_ids);
}

ContactVerdict evaluate_contact(const Snapshot& snapshot, const Rules& rules, Id contact_id,
                                UnixTime as_of) {
    return engine_detail::Evaluator(snapshot, rules, as_of).run_contact(contact_id);
}

namespace {

bool is_pending_tag(const std::string& tag) {
    return pending_since({tag}).has_value();
}

}  // namespace

std::optional<std::vector<std::string>> tags_marked(const std::vector<std::string>& tags,
                                                    const std::string& since) {
    const std::string tag = std::string(pending_tag_prefix) + since;
    if (has_tag(tags, tag)) {
        return std::nullopt;
    }
    std::vector<std::string> out = tags;
    out.push_back(tag);
    return out;
}

std::optional<std::vector<std::string>> tags_cleared(const std::vector<std::string>& tags) {
    std::vector<std::string> out = tags;
    std::erase_if(out, is_pending_tag);
    if (out.size() == tags.size()) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::vector<std::string>> tags_soft_deleted(const std::vector<std::string>& tags) {
    std::vector<std::string> out = tags;
    std::erase_if(out, is_pending_tag);
    if (!has_tag(out, deleted_tag)) {
        out.emplace_back(deleted_tag);
    }
    if (out == tags) {
        return std::nullopt;
    }
    return out;
}

}  // namespace gp
