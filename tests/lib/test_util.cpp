#include "util/sha256.hpp"
#include "util/text.hpp"

#include <catch2/catch.hpp>

using namespace gp;

TEST_CASE("names compare case-insensitively on trimmed text") {
    CHECK(normalize_name("  VIP\t") == "vip");
    CHECK(normalize_name("Key Account Ltd") == "key account ltd");
    CHECK(normalize_name("Ünïcode") == "Ünïcode");  // non-ASCII bytes are kept
    CHECK(trim("  a b  ") == "a b");
}

TEST_CASE("emails are masked to their first letter and domain") {
    CHECK(mask_email("john@example.com") == "j***@example.com");
    CHECK(mask_email(" Ann.Lee@Example.COM ") == "A***@Example.COM");
    CHECK(mask_email("") == "");
    CHECK(mask_email("no-at-sign") == "***");
    CHECK(mask_email("@example.com") == "***");
}

TEST_CASE("digit strings") {
    CHECK(is_all_digits("123"));
    CHECK_FALSE(is_all_digits(""));
    CHECK_FALSE(is_all_digits("12a"));
    CHECK_FALSE(is_all_digits("-1"));
}

TEST_CASE("sha256 matches the published test vector") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("html_escape writes the five HTML specials as entities, the rest as it is") {
    CHECK(gp::html_escape("a<b>&\"c'd é") == "a&lt;b&gt;&amp;&quot;c&#39;d é");
    CHECK(gp::html_escape("") == "");
    CHECK(gp::html_escape("&amp;") == "&amp;amp;");
}
