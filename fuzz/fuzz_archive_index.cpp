// The archive index reader (lib/archive: Index::open, which replays the file's lines through
// index_detail.cpp's header_of and record_of) on any file at the index's path. A bad file is set
// aside with a warning and a new index begun; only what cannot be done to files is an IndexError.
#include "archive/index.hpp"
#include "fuzz_support.hpp"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const gp::fuzz::Scratch& scratch = gp::fuzz::Scratch::get();
    scratch.clear();
    const std::string account = "acme.example.com";
    const std::filesystem::path file = gp::archive::index_path(scratch.dir(), account);
    scratch.write(file.filename().string(), gp::fuzz::as_text(data, size));
    std::vector<std::string> warnings;
    try {
        const auto index = gp::archive::Index::open(scratch.dir(), account, warnings);
        std::vector<gp::Id> requesters;  // for_each_archived holds the index's lock: no call in it
        index->for_each_archived(
            [&](const gp::TicketRecord& ticket) { requesters.push_back(ticket.requester_id); });
        std::sort(requesters.begin(), requesters.end());
        requesters.erase(std::unique(requesters.begin(), requesters.end()), requesters.end());
        std::int64_t seen = 0;
        for (const gp::Id requester : requesters) {
            seen += static_cast<std::int64_t>(index->archived_of(requester).size());
        }
        if (seen != index->archived_count() ||
            static_cast<std::int64_t>(requesters.size()) > index->archived_count()) {
            std::fprintf(stderr, "an archived ticket is not among its requester's\n");
            std::abort();
        }
        (void)index->highest_id();
        (void)index->gone_count();
    } catch (const gp::archive::IndexError&) {
    }
    return 0;
}
