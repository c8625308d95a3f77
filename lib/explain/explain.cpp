// The composition of the schedule: which phrase says what, chosen from the parsed rules; the
// same for every language (the words are phrases_en.cpp's and phrases_fr.cpp's).
#include "explain.hpp"

#include "document.hpp"
#include "phrases.hpp"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace gp::explain {

namespace {

// Whether a phrase speaks of one contact or of many.
enum class Contacts { one, many };

class Composer {
  public:
    Composer(const Rules& rules, const Phrases& words) : rules_(rules), w_(words) {}

    Document compose() const {
        Document doc;
        doc.language = std::string(w_.language.text);
        doc.title = say(w_.title);
        paragraph(doc, say(w_.intro));
        paragraph(doc, say(w_.rules_identity,
                           {text(std::to_string(rules_.version)), code(rules_sha256(rules_))}));
        section(doc, w_.tickets_section);
        paragraph(doc, say(w_.tickets_intro));
        for (std::size_t i = 0; i < rules_.ticket_rules.size(); ++i) {
            ticket_rule(doc, i + 1, rules_.ticket_rules[i]);
        }
        contacts(doc);
        orphans(doc);
        untouched(doc);
        safeguards(doc);
        restoring(doc);
        return doc;
    }

  private:
    static Inline say(const Phrase& phrase, std::initializer_list<Inline> arguments = {}) {
        return fill(phrase.text, arguments);
    }

    static void section(Document& doc, const Phrase& heading) {
        doc.blocks.push_back({Block::Kind::section, {say(heading)}});
    }
    static void paragraph(Document& doc, Inline line) {
        doc.blocks.push_back({Block::Kind::paragraph, {std::move(line)}});
    }
    static void list(Document& doc, std::vector<Inline> items) {
        doc.blocks.push_back({Block::Kind::list, std::move(items)});
    }

