#include "plan_run.hpp"

#include "archive/index.hpp"
#include "archive_state.hpp"
#include "engine/engine.hpp"
#include "output.hpp"
#include "reader/reader.hpp"
#include "util/clock.hpp"
#include "util/sorted.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <memory>

namespace gp::cli {

namespace {

// Feeds the progress line (and, with -v, a line per phase) from the reader's progress.
class ReadWatcher {
  public:
    explicit ReadWatcher(freshdesk::Client& client) : client_(client) {}

    void operator()(const reader::Progress& progress) {
        if (progress.phase != phase_ && output_settings().verbose) {
            emit(Level::info, "phase",
                 "gdpr-purge " + output_settings().command + ": reading " + progress.phase,
                 json::object{{"phase", progress.phase}});
        }
        phase_ = progress.phase;
        if (!line_.shown()) {
            return;
        }
        const freshdesk::Counters counters = client_.counters();
        line_.update({progress.phase, progress.ticket_pages + progress.contact_pages,
                      progress.tickets, progress.views_done, progress.views_total, counters.credits,
                      counters.rate_limited, counters.waited_ms, counters.pace_per_minute});
    }
    void done() { line_.done(); }

  private:
    freshdesk::Client& client_;
    ProgressLine line_;
    std::string phase_;
};

Plan plan_subjects(freshdesk::Client& client, const Rules& rules, const PlanRequest& request,
                   reader::ReadOptions& read_options, PlanRunFacts& facts) {
    std::vector<reader::SubjectMatch> matches;
    Snapshot snapshot =
        reader::read_subjects(client, request.subjects, read_options, matches, &facts.read);
    if (request.archive != nullptr) {
        // A hard deletion takes the archived tickets along: the plan names those the index knows.
        for (const Contact& contact : snapshot.contacts) {
            for (const TicketRecord& ticket : request.archive->archived_of(contact.id)) {
                snapshot.add_ticket(ticket);
            }
        }
    }
    std::vector<Id> ids;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        ids.insert(ids.end(), matches[i].contact_ids.begin(), matches[i].contact_ids.end());
        if (i < request.subjects.size()) {
            matches[i].email_masked = mask_email(request.subjects[i]);
        }
        if (matches[i].contact_ids.empty()) {
            const std::string& masked = matches[i].email_masked;
            emit(Level::warning, "subject_not_found",
                 "subject " + masked + ": no contact has this email",
                 json::object{{"email_masked", masked}});
        }
    }
    sort_unique(ids);
    facts.subjects = std::move(matches);
    return evaluate_subjects(snapshot, rules, ids, request.as_of);
}

// Reads what the plan needs and evaluates it; the reading's figures go to `facts`.
Plan make_plan(Connection& connection, const Rules& rules, const PlanRequest& request,
               PlanRunFacts& facts) {
    auto watcher = std::make_shared<ReadWatcher>(connection.client());
    reader::ReadOptions read_options;
    read_options.as_of = request.as_of;
    read_options.concurrency = request.concurrency;
    read_options.on_progress = [watcher](const reader::Progress& p) { (*watcher)(p); };
    read_options.archive = request.archive;
    read_options.archive_budget = request.archive_budget;
    if (request.forecast_days > 0) {
        read_options.candidates_until = request.as_of + request.forecast_days * seconds_per_day;
    }
    Plan plan;
    if (request.subjects.empty()) {
        Snapshot snapshot =
            reader::read_account(connection.client(), rules, read_options, &facts.read);
        plan = evaluate(snapshot, rules, request.as_of);
        plan.header.archive = facts.read.archive;
        plan.header.ticket_ages = ticket_ages(snapshot, rules, request.as_of);
        if (request.forecast_days > 0) {
            plan.header.forecast =
                forecast(std::move(snapshot), rules, request.as_of, request.forecast_days, plan);
        }
    } else {
        plan = plan_subjects(connection.client(), rules, request, read_options, facts);
    }
    watcher->done();
    for (const std::string& warning : facts.read.warnings) {
        emit(Level::warning, "warning", "warning: " + warning, json::object{{"message", warning}});
    }
    if (facts.read.archive && !facts.read.archive->complete) {
        // Contact deletions wait: a cron job's owner must hear of it (docs/reading.md).
        emit(Level::warning, "archive_incomplete",
             "gdpr-purge " + output_settings().command +
                 ": warning: " + archive_line(*facts.read.archive),
             archive_json(*facts.read.archive));
    }
    return plan;
}

}  // namespace

Plan read_and_evaluate(Connection& connection, const Rules& rules, const PlanRequest& request,
                       PlanRunFacts& facts) {
    Plan plan = make_plan(connection, rules, request, facts);
    plan.header.generated_at = format_timestamp(now_seconds());
    plan.header.account = connection.account();
    plan.header.summary.contacts_read = facts.read.contacts_read;
    plan.header.summary.tickets_read = facts.read.tickets_read;
    facts.account = connection.account();
    facts.as_of = plan.header.as_of;
    facts.summary = plan.header.summary;
    return plan;
}

}  // namespace gp::cli
