#pragma once
// The schedule as a small document (headings, paragraphs, lists of sentences) and its two
// renderings. Text comes in three kinds: the phrase tables' own words, values taken from the
// rules file (escaped, never trusted), and literal code (a command, a tag the tool writes).
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace gp::explain {

struct Span {
    enum class Kind { text, value, code };
    Kind kind = Kind::text;
    std::string content;
};

using Inline = std::vector<Span>;

struct Block {
    enum class Kind { section, subsection, paragraph, list };
    Kind kind = Kind::paragraph;
    // A heading or paragraph: one entry (a paragraph's sentences are already joined); a list:
    // one entry per item.
    std::vector<Inline> parts;
};

struct Document {
    std::string language;  // "en", "fr": the HTML page's lang
    Inline title;          // also the HTML page's <title>
    std::vector<Block> blocks;
};

Inline text(std::string_view words);
Inline value(std::string_view content);
Inline code(std::string_view content);

// A phrase template filled in: "{1}" to "{9}" take the arguments, text between backquotes is
// code ("`gdpr-purge undo-soft`"); everything else is the phrase's own text.
Inline fill(std::string_view phrase, std::initializer_list<Inline> arguments = {});

// Appends `more` to `line`, with a space between when both are non-empty.
void append_sentence(Inline& line, const Inline& more);

std::string render_markdown(const Document& document);
std::string render_html(const Document& document);

// Exposed for the tests. A value's control characters become JSON escapes ("\n"), as the rules
// file had to write them; then each format escapes what would break it.
std::string escape_markdown(std::string_view content);
std::string escape_html(std::string_view content);

}  // namespace gp::explain
