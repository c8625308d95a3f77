#include "util/encoding.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

TEST_CASE("base64 matches RFC 4648's test vectors for every padding") {
    CHECK(base64("") == "");
    CHECK(base64("f") == "Zg==");
    CHECK(base64("fo") == "Zm8=");
    CHECK(base64("foo") == "Zm9v");
    CHECK(base64("foob") == "Zm9vYg==");
    CHECK(base64("fooba") == "Zm9vYmE=");
    CHECK(base64("foobar") == "Zm9vYmFy");
    // The Basic-auth pair the simulator expects, and bytes above 0x7f: no line breaks, no sign.
    CHECK(base64("sim-api-key:X") == "c2ltLWFwaS1rZXk6WA==");
    CHECK(base64(std::string("\xff\xfe\x00\x80", 4)) == "//4AgA==");
    const std::string long_input(100, 'a');  // EVP_EncodeBlock writes no newline every 64 chars
    CHECK(base64(long_input).find('\n') == std::string::npos);
    CHECK(base64(long_input).size() == 136);
}

TEST_CASE("hex_lower writes two lower-case digits a byte") {
    CHECK(hex_lower("") == "");
    CHECK(hex_lower(std::string("\x00\x01\x7f\x80\xab\xff", 6)) == "00017f80abff");
}

TEST_CASE("bytes_of_hex reads lower-case hex and refuses anything else") {
    std::vector<unsigned char> out;
    REQUIRE(bytes_of_hex("00017f80abff", out));
    CHECK(out == std::vector<unsigned char>{0x00, 0x01, 0x7f, 0x80, 0xab, 0xff});
    REQUIRE(bytes_of_hex("", out));
    CHECK(out.empty());
    CHECK_FALSE(bytes_of_hex("abc", out));   // odd length
    CHECK_FALSE(bytes_of_hex("0g", out));    // not a hex digit
    CHECK_FALSE(bytes_of_hex("AB", out));    // upper case: never written here
    CHECK_FALSE(bytes_of_hex("a b ", out));  // white space
    CHECK_FALSE(bytes_of_hex("-1", out));    // a sign
    CHECK_FALSE(bytes_of_hex("0x", out));    // a prefix
    const std::string digits = hex_lower(std::string("\x12\xef", 2));
    REQUIRE(bytes_of_hex(digits, out));
    CHECK(out == std::vector<unsigned char>{0x12, 0xef});
}
