#pragma once
// The retention schedule of a rules file in plain language (docs/explain.md): what each ticket
// rule deletes, after how long, what becomes of the contacts, what is never touched, the
// safeguards and what can be restored; ready for a record of processing (GDPR Art. 30(1)(f)).
// Every sentence comes from the parsed rules; the two languages share one composition.
#include "rules/rules.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gp::explain {

enum class Format { markdown, html };
enum class Language { en, fr };

// "md" or "html"; nothing for any other text.
std::optional<Format> parse_format(std::string_view name);
// "en" or "fr"; nothing for any other text.
std::optional<Language> parse_language(std::string_view name);

// The whole schedule: Markdown text, or one self-contained HTML page (inline CSS, no script, no
// request). Every value of the rules is escaped for the format.
std::string render_schedule(const Rules& rules, Format format, Language language);

}  // namespace gp::explain
