// The documentation stands alone: comments and pages cite docs/, never the product specification
// that lived outside the repository. Under lib/, app/, tests/, scripts/ and docs/ (and README.md,
// ARCHITECTURE.md) no file cites a "spec/" or "../shared" path, and every "settled N" names the
// page that holds settled question N (docs/rules-semantics.md), nearby or once for the file, and
// that page must have it; every docs/<name>.md that lib/, app/ or tests/ cite exists. This file is
// the one exception: it spells the forbidden forms.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kSelf = "tests/docs/test_docs_cites.cpp";

// How far before "settled N" the page it belongs to may be named: the same sentence, or the
// comment line just above a TEST_CASE or SECTION named after the question.
constexpr std::size_t kPageWindow = 200;

fs::path source_root() {
    return fs::path(GP_SOURCE_DIR);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// A character of a path as comments write it: docs/rules-semantics.md, ../shared/x.md.
bool path_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '/' ||
           c == '.';
}

std::size_t line_of(const std::string& text, std::size_t offset) {
    return 1 + static_cast<std::size_t>(std::count(
                   text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The settled question numbers a page holds: the "N. " items of its "Settled questions" section.
std::set<int> settled_numbers(const std::string& markdown) {
    std::set<int> numbers;
    std::istringstream in(markdown);
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind('#', 0) == 0) {
            inside = lower(line).find("settled questions") != std::string::npos;
            continue;
        }
        std::size_t digits = 0;
        while (digits < line.size() && is_digit(line[digits])) {
            ++digits;
        }
        if (inside && digits > 0 && line.compare(digits, 2, ". ") == 0) {
            numbers.insert(std::stoi(line.substr(0, digits)));
        }
    }
    return numbers;
}

// What the check knows of docs/: which pages exist and which settled questions each holds.
class Pages {
  public:
    explicit Pages(fs::path root) : root_(std::move(root)) {}

    bool exists(const std::string& relative) const { return fs::is_regular_file(root_ / relative); }

    const std::set<int>& settled(const std::string& relative) {
        auto found = settled_.find(relative);
        if (found == settled_.end()) {
            std::set<int> numbers;
            if (exists(relative)) {
                numbers = settled_numbers(read_file(root_ / relative));
            }
            found = settled_.emplace(relative, std::move(numbers)).first;
        }
        return found->second;
    }

  private:
    fs::path root_;
    std::map<std::string, std::set<int>> settled_;
};

// The page named nearest before `end` (within kPageWindow), as a path from the repository's root:
// "rules-semantics.md" and "docs/rules-semantics.md" both give docs/rules-semantics.md. "" when
// no page is named there.
std::string page_before(const std::string& text, std::size_t end) {
    const std::size_t begin = end > kPageWindow ? end - kPageWindow : 0;
    const std::size_t md = text.rfind(".md", end);
    if (md == std::string::npos || md < begin) {
        return "";
    }
    std::size_t start = md;
    while (start > 0 && path_char(text[start - 1])) {
        --start;
    }
    const std::string name = text.substr(start, md + 3 - start);
    return name.find('/') == std::string::npos ? "docs/" + name : name;
}

// A comment wrapped over lines as one line: each line break, with the blanks and the comment
// marker ("//", "#", "*") that start the next line, becomes one space.
std::string unwrapped(const std::string& low) {
    std::string result;
    for (std::size_t i = 0; i < low.size(); ++i) {
        if (low[i] != '\n') {
            result += low[i];
            continue;
        }
        std::size_t next = i + 1;
        while (next < low.size() && (low[next] == ' ' || low[next] == '\t')) {
            ++next;
        }
        for (const std::string_view marker : {"//", "#", "*"}) {
            if (low.compare(next, marker.size(), marker) == 0) {
                next += marker.size();
                break;
            }
        }
        while (next < low.size() && (low[next] == ' ' || low[next] == '\t')) {
            ++next;
        }
        if (result.empty() || result.back() != ' ') {
            result += ' ';
        }
        i = next - 1;
    }
    return result;
}

// The page a file names once for all its settled questions ("Settled questions cited in this
// file: docs/rules-semantics.md."), for files whose TEST_CASEs are named after them; "" if none.
std::string file_page(const std::string& low) {
    const std::string marker = "settled questions cited in this file: ";
    const std::string flat = unwrapped(low);
    const std::size_t at = flat.find(marker);
    if (at == std::string::npos) {
        return "";
    }
    const std::size_t start = at + marker.size();
    std::size_t end = start;
    while (end < flat.size() && path_char(flat[end])) {
        ++end;
    }
    std::string page = flat.substr(start, end - start);
    while (!page.empty() && page.back() == '.') {
        page.pop_back();
    }
    return page;
}

// Every problem with the citations of one file (`relative`, from the repository's root).
std::vector<std::string> cite_problems(const std::string& relative, const std::string& text,
                                       Pages& pages) {
    std::vector<std::string> problems;
    const auto where = [&](std::size_t offset) {
        return relative + ":" + std::to_string(line_of(text, offset)) + ": ";
    };
    for (const std::string outside : {"spec/", "../shared"}) {
        for (auto at = text.find(outside); at != std::string::npos;
             at = text.find(outside, at + 1)) {
            const char before = at == 0 ? ' ' : text[at - 1];
            const bool in_a_word = std::isalnum(static_cast<unsigned char>(before)) != 0 ||
                                   before == '_' || before == '-';
            if (outside == "../shared" || !in_a_word) {
                problems.push_back(where(at) + "cites \"" + outside +
                                   "\", a document outside the repository: cite docs/");
            }
        }
    }
    const std::string low = lower(text);
    const std::string self_page = relative == "docs/rules-semantics.md" ? relative : "";
    const std::string file_default = file_page(low);
    for (auto at = low.find("settled"); at != std::string::npos; at = low.find("settled", at + 1)) {
        std::size_t i = at + 7;
        const auto skip_blanks = [&] {
            while (i < low.size() &&
                   std::string_view(" \t\r\n/#*").find(low[i]) != std::string::npos) {
                ++i;
            }
        };
        skip_blanks();
        if (low.compare(i, 8, "question") == 0) {
            i += 8;
            skip_blanks();
        }
        std::size_t end = i;
        while (end < low.size() && is_digit(low[end])) {
            ++end;
        }
        if (end == i) {
            continue;  // "settled" in another sense, or "settled questions" as a title
        }
        const int number = std::stoi(low.substr(i, end - i));
        // The page that holds the questions cites its own without naming itself.
        std::string page = self_page.empty() ? page_before(text, at) : self_page;
        if (page.empty()) {
            page = file_default;
        }
        const std::string cite = "settled " + std::to_string(number);
        if (page.empty()) {
            problems.push_back(where(at) + cite +
                               " names no page: write docs/rules-semantics.md, " + cite);
        } else if (page.rfind("docs/", 0) != 0 || !pages.exists(page)) {
            problems.push_back(where(at) + cite + " cites " + page + ", which is no page of docs/");
        } else if (pages.settled(page).count(number) == 0) {
            problems.push_back(where(at) + cite + " cites " + page + ", which has no " + cite);
        }
    }
    return problems;
}

// Every docs/<name>.md that `text` cites and the repository does not have.
std::vector<std::string> missing_pages(const std::string& relative, const std::string& text,
                                       const Pages& pages) {
    std::vector<std::string> problems;
    for (auto at = text.find("docs/"); at != std::string::npos; at = text.find("docs/", at + 1)) {
        if (at > 0 && path_char(text[at - 1])) {
            continue;  // tests/docs/..., a path inside another
        }
        std::size_t end = at;
        while (end < text.size() && path_char(text[end])) {
            ++end;
        }
        std::string path = text.substr(at, end - at);
        while (!path.empty() && path.back() == '.') {
            path.pop_back();  // the sentence's full stop
        }
        if (path.size() > 3 && path.compare(path.size() - 3, 3, ".md") == 0 &&
            !pages.exists(path)) {
            problems.push_back(relative + ":" + std::to_string(line_of(text, at)) + ": cites " +
                               path + ", which does not exist");
        }
    }
    return problems;
}

// The repository's text files under `folder` (or the file itself), as paths from the root.
std::vector<std::string> text_files(const std::string& folder) {
    const fs::path root = source_root();
    std::vector<std::string> result;
    const auto add = [&](const fs::path& path) {
        const std::string relative = fs::relative(path, root).generic_string();
        const std::string text = read_file(path);
        if (relative != kSelf && text.find('\0') == std::string::npos) {
            result.push_back(relative);
        }
    };
    if (fs::is_regular_file(root / folder)) {
        add(root / folder);
        return result;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
        if (entry.is_regular_file()) {
            add(entry.path());
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string result;
    for (const std::string& line : lines) {
        result += line + "\n";
    }
    return result;
}

}  // namespace

TEST_CASE("docs: no file cites the specification outside the repository or a bare settled question",
          "[docs][cites]") {
    Pages pages(source_root());
    std::vector<std::string> problems;
    std::size_t files = 0;
    for (const std::string folder :
         {"lib", "app", "tests", "scripts", "docs", "README.md", "ARCHITECTURE.md"}) {
        for (const std::string& relative : text_files(folder)) {
            ++files;
            const auto found = cite_problems(relative, read_file(source_root() / relative), pages);
            problems.insert(problems.end(), found.begin(), found.end());
        }
    }
    INFO(joined(problems));
    CHECK(files > 100);
    CHECK(problems.empty());
}

TEST_CASE("docs: every docs page that lib, app and tests cite exists", "[docs][cites]") {
    const Pages pages(source_root());
    std::vector<std::string> problems;
    for (const std::string folder : {"lib", "app", "tests"}) {
        for (const std::string& relative : text_files(folder)) {
            const auto found = missing_pages(relative, read_file(source_root() / relative), pages);
            problems.insert(problems.end(), found.begin(), found.end());
        }
    }
    INFO(joined(problems));
    CHECK(problems.empty());
}

TEST_CASE("docs: rules-semantics.md holds settled questions 1 to 21 under their numbers",
          "[docs][cites]") {
    Pages pages(source_root());
    std::set<int> expected;
    for (int number = 1; number <= 21; ++number) {
        expected.insert(number);
    }
    CHECK(pages.settled("docs/rules-semantics.md") == expected);
    // The user guide cites them; it numbers none of its own, so no cite can mean two questions.
    CHECK(pages.settled("docs/rules.md").empty());
}

TEST_CASE("docs: the citation check finds what it is there to find", "[docs][cites]") {
    Pages pages(source_root());
    const auto problems = [&](const std::string& text) {
        return cite_problems("lib/x.cpp", text, pages).size();
    };
    CHECK(problems("// see docs/rules-semantics.md, settled 19.\n") == 0);
    CHECK(problems("// docs/rules-semantics.md,\n    // settled question 19.\n") == 0);
    CHECK(problems("// (rules-semantics.md, settled 3) and a \"settled\" matter\n") == 0);
    CHECK(problems("// spec/rules.md, \"The file\"\n") == 1);
    CHECK(problems("// /work/shared/spec/cli.md\n") == 1);
    CHECK(problems("// ../shared/spec/cli.md\n") == 2);
    CHECK(problems("// ../shared/cli.md\n") == 1);
    CHECK(problems("// held (settled 19)\n") == 1);
    const std::string named_once =
        "// Settled questions cited in this file: docs/rules-semantics.md.\n";
    const std::string far = "\n" + std::string(300, '/') + "\n";
    CHECK(problems(named_once + far + "TEST_CASE(\"Settled 19: held\")\n") == 0);
    CHECK(problems(named_once + far + "TEST_CASE(\"Settled 23: held\")\n") == 1);
    const std::string wrapped =
        "// and more. Settled questions cited in this\n//   file: docs/rules-semantics.md.\n";
    CHECK(problems(wrapped + far + "TEST_CASE(\"Settled 19: held\")\n") == 0);
    CHECK(problems("// docs/rules.md, settled question 19\n") == 1);
    CHECK(problems("// docs/rules-semantics.md, settled 22\n") == 1);
    CHECK(problems("// docs/nowhere.md, settled 1\n") == 1);
    CHECK(problems("// README.md, settled 1\n") == 1);
    CHECK(problems("// inspec/ is no path of ours\n") == 0);
    CHECK(missing_pages("lib/x.cpp", "// docs/nowhere.md.\n", pages).size() == 1);
    CHECK(missing_pages("lib/x.cpp", "// docs/plan.md. tests/docs/gone.md\n", pages).empty());
}