    // "A, B or C" (`last` is the phrase before the last item).
    Inline joined(const std::vector<Inline>& items, const Phrase& last) const {
        Inline out;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0) {
                append(out, say(i + 1 == items.size() ? last : w_.list_comma));
            }
            append(out, items[i]);
        }
        return out;
    }

    // The rules' values, each between quotes: "“A”, “B” or “C”".
    Inline quoted(const std::vector<std::string>& values, const Phrase& last) const {
        std::vector<Inline> items;
        for (const std::string& v : values) {
            items.push_back(say(w_.quoted, {value(v)}));
        }
        return joined(items, last);
    }

    static void append(Inline& line, const Inline& more) {
        line.insert(line.end(), more.begin(), more.end());
    }

    // Nothing, one or many names: "of any group", "of the group “A”", "of the groups “A” or “B”".
    Inline names(const std::vector<std::string>& values, const Phrase& none, const Phrase& one,
                 const Phrase& many) const {
        if (values.empty()) {
            return say(none);
        }
        return say(values.size() == 1 ? one : many, {quoted(values, w_.list_or)});
    }

    // "180 days", "26 weeks", "6 months (180 days)", "1 year": the duration as the file wrote it.
    Inline duration(const Duration& d) const {
        const std::string& t = d.text;
        const auto digits = t.find_first_not_of("0123456789");
        const bool written = digits != std::string::npos && digits > 0 && digits + 1 == t.size() &&
                             parse_duration(t).has_value();
        if (!written) {
            const std::int64_t days = d.seconds / seconds_per_day;
            return say(days == 1 ? w_.day_one : w_.day_many, {text(std::to_string(days))});
        }
        const std::string number = t.substr(0, digits);
        const bool one = number == "1";
        switch (t[digits]) {
            case 'w':
                return say(one ? w_.week_one : w_.week_many, {text(number)});
            case 'm':
                return say(one ? w_.month_one : w_.month_many,
                           {text(number), text(std::to_string(d.seconds / seconds_per_day))});
            case 'y':
                return say(one ? w_.year_one : w_.year_many, {text(number)});
            default:
                return say(one ? w_.day_one : w_.day_many, {text(number)});
        }
    }

    // How contacts are deleted: of one contact, or of many.
    Inline mode(Contacts contacts = Contacts::one) const {
        const bool hard = rules_.contact_policy.delete_mode == DeleteMode::hard;
        if (contacts == Contacts::many) {
            return say(hard ? w_.mode_hard_many : w_.mode_soft_many);
        }
        return say(hard ? w_.mode_hard : w_.mode_soft);
    }

    void ticket_rule(Document& doc, std::size_t number, const TicketRule& rule) const {
        doc.blocks.push_back({Block::Kind::subsection,
                              {say(w_.rule_heading, {text(std::to_string(number)),
                                                     say(w_.quoted, {value(rule.name)})})}});
        std::vector<Inline> items;
        items.push_back(
            say(w_.rule_takes, {names(rule.groups, w_.groups_any, w_.groups_one, w_.groups_many),
                                names(rule.types, w_.types_any, w_.types_one, w_.types_many),
                                names(rule.tags, w_.tags_any, w_.tags_one, w_.tags_many)}));
        const Phrase& due = rule.since == Since::closed    ? w_.due_closed
                            : rule.since == Since::created ? w_.due_created
                                                           : w_.due_updated;
        items.push_back(say(due, {duration(rule.older_than)}));
        items.push_back(say(rule.scope == Scope::contact ? w_.scope_contact : w_.scope_ticket));
        items.push_back(say(w_.rule_open_kept));
        const ContactPolicy& policy = rules_.contact_policy;
        if (policy.keep_contact) {
            items.push_back(say(w_.rule_contact_kept));
        } else if (policy.delete_after.seconds == 0) {
            items.push_back(say(w_.rule_contact_now, {mode()}));
        } else {
            items.push_back(say(w_.rule_contact_later, {mode(), duration(policy.delete_after)}));
        }
        list(doc, std::move(items));
    }

    void contacts(Document& doc) const {
        section(doc, w_.contacts_section);
        const ContactPolicy& policy = rules_.contact_policy;
        std::vector<Inline> items;
        if (policy.keep_contact) {
            items.push_back(say(w_.contacts_kept));
            items.push_back(say(w_.contacts_kept_waiting));
            list(doc, std::move(items));
            return;
        }
        const bool hard = policy.delete_mode == DeleteMode::hard;
        Inline deleted = say(w_.contacts_deleted, {mode()});
        append_sentence(deleted, say(hard ? w_.contacts_hard : w_.contacts_soft));
        items.push_back(std::move(deleted));
        if (policy.delete_after.seconds == 0) {
            items.push_back(say(w_.contacts_now));
        } else {
            items.push_back(say(w_.contacts_wait, {duration(policy.delete_after)}));
        }
        if (policy.purge_soft_deleted_after) {
            items.push_back(say(w_.purge_after, {duration(*policy.purge_soft_deleted_after)}));
        } else if (!hard) {
            items.push_back(say(w_.purge_never));
        }
        list(doc, std::move(items));
    }

    void orphans(Document& doc) const {
        section(doc, w_.orphans_section);
        if (!rules_.orphan_contacts) {
            paragraph(doc, say(w_.orphans_none));
        } else if (rules_.contact_policy.keep_contact) {
            paragraph(doc, say(w_.orphans_kept));
        } else {
            const OrphanRule& orphan = *rules_.orphan_contacts;
            const Phrase& phrase =
                orphan.since == Since::created ? w_.orphans_created : w_.orphans_updated;
            paragraph(doc, say(phrase, {duration(orphan.older_than), mode(Contacts::many)}));
        }
    }

    void untouched(Document& doc) const {
        section(doc, w_.untouched_section);
        std::vector<Inline> closed;
        std::vector<Inline> open{say(w_.status_open), say(w_.status_pending)};
        (rules_.resolved_is_closed ? closed : open).push_back(say(w_.status_resolved));
        (rules_.closed_is_closed ? closed : open).push_back(say(w_.status_closed));
        open.push_back(say(w_.status_custom));
        list(doc, {say(w_.untouched_open, {joined(closed, w_.list_or), joined(open, w_.list_and)}),
                   say(w_.untouched_agents), say(w_.untouched_blocked)});

        doc.blocks.push_back({Block::Kind::subsection, {say(w_.exceptions_heading)}});
        const Exceptions& e = rules_.exceptions;
        std::vector<Inline> items;
        const auto add = [&](const std::vector<std::string>& values, const Phrase& one,
                             const Phrase& many) {
            if (!values.empty()) {
                items.push_back(say(values.size() == 1 ? one : many, {quoted(values, w_.list_or)}));
            }
        };
        add(e.tags, w_.exception_tag_one, w_.exception_tag_many);
        add(e.emails, w_.exception_email_one, w_.exception_email_many);
        add(e.companies, w_.exception_company_one, w_.exception_company_many);
        add(e.responders, w_.exception_responder_one, w_.exception_responder_many);
        if (items.empty()) {
            paragraph(doc, say(w_.exceptions_none));
            return;
        }
        paragraph(doc, say(w_.exceptions_intro));
        list(doc, std::move(items));
    }

    void safeguards(Document& doc) const {
        section(doc, w_.safeguards_section);
        list(doc, {say(w_.safeguard_untouched), say(w_.safeguard_plan), say(w_.safeguard_recheck),
                   say(w_.safeguard_journal), say(w_.safeguard_archive)});
    }

    void restoring(Document& doc) const {
        section(doc, w_.trash_section);
        const ContactPolicy& policy = rules_.contact_policy;
        std::vector<Inline> items{say(w_.trash_tickets)};
        if (!policy.keep_contact) {
            const auto& purge = policy.purge_soft_deleted_after;
            if (policy.delete_mode == DeleteMode::soft) {
                items.push_back(purge ? say(w_.trash_soft_purged, {duration(*purge)})
                                      : say(w_.trash_soft_kept));
            } else {
                items.push_back(say(w_.trash_hard));
            }
            if (purge) {
                items.push_back(say(w_.trash_purge, {duration(*purge)}));
            }
        }
        items.push_back(say(w_.trash_archived));
        list(doc, std::move(items));
    }

    const Rules& rules_;
    const Phrases& w_;
};

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
    if (name == "md") {
        return Format::markdown;
    }
    if (name == "html") {
        return Format::html;
    }
    return std::nullopt;
}

std::optional<Language> parse_language(std::string_view name) {
    if (name == "en") {
        return Language::en;
    }
    if (name == "fr") {
        return Language::fr;
    }
    return std::nullopt;
}

std::string render_schedule(const Rules& rules, Format format, Language language) {
    const Phrases& words = language == Language::fr ? french : english;
    const Document doc = Composer(rules, words).compose();
    return format == Format::html ? render_html(doc) : render_markdown(doc);
}

}  // namespace gp::explain
