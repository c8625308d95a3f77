// The journal readers on any file (lib/executor: journal.cpp reads the file in blocks, a torn last
// line cut off, journal_line.cpp each line strictly): read_journal() (resume, undo-soft),
// Journal's opening (apply appending to an existing journal) and verify_journal() (the chain and
// the signature lines). A file that is no journal is a JournalFormatError or JournalVerifyError.
#include "executor/journal.hpp"
#include "executor/verify.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const gp::fuzz::Scratch& scratch = gp::fuzz::Scratch::get();
    const std::string path = scratch.write("journal.jsonl", gp::fuzz::as_text(data, size));
    try {
        (void)gp::executor::read_journal(path);
    } catch (const gp::executor::JournalFormatError&) {
    }
    try {
        (void)gp::executor::verify_journal(path);
    } catch (const gp::executor::JournalVerifyError&) {
    }
    try {  // last: it cuts a torn last line off the file
        const gp::executor::Journal journal(path);
        (void)journal.existing().size();
    } catch (const gp::executor::JournalFormatError&) {
    }
    return 0;
}
