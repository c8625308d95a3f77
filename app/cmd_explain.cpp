// gdpr-purge explain RULES.json [--format md|html] [--lang en|fr] [--out FILE]: the retention
// schedule of a rules file in plain language (lib/explain, docs/explain.md). Offline.
#include "cli.hpp"
#include "explain/explain.hpp"
#include "options.hpp"
#include "output.hpp"
#include "report.hpp"
#include "rules/rules.hpp"

#include <iostream>
#include <memory>

namespace gp::cli {

namespace {

constexpr CommandHelp help{
    "explain",
    "RULES.json [--format md|html] [--lang en|fr] [--out FILE]",
    "Writes the retention schedule of a rules file in plain language, ready for a record of\n"
    "processing (GDPR Art. 30(1)(f)): what each ticket rule deletes, after how long and counted\n"
    "from when, what becomes of the contacts, the exceptions and what is never touched, the\n"
    "safeguards, and what can be restored. Markdown, or one self-contained HTML page; in\n"
    "English or French. Offline: the account is not read. An invalid file is reported as\n"
    "validate-rules reports it, and nothing is written.",
    "  RULES.json   the rules file to explain\n",
    "gdpr-purge explain rules.json --format html --lang fr --out retention.html",
    "  0  the schedule was written (standard output, or FILE)\n"
    "  1  --out FILE could not be written completely (FILE is left as it was)\n"
    "  2  usage error: unknown option, missing or extra argument, --format other than md or\n"
    "     html, --lang other than en or fr, an --out FILE that cannot be created\n"
    "  3  the rules file cannot be read or is invalid: one line per problem on standard\n"
    "     error, \"RULES.json: <JSON path>: <what is wrong and what is allowed>\"\n",
};

po::options_description visible_options() {
    po::options_description visible("options");
    auto add = visible.add_options();
    add("help,h", "print this help and exit (default: off)");
    add("format",
        po::value<std::string>()->value_name("FORMAT")->default_value(std::string("md"), ""),
        "md (Markdown) or html (one self-contained page) (default: md)");
    add("lang", po::value<std::string>()->value_name("LANG")->default_value(std::string("en"), ""),
        "en (English) or fr (French) (default: en)");
    add("out", po::value<std::string>()->value_name("FILE"),
        "write the schedule to FILE, whole or not at all; - is standard output (default: "
        "standard output)");
    add_log_format_option(visible);
    return visible;
}

}  // namespace

ExitCode run_explain(const Args& args) {
    const po::options_description visible = visible_options();
    const auto parsed = parse_command(
        args,
        {.help = help, .visible = visible, .argument = "rules-file", .rules_option = "rules-file"});
    if (!parsed) {
        return ExitCode::success;  // --help
    }
    const po::variables_map& values = *parsed;
    const std::string path = required_argument(values, help, "rules-file");
    const auto format = explain::parse_format(values["format"].as<std::string>());
    if (!format) {
        throw usage_error(help.name, "option --format must be md or html");
    }
    const auto language = explain::parse_language(values["lang"].as<std::string>());
    if (!language) {
        throw usage_error(help.name, "option --lang must be en or fr");
    }
    const std::string out_path = given(values, "out") == "-" ? std::string() : given(values, "out");
    // Opened first, as plan does: a path that cannot be written fails as a usage error.
    auto out = out_path.empty() ? nullptr : std::make_unique<AtomicFile>(out_path);

    const RulesParseResult result = load_rules_file(path);
    if (!result.rules) {
        emit_rules_problems(path, result.problems, ExitCode::invalid_input);
        return ExitCode::invalid_input;
    }
    const std::string schedule = explain::render_schedule(*result.rules, *format, *language);
    if (out) {
        out->stream() << schedule;
        out->commit();
    } else {
        std::cout << schedule << std::flush;
    }
    return ExitCode::success;
}

}  // namespace gp::cli
