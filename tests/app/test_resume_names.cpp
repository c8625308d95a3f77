// The names of the plans that apply --rules makes, as the resumption reads them back
// (app/apply_resume.hpp): only names of exactly that form are taken, with their time and their
// place among runs started in the same second.
#include "apply_resume.hpp"
#include "made_plan.hpp"

#include <catch2/catch.hpp>

namespace {

using gp::cli::parse_made_plan_name;

gp::UnixTime at(const char* timestamp) {
    const auto t = gp::parse_timestamp(timestamp);
    REQUIRE(t);
    return *t;
}

}  // namespace

TEST_CASE("a made plan's name gives its time and sequence", "[resume]") {
    const auto plain = parse_made_plan_name("gdpr-purge-20261128T040003Z.plan.json");
    REQUIRE(plain);
    CHECK(plain->made == at("2026-11-28T04:00:03Z"));
    CHECK(plain->sequence == 1);
    const auto second = parse_made_plan_name("gdpr-purge-20261128T040003Z-2.plan.json");
    REQUIRE(second);
    CHECK(second->made == plain->made);
    CHECK(second->sequence == 2);
    const auto many = parse_made_plan_name("gdpr-purge-20261128T040003Z-1000.plan.json");
    REQUIRE(many);
    CHECK(many->sequence == 1000);
}

TEST_CASE("the name apply --rules gives a plan reads back as its time", "[resume]") {
    const gp::UnixTime now = at("2026-02-28T23:59:59Z");
    const auto stamp = parse_made_plan_name(gp::cli::made_plan_base_name(now) + ".plan.json");
    REQUIRE(stamp);
    CHECK(stamp->made == now);
}

TEST_CASE("names of another form are not taken for made plans", "[resume]") {
    const char* const names[] = {
        "gdpr-purge-20261128T040003Z.journal.jsonl",
        "gdpr-purge-20261128T040003Z.plan.json.journal.jsonl",
        "gdpr-purge-20261128T040003Z.plan.json.tmp-123",
        "x-gdpr-purge-20261128T040003Z.plan.json",
        "gdpr-purge-20261128T040003.plan.json",
        "gdpr-purge-20261128-040003Z.plan.json",
        "gdpr-purge-2026112T0400031Z.plan.json",
        "gdpr-purge-20261128T040003Z-0.plan.json",
        "gdpr-purge-20261128T040003Z-02.plan.json",
        "gdpr-purge-20261128T040003Z-10000.plan.json",
        "gdpr-purge-20261128T040003Z-.plan.json",
        "gdpr-purge-20261128T040003Z_2.plan.json",
        "gdpr-purge-20261128T040003Z-2a.plan.json",
        "gdpr-purge-20261340T040003Z.plan.json",
        "gdpr-purge-20261128T250003Z.plan.json",
        "gdpr-purge-.plan.json",
        "plan.json",
    };
    for (const char* name : names) {
        INFO(name);
        CHECK_FALSE(parse_made_plan_name(name));
    }
}
