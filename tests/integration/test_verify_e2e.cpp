// apply --sign-key and gdpr-purge verify end to end against freshdesk-sim (docs/apply.md, "The
// journal"): a signed journal verifies against its plan and public key; one byte flipped, a line
// removed, a line added after the signature fail with exit 3 and the line; a bad key stops apply
// before its first request; the private key appears in no output and no file.
#include "test_apply_e2e.hpp"
#include "test_keys.hpp"
#include "text_lines.hpp"

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>

namespace json = boost::json;

namespace {

e2e::Run verify(const std::vector<std::string>& args) {
    std::vector<std::string> all{"verify"};
    all.insert(all.end(), args.begin(), args.end());
    return e2e::run_cli(all, {});
}

// The private key's secret forms: the PEM file, each of its base64 lines, the raw 32-byte seed in
// hex.
std::vector<std::string> secret_forms(const std::string& pem_path) {
    const std::string pem = e2e::read_file(pem_path);
    std::vector<std::string> forms{pem};
    for (const std::string& line : testlines::lines_of(pem)) {
        if (!line.starts_with("-----")) {
            forms.push_back(line);
        }
    }
    FILE* file = std::fopen(pem_path.c_str(), "r");
    REQUIRE(file != nullptr);
    EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
    std::fclose(file);
    REQUIRE(key != nullptr);
    unsigned char raw[32];
    std::size_t size = sizeof raw;
    REQUIRE(EVP_PKEY_get_raw_private_key(key, raw, &size) == 1);
    EVP_PKEY_free(key);
    static constexpr char hex[] = "0123456789abcdef";
    std::string seed;
    for (std::size_t i = 0; i < size; ++i) {
        seed += hex[raw[i] >> 4];
        seed += hex[raw[i] & 15];
    }
    forms.push_back(seed);
    REQUIRE(forms.size() >= 3);
    return forms;
}

}  // namespace

TEST_CASE("apply --sign-key, verify --plan --public-key: ok, then tampering exits 3 with the line",
          "[e2e][apply][verify]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2)));
    const std::string base = sim.base_url();
    const simtest::TempDir dir;
    const simtest::KeyFiles keys = simtest::write_key_pair(dir.file("journal-key"));
    const simtest::KeyFiles other = simtest::write_key_pair(dir.file("other-key"));
    const std::string plan = dir.file("plan.json");
    e2e::make_plan(base, e2e::soft_rules_file(), plan);
    const std::string journal = plan + ".journal.jsonl";
    std::vector<std::pair<std::string, e2e::Run>> runs;

    // A bad key stops apply before its first request, and before its journal.
    const std::int64_t before = e2e::api_requests(sim.port());
    runs.emplace_back("apply, a public key as --sign-key",
                      e2e::run_apply(base, plan, {"--sign-key", keys.public_pem}));
    CHECK(runs.back().second.status == 3);
    CHECK(e2e::contains(runs.back().second.err, "--sign-key"));
    CHECK(e2e::api_requests(sim.port()) == before);
    CHECK_FALSE(e2e::file_exists(journal));

    runs.emplace_back("apply --sign-key", e2e::run_apply(base, plan,
                                                         {"--sign-key", keys.private_pem, "-v",
                                                          "--report", dir.file("report.json")}));
    INFO("apply stderr: " << runs.back().second.err);
    REQUIRE(runs.back().second.status == 0);
    const std::vector<json::object> parsed = e2e::journal(journal);
    REQUIRE(parsed.size() >= 3);
    for (std::size_t i = 0; i + 1 < parsed.size(); ++i) {
        CHECK(parsed[i].contains("prev"));
        CHECK_FALSE(parsed[i].contains("signature"));
    }
    const json::object& last = parsed.back();
    REQUIRE(last.contains("signature"));
    CHECK(last.at("signature").as_object().at("alg") == "ed25519");
    CHECK(last.at("plan_sha256").as_string() == e2e::sha256_file(plan));
    CHECK(last.at("run") == parsed.front().at("run"));

    runs.emplace_back("verify", verify({journal, "--plan", plan, "--public-key", keys.public_pem}));
    const e2e::Run& ok = runs.back().second;
    INFO("verify stdout: " << ok.out << "\nstderr: " << ok.err);
    CHECK(ok.status == 0);
    CHECK(ok.err.empty());
    CHECK(e2e::contains(ok.out, "chain: every line chained and intact"));
    CHECK(e2e::contains(ok.out, "signatures: 1, each valid for key"));
    CHECK(e2e::contains(ok.out, "\nok\n"));
    const std::string intact = e2e::read_file(journal);
    const std::vector<std::string> lines = testlines::lines_of(intact);

    // Another key: exit 3 at the signature line.
    runs.emplace_back("verify, another key", verify({journal, "--public-key", other.public_pem}));
    CHECK(runs.back().second.status == 3);
    CHECK(e2e::contains(runs.back().second.err, journal + ":" + std::to_string(lines.size()) +
                                                    ": signed with another key"));

    // One byte flipped in line 2: the chain breaks at line 3.
    const std::string flipped = dir.file("flipped.jsonl");
    std::string text = intact;
    const std::size_t at = lines[0].size() + 1 + lines[1].find("\"run\":\"") + 7;
    text[at] = text[at] == '0' ? '1' : '0';
    e2e::write_file(flipped, text);
    runs.emplace_back("verify, a byte flipped",
                      verify({flipped, "--plan", plan, "--public-key", keys.public_pem}));
    CHECK(runs.back().second.status == 3);
    CHECK(runs.back().second.out.empty());
    CHECK(e2e::contains(runs.back().second.err, flipped + ":3: the chain breaks"));

    // A line removed: the chain breaks where it was.
    const std::string removed = dir.file("removed.jsonl");
    std::vector<std::string> fewer = lines;
    fewer.erase(fewer.begin() + 1);
    e2e::write_file(removed, testlines::joined(fewer));
    runs.emplace_back("verify, a line removed", verify({removed, "--plan", plan}));
    CHECK(runs.back().second.status == 3);
    CHECK(e2e::contains(runs.back().second.err, removed + ":2: the chain breaks"));

    // A line appended after the signature: the journal ends unsigned.
    const std::string appended = dir.file("appended.jsonl");
    e2e::write_file(appended, intact + lines[0] + "\n");
    runs.emplace_back("verify, a line appended",
                      verify({appended, "--public-key", keys.public_pem}));
    CHECK(runs.back().second.status == 3);
    CHECK(e2e::contains(runs.back().second.err,
                        appended + ":" + std::to_string(lines.size() + 1) + ": "));

    // undo-soft signs its own journal too; it verifies (no plan: an undo journal has none).
    runs.emplace_back("undo-soft --sign-key",
                      e2e::run_undo(base, journal, {"--sign-key", keys.private_pem}));
    CHECK(runs.back().second.status == 0);
    runs.emplace_back("verify undo",
                      verify({journal + ".undo.jsonl", "--public-key", keys.public_pem}));
    CHECK(runs.back().second.status == 0);
    runs.emplace_back("verify undo --plan", verify({journal + ".undo.jsonl", "--plan", plan}));
    CHECK(runs.back().second.status == 3);
    CHECK(e2e::contains(runs.back().second.err, "an undo-soft journal"));
    // The apply journal was only read by undo-soft and verify: still the same bytes.
    CHECK(e2e::read_file(journal) == intact);

    // The private key is a secret: in no output and in no file but its own.
    const std::vector<std::string> secrets = secret_forms(keys.private_pem);
    for (const auto& [name, run] : runs) {
        for (const std::string& secret : secrets) {
            INFO(name << " must not show the private key");
            CHECK_FALSE(e2e::contains(run.out, secret));
            CHECK_FALSE(e2e::contains(run.err, secret));
        }
    }
    std::size_t files = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir.path())) {
        if (!f.is_regular_file() || f.path().string() == keys.private_pem) {
            continue;
        }
        ++files;
        const std::string content = e2e::read_file(f.path().string());
        for (const std::string& secret : secrets) {
            INFO(f.path().string() << " must not hold the private key");
            CHECK_FALSE(e2e::contains(content, secret));
        }
    }
    CHECK(files >= 8);
}

