#include "time/time.hpp"

#include <catch2/catch.hpp>

using namespace gp;

TEST_CASE("timestamps parse and format as UTC seconds") {
    CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_timestamp("2026-11-29T04:00:03Z") == 1795924803);
    CHECK(format_timestamp(1795924803) == "2026-11-29T04:00:03Z");
    CHECK(parse_timestamp("2024-02-29T23:59:59Z") == 1709251199);
    CHECK(format_timestamp(-1) == "1969-12-31T23:59:59Z");
}

TEST_CASE("malformed timestamps are refused") {
    for (const char* bad : {"2026-11-29 04:00:03Z", "2026-11-29T04:00:03", "2026-13-01T00:00:00Z",
                            "2026-02-29T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T04:60:00Z",
                            "2026-11-29T04:00:03+01:00", "", "2026-1-29T04:00:03Z"}) {
        INFO(bad);
        CHECK_FALSE(parse_timestamp(bad).has_value());
    }
}

TEST_CASE("dates are midnight UTC and --as-of accepts both forms") {
    CHECK(parse_date("2026-11-29") == 1795910400);
    CHECK(format_date(1795924803) == "2026-11-29");
    CHECK(start_of_day(1795924803) == 1795910400);
    CHECK(parse_time_arg("2026-11-29") == parse_date("2026-11-29"));
    CHECK(parse_time_arg("2026-11-29T00:00:01Z") == 1795910401);
    CHECK_FALSE(parse_time_arg("2026-11-29T").has_value());
    CHECK_FALSE(parse_date("2026-11-31").has_value());
}

TEST_CASE("durations use the rules file units, hours only where allowed") {
    CHECK(parse_duration("1d")->seconds == 86400);
    CHECK(parse_duration("2w")->seconds == 14 * 86400);
    CHECK(parse_duration("1m")->seconds == 30 * 86400);
    CHECK(parse_duration("4y")->seconds == 1460 * 86400);
    CHECK(parse_duration("180d")->text == "180d");
    CHECK_FALSE(parse_duration("24h").has_value());
    CHECK(parse_duration("24h", HourUnit::allowed)->seconds == 86400);
    for (const char* bad :
         {"0d", "d", "-1d", "+1d", "1.5d", "1D", "1 d", "5 years", "99999999999d"}) {
        INFO(bad);
        CHECK_FALSE(parse_duration(bad, HourUnit::allowed).has_value());
    }
}
