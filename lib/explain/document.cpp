// The document's renderings: Markdown and one self-contained HTML page, and their escaping.
#include "document.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cstdio>

namespace gp::explain {

namespace {

// Control characters as the JSON file wrote them: a value never breaks a line or a heading.
std::string visible(std::string_view content) {
    std::string out;
    out.reserve(content.size());
    for (const char c : content) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte != 0x7f) {
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
            out += escaped;
        }
    }
    return out;
}

// The longest run of backquotes in `content`.
std::size_t longest_backquote_run(std::string_view content) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (const char c : content) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

std::string markdown_code(std::string_view content) {
    const std::string shown = visible(content);
    const std::string fence(longest_backquote_run(shown) + 1, '`');
    // A code span that starts or ends with a backquote needs a space inside its fence.
    const bool pad = !shown.empty() && (shown.front() == '`' || shown.back() == '`');
    const std::string inner = pad ? " " + shown + " " : shown;
    return fence + inner + fence;
}

std::string markdown_inline(const Inline& line) {
    std::string out;
    for (const Span& span : line) {
        out += span.kind == Span::Kind::code ? markdown_code(span.content)
                                             : escape_markdown(span.content);
    }
    return out;
}

std::string html_inline(const Inline& line) {
    std::string out;
    for (const Span& span : line) {
        if (span.kind == Span::Kind::code) {
            out += "<code>" + escape_html(span.content) + "</code>";
        } else {
            out += escape_html(span.content);
        }
    }
    return out;
}

constexpr std::string_view page_style =
    "body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#1a1a1a;background:#fff}"
    "h1{font-size:1.6em}h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "h3{font-size:1.1em}li{margin:.3em 0}"
    "code{font-family:ui-monospace,monospace;font-size:.9em;background:#f3f3f3;padding:0 .2em}"
    "@media print{body{margin:0;max-width:none}}";

}  // namespace

Inline text(std::string_view words) {
    return {Span{Span::Kind::text, std::string(words)}};
}

Inline value(std::string_view content) {
    return {Span{Span::Kind::value, std::string(content)}};
}

Inline code(std::string_view content) {
    return {Span{Span::Kind::code, std::string(content)}};
}

Inline fill(std::string_view phrase, std::initializer_list<Inline> arguments) {
    Inline out;
    std::string pending;
    bool in_code = false;
    const auto flush = [&] {
        if (!pending.empty()) {
            out.push_back({in_code ? Span::Kind::code : Span::Kind::text, pending});
            pending.clear();
        }
    };
    for (std::size_t i = 0; i < phrase.size(); ++i) {
        const char c = phrase[i];
        if (c == '`') {
            flush();
            in_code = !in_code;
        } else if (c == '{' && i + 2 < phrase.size() && phrase[i + 1] >= '1' &&
                   phrase[i + 1] <= '9' && phrase[i + 2] == '}') {
            flush();
            const auto index = static_cast<std::size_t>(phrase[i + 1] - '1');
            if (index < arguments.size()) {
                const Inline& argument = *(arguments.begin() + index);
                out.insert(out.end(), argument.begin(), argument.end());
            }
            i += 2;
        } else {
            pending += c;
        }
    }
    flush();
    return out;
}

void append_sentence(Inline& line, const Inline& more) {
    if (!line.empty() && !more.empty()) {
        line.push_back({Span::Kind::text, " "});
    }
    line.insert(line.end(), more.begin(), more.end());
}

std::string escape_markdown(std::string_view content) {
    // Every character that can start markup inside a line (emphasis, code, links, raw HTML,
    // entities, tables, strikethrough, a heading's closing #) gets CommonMark's backslash escape.
    constexpr std::string_view special = "\\`*_[]<>&|~#!";
    std::string out;
    for (const char c : visible(content)) {
        if (special.find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string escape_html(std::string_view content) {
    return html_escape(visible(content));
}

std::string render_markdown(const Document& document) {
    std::string out = "# " + markdown_inline(document.title) + "\n";
    for (const Block& block : document.blocks) {
        out += "\n";
        switch (block.kind) {
            case Block::Kind::section:
                out += "## " + markdown_inline(block.parts.at(0)) + "\n";
                break;
            case Block::Kind::subsection:
                out += "### " + markdown_inline(block.parts.at(0)) + "\n";
                break;
            case Block::Kind::paragraph:
                out += markdown_inline(block.parts.at(0)) + "\n";
                break;
            case Block::Kind::list:
                for (const Inline& item : block.parts) {
                    out += "- " + markdown_inline(item) + "\n";
                }
                break;
        }
    }
    return out;
}

std::string render_html(const Document& document) {
    const std::string language = escape_html(document.language);
    const std::string title = html_inline(document.title);
    std::string out = "<!DOCTYPE html>\n<html lang=\"" + language +
                      "\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                      "'none'; style-src 'unsafe-inline'\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>" +
                      title + "</title>\n<style>" + std::string(page_style) +
                      "</style>\n</head>\n<body>\n<h1>" + title + "</h1>\n";
    for (const Block& block : document.blocks) {
        switch (block.kind) {
            case Block::Kind::section:
                out += "<h2>" + html_inline(block.parts.at(0)) + "</h2>\n";
                break;
            case Block::Kind::subsection:
                out += "<h3>" + html_inline(block.parts.at(0)) + "</h3>\n";
                break;
            case Block::Kind::paragraph:
                out += "<p>" + html_inline(block.parts.at(0)) + "</p>\n";
                break;
            case Block::Kind::list:
                out += "<ul>\n";
                for (const Inline& item : block.parts) {
                    out += "<li>" + html_inline(item) + "</li>\n";
                }
                out += "</ul>\n";
                break;
        }
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace gp::explain
