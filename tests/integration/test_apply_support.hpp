#pragma once
// Helpers of the apply tests (test_apply*.cpp): a simulated account in process with a client on
// it and a tamper that a test can switch, plans made by the reader and the engine, apply runs with
// their requests counted by endpoint, and the account's whole state before and after.
#include "clock.hpp"  // sim::Clock: the simulated account's clock
#include "executor/executor.hpp"
#include "executor/journal.hpp"
#include "freshdesk/client.hpp"
#include "instant_clock.hpp"
#include "plan/plan.hpp"
#include "rules/rules.hpp"
#include "sim_http.hpp"
#include "time/time.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace applytest {

namespace json = boost::json;
using gp::Id;
using gp::UnixTime;
using Counts = std::map<std::string, std::int64_t>;

inline constexpr const char* kNow =
    "2026-11-29T00:00:00Z";  // the simulator's start, the plans' as_of
inline constexpr std::int64_t kDay = 86400;
UnixTime now_time();

// A fresh directory, removed with everything in it at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path / name).string(); }
};

using simtest::InstantClock;

using TamperFn = std::function<void(const gp::http::Request&, gp::http::Response&)>;
// An answer given instead of the account's: the request never reaches it (nothing: it does).
using BlockFn = std::function<std::optional<gp::http::Response>(const gp::http::Request&)>;

// The transport of the apply tests' client: the account in process, behind a switchable block.
class Gate final : public gp::http::HttpClient {
  public:
    explicit Gate(gp::http::HttpClient& next) : next_(next) {}
    gp::http::Result send(const gp::http::Request& request) override;
    void set(BlockFn fn);

  private:
    gp::http::HttpClient& next_;
    std::mutex mutex_;
    BlockFn fn_;
};

std::string data_file(const std::string& relative);
std::string usecase_account(int n);
std::string usecase_rules(int n);
gp::Rules load_rules(const std::string& path);
gp::Rules rules_text(const std::string& text);

// The account of a file, the clock at kNow, bulk jobs ending after a second.
simtest::InProcessOptions account_options(const std::string& account_file);

// A simulated account in process and a client on it with the simulator's key.
class Account {
  public:
    explicit Account(simtest::InProcessOptions options);
    Account(const Account&) = delete;
    Account& operator=(const Account&) = delete;

    // Changes every later /api/v2 answer after the account handled the request (nothing: answers
    // as they are). Not while apply runs.
    void set_tamper(TamperFn fn);
    // Answers the requests `fn` picks without letting them reach the account.
    void set_block(BlockFn fn) { gate.set(std::move(fn)); }

    // The contact's state in the account ("active", "soft_deleted", "blocked", "hard_deleted";
    // "agent" for an agent's id, "unknown" when nobody has it), its tags, a ticket's `seen`.
    json::object state(const std::string& query);
    std::string contact_state(Id id);
    std::vector<std::string> tags(Id id);
    std::string seen(Id ticket);
    // A /_sim/ control that must succeed (2xx); its answer.
    json::value control(const std::string& method, const std::string& target,
                        const std::string& body = "");
    Counts requests() const { return sim.requests_by_endpoint(); }

  private:
    struct Slot {
        std::mutex mutex;
        TamperFn fn;
    };
    std::shared_ptr<Slot> slot_ = std::make_shared<Slot>();  // before sim: its tamper holds it
    simtest::InProcessOptions tampered(simtest::InProcessOptions options);

  public:
    simtest::InProcessSim sim;
    Gate gate{sim};
    InstantClock clock;
    gp::freshdesk::Client client;
};

// Use case 1's entries: Alice (tickets 1, 2), Bea (14), Nora (17, closed_at null), Tom (21).
namespace usecase1 {
inline constexpr Id alice = 43000000101;
inline constexpr Id bea = 43000000108;
inline constexpr Id nora = 43000000111;
inline constexpr Id tom = 43000000114;
}  // namespace usecase1

// reader::read_account + evaluate, as `plan` does; the header's account set.
gp::Plan make_plan(Account& account, const gp::Rules& rules, UnixTime as_of);

inline const std::string kPlanSha(64, 'e');

// Job polls from 200 ms (the account's jobs end after a second).
gp::executor::ApplyOptions fast_options();

struct ApplyRun {
    gp::executor::ApplyTotals totals;
    Counts requests;                                   // this run's, by endpoint
    std::vector<gp::executor::JournalRecord> records;  // the records this run appended
};
// apply_plan with the journal at `journal_path` (opened as a run opens it).
ApplyRun run_apply(Account& account, const gp::Plan& plan, const std::string& journal_path,
                   const gp::executor::ApplyOptions& options = fast_options());

Counts diff(const Counts& before, const Counts& after);
std::int64_t count(const Counts& counts, const std::string& endpoint);
std::int64_t writes(const Counts& counts);  // every request but a GET
std::string show(const Counts& counts);
std::string show(const std::vector<gp::executor::JournalRecord>& records);

// Every contact of `contact_ids` and every ticket (ids 1, 2, ... while the account has them) in
// the simulator's state shape.
struct World {
    std::map<Id, json::object> contacts;
    std::map<Id, json::object> tickets;
};
World world(Account& account, const std::vector<Id>& contact_ids);
std::vector<Id> contact_ids_of(const std::string& account_file);

// After a complete apply of `plan`: each entry's contact and planned tickets as the steps leave
// them (tags exact, in order), every other contact and ticket exactly as before.
void check_applied(const World& before, const World& after, const gp::Plan& plan);
// Exactly one done record per step of every entry; nothing skipped or failed.
void check_one_done_per_step(const std::vector<gp::executor::JournalRecord>& records,
                             const gp::Plan& plan);

const gp::Entry& entry_of(const gp::Plan& plan, Id contact_id);
// The records of one contact, in journal order.
std::vector<gp::executor::JournalRecord> records_of(
    const std::vector<gp::executor::JournalRecord>& records, Id contact_id);

}  // namespace applytest
