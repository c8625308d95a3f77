#include "util/clock.hpp"
#include "util/durable.hpp"
#include "util/encoding.hpp"
#include "util/sha256.hpp"
#include "util/sorted.hpp"
#include "util/text.hpp"
#include "util/threads.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
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

namespace {

// Each call waits, up to a few seconds, until `expected` calls have arrived: true when they have,
// so that they ran at the same time.
struct Meeting {
    std::mutex mutex;
    std::condition_variable arrived;
    int count = 0;
    std::set<std::thread::id> threads;

    bool meet(int expected) {
        std::unique_lock lock(mutex);
        ++count;
        threads.insert(std::this_thread::get_id());
        arrived.notify_all();
        return arrived.wait_for(lock, std::chrono::seconds(5), [&] { return count >= expected; });
    }
};

}  // namespace

TEST_CASE("run_on_threads runs the work that many times at once, the caller one of them") {
    for (const int threads : {2, 4}) {
        Meeting meeting;
        std::atomic<int> met{0};
        run_on_threads(threads, [&] { met += meeting.meet(threads) ? 1 : 0; });
        CHECK(meeting.count == threads);
        CHECK(met == threads);
        CHECK(meeting.threads.size() == static_cast<std::size_t>(threads));
        CHECK(meeting.threads.count(std::this_thread::get_id()) == 1);
    }
}

TEST_CASE("run_on_threads with one thread or fewer runs the work once, on the calling thread") {
    for (const int threads : {1, 0, -3}) {
        std::vector<std::thread::id> ran;
        run_on_threads(threads, [&] { ran.push_back(std::this_thread::get_id()); });
        CHECK(ran == std::vector<std::thread::id>{std::this_thread::get_id()});
    }
}

TEST_CASE("run_on_threads throws a call's exception once every call has returned") {
    for (const bool on_caller : {false, true}) {
        INFO(on_caller);
        const auto caller = std::this_thread::get_id();
        std::atomic<int> finished{0};
        std::atomic<bool> thrown{false};  // one call throws
        const auto work = [&] {
            const bool thrower = (std::this_thread::get_id() == caller) == on_caller;
            if (thrower && !thrown.exchange(true)) {
                throw std::runtime_error("failed on purpose");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            ++finished;
        };
        try {
            run_on_threads(3, work);
            FAIL("no exception");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()) == "failed on purpose");
        }
        CHECK(finished == 2);  // the others were waited for
    }
}

TEST_CASE("sort_unique sorts and keeps one of each value") {
    std::vector<std::int64_t> ids{5, 3, 5, 1, 3, 3, 9};
    sort_unique(ids);
    CHECK(ids == std::vector<std::int64_t>{1, 3, 5, 9});
    std::vector<std::int64_t> none;
    sort_unique(none);
    CHECK(none.empty());
    std::vector<std::string> names{"b", "a", "b", ""};
    sort_unique(names);
    CHECK(names == std::vector<std::string>{"", "a", "b"});
}

TEST_CASE("now_seconds is the system clock in whole seconds") {
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    using std::chrono::system_clock;
    const auto before = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
    const std::int64_t now = now_seconds();
    const auto after = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
    CHECK(before <= now);
    CHECK(now <= after);
    CHECK(now > 1767225600);  // after 2026-01-01: seconds, not milliseconds or days
    CHECK(now < 4102444800);  // before 2100-01-01
}

TEST_CASE("FdCloser closes at the end of its scope and leaves errno as it was") {
    int fd = -1;
    {
        const FdCloser file{::open("/dev/null", O_RDONLY | O_CLOEXEC)};
        fd = file.fd;
        REQUIRE(fd >= 0);
        errno = ENOSPC;
    }
    CHECK(errno == ENOSPC);
    CHECK(::fcntl(fd, F_GETFD) == -1);  // closed
    CHECK(errno == EBADF);
    {
        const FdCloser file{::open("/dev/null", O_RDONLY | O_CLOEXEC)};
        REQUIRE(::close(file.fd) == 0);  // closed behind its back: its own close fails (EBADF)
        errno = ENOSPC;
    }
    CHECK(errno == ENOSPC);
    { const FdCloser none{-1}; }  // nothing to close
}
