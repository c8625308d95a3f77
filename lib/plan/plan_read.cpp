// The strict, streaming plan reader: the input goes to the parser in chunks; PlanHandler does the
// rest. Syntax errors get line and column here, everything else a JSON path from the handler.
#include "plan/plan.hpp"
#include "plan/plan_read_handler.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>

namespace gp {

namespace {

namespace bj = boost::json;
using plan_read::PlanHandler;

// Line and column (1-based, in bytes) of the parser's position, for syntax errors.
class Position {
  public:
    void advance(std::string_view consumed) {
        for (const char c : consumed) {
            if (c == '\n') {
                ++line_;
                column_ = 1;
            } else {
                ++column_;
            }
        }
    }
    std::string text() const {
        return "line " + std::to_string(line_) + ", column " + std::to_string(column_);
    }

  private:
    std::size_t line_ = 1;
    std::size_t column_ = 1;
};

using Parser = bj::basic_parser<PlanHandler>;

void feed(Parser& parser, Position& position, bool more, std::string_view chunk) {
    bj::error_code ec;
    const std::size_t used = parser.write_some(more, chunk.data(), chunk.size(), ec);
    if (ec || used < chunk.size()) {
        position.advance(chunk.substr(0, used));
        throw PlanFormatError(position.text() + ": " +
                              (ec ? ec.message() : "unexpected text after the end of the plan"));
    }
    position.advance(chunk);
}

}  // namespace

void read_plan(std::istream& in, const PlanVisitor& visitor) {
    constexpr std::size_t chunk_size = 64 * 1024;
    Parser parser(bj::parse_options{}, visitor);
    Position position;
    std::vector<char> buffer(chunk_size);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got > 0) {
            feed(parser, position, true, {buffer.data(), got});
        }
    }
    if (in.bad()) {
        throw PlanFormatError("the plan could not be read (I/O error)");
    }
    if (!parser.done()) {
        feed(parser, position, false, {buffer.data(), 0});
    }
}

Plan read_plan(std::istream& in) {
    Plan plan;
    PlanVisitor visitor;
    visitor.on_header = [&](const PlanHeader& header) { plan.header = header; };
    visitor.on_entry = [&](Entry&& entry) { plan.entries.push_back(std::move(entry)); };
    visitor.on_protected = [&](ProtectedContact&& contact) {
        plan.protected_contacts.push_back(std::move(contact));
    };
    read_plan(in, visitor);
    return plan;
}

Plan read_plan_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw PlanFormatError("cannot read plan file \"" + path + "\": " + std::strerror(errno));
    }
    return read_plan(in);
}

}  // namespace gp
