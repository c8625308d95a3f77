#include "time/time.hpp"

#include <catch2/catch.hpp>

#include <string>

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

TEST_CASE("parse_http_date reads the IMF-fixdate of a Date header and nothing else", "[time]") {
    CHECK(gp::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") ==
          gp::parse_timestamp("1994-11-06T08:49:37Z"));
    CHECK(gp::parse_http_date("Sun, 06 Dec 2026 18:51:18 GMT") ==
          gp::parse_timestamp("2026-12-06T18:51:18Z"));
    CHECK(gp::parse_http_date("Mon, 29 Feb 2027 00:00:00 GMT") == std::nullopt);   // no such day
    CHECK(gp::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == std::nullopt);  // obsolete
    CHECK(gp::parse_http_date("Sun Nov  6 08:49:37 1994") == std::nullopt);        // asctime
    CHECK(gp::parse_http_date("Sun, 06 Nox 1994 08:49:37 GMT") == std::nullopt);
    CHECK(gp::parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC") == std::nullopt);
    CHECK(gp::parse_http_date("Sun, 06 Nov 1994 24:49:37 GMT") == std::nullopt);
    CHECK(gp::parse_http_date("") == std::nullopt);
}

TEST_CASE("the Gregorian leap years: 1900 and 2100 are not, 2000 is") {
    CHECK_FALSE(parse_date("1900-02-29").has_value());
    CHECK(parse_date("1900-03-01") == -2203891200);
    CHECK(parse_date("1900-02-28") == -2203977600);
    CHECK(parse_date("2000-02-29") == 951782400);
    CHECK(parse_date("2000-03-01") == 951868800);
    CHECK_FALSE(parse_date("2100-02-29").has_value());
    CHECK(parse_date("2100-02-28") == 4107456000);
    CHECK(parse_date("2100-03-01") == 4107542400);
    CHECK(parse_date("0000-01-01") == -62167219200);  // year 0 is a leap year too
    CHECK(parse_date("0000-02-29").has_value());
    CHECK_FALSE(parse_date("2026-00-10").has_value());
    CHECK_FALSE(parse_date("2026-04-00").has_value());
    CHECK_FALSE(parse_date("2026-04-31").has_value());
}

TEST_CASE("every day from 1899 to 2101 formats and parses back, one day apart") {
    const UnixTime first = *parse_date("1899-01-01");
    const UnixTime last = *parse_date("2101-12-31");
    int leap_days = 0;
    std::string previous = "1898-12-31";
    for (UnixTime t = first; t <= last; t += seconds_per_day) {
        const std::string date = format_date(t);
        REQUIRE(date > previous);
        REQUIRE(parse_date(date) == t);
        REQUIRE(format_date(t + seconds_per_day - 1) == date);
        leap_days += date.substr(5) == "02-29" ? 1 : 0;
        previous = date;
    }
    CHECK(previous == "2101-12-31");
    CHECK(leap_days == 49);  // 1904-2096 every fourth year, 2000 included; not 1900 nor 2100
    CHECK((last - first) / seconds_per_day + 1 == 203 * 365 + 49);
}

TEST_CASE("dates far from 1970 format in the proleptic Gregorian calendar") {
    constexpr UnixTime cycle = 146097 * seconds_per_day;  // 400 years
    CHECK(format_date(-cycle) == "1570-01-01");
    CHECK(format_date(cycle) == "2370-01-01");
    CHECK(format_timestamp(2500000 * cycle + 3661) == "1000001970-01-01T01:01:01Z");
    CHECK(format_date(-62167219200) == "0000-01-01");
    CHECK(format_date(-62167219200 - 1) == "-001-12-31");
    CHECK(format_date(*parse_date("9999-12-31")) == "9999-12-31");
}