// A step the account refuses for good (a tag over 32 characters: mark_pending's PUT is a 400, as
// test_apply_e2e_resume.cpp's exit-1 case): the run exits 1 and its journal still ends signed; the
// second run, which fails again, appends its own lines and signature after the first's.
TEST_CASE("apply --sign-key with a failed step: exit 1, the journal still ends signed",
          "[e2e][apply][verify]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2)));
    e2e::sim_post(sim.port(), "/_sim/contacts/43000000201/tags",
                  R"({"add":["a-tag-longer-than-thirty-two-characters"]})");
    const simtest::TempDir dir;
    const simtest::KeyFiles keys = simtest::write_key_pair(dir.file("journal-key"));
    const std::string plan = dir.file("plan.json");
    e2e::make_plan(sim.base_url(), e2e::rules_file(2), plan);
    const std::string journal = plan + ".journal.jsonl";
    for (int run = 1; run <= 2; ++run) {
        const e2e::Run applied =
            e2e::run_apply(sim.base_url(), plan, {"--sign-key", keys.private_pem});
        INFO("run " << run << ", apply stderr: " << applied.err);
        CHECK(applied.status == 1);
        const std::vector<json::object> lines = e2e::journal(journal);
        REQUIRE_FALSE(lines.empty());
        std::size_t failed = 0;
        std::size_t signatures = 0;
        for (const json::object& line : lines) {
            if (line.contains("outcome") && line.at("outcome") == "failed") {
                ++failed;
            }
            if (line.contains("signature")) {
                ++signatures;
            }
        }
        CHECK(failed == static_cast<std::size_t>(run));
        CHECK(signatures == static_cast<std::size_t>(run));
        CHECK(lines.back().contains("signature"));
        const e2e::Run checked = verify({journal, "--plan", plan, "--public-key", keys.public_pem});
        INFO("verify: " << checked.out << checked.err);
        CHECK(checked.status == 0);
        CHECK(e2e::contains(checked.out, "signatures: " + std::to_string(run) + ", each valid"));
        CHECK(e2e::contains(checked.out, "2 runs") == (run == 2));
    }
}
