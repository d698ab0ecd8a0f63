// The framework fuzz target's seed corpus (tests/fuzz/corpus/framework_reader/) replayed in the
// ordinary test run, under every compiler and sanitizer preset rather than only the clang fuzz
// build: the shipped frameworks and the small valid seeds are read, each hand-made broken seed
// and each crash input the fuzzer found is refused with the FrameworkError that names its fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "yosmodel/inspection/framework_reader.hpp"

using namespace yosmodel;
using namespace yosmodel::inspection;

namespace {

const std::filesystem::path corpus =
    std::filesystem::path(YOSMODEL_FUZZ_CORPUS) / "framework_reader";

std::string bytes_of(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What each seed gets: "" for read, else a part of the FrameworkError's message. A file in the
// corpus that is not listed here fails the test, so a kept crash input gets its entry.
const std::map<std::string, std::string> expected = {
    {"fji_2016.json", ""},
    {"hmip_youth_2018.json", ""},
    {"hmip_youth_2025.json", ""},
    {"small_valid.json", ""},
    {"small_overall_rule.json", ""},
    {"inspectors.json", ""},
    {"numbers.json", ""},
    {"huge_points.json", ""},  // 2^53 points over 2 standards still fits
    {"bom.json", "line 1, column 1: the text starts with a byte-order mark"},
    {"crash-not-utf8-9efad31a.json", "line 46, column 58: a string is not valid UTF-8"},
    {"latin1.json", "line 1, column 85: a string is not valid UTF-8"},
    {"deep_nesting.json", "nested more than 64 levels deep"},
    {"duplicate_ids.json", "1 theme id(s) appear more than once ('a')"},
    {"duplicate_keys.json", "the key 'id' appears twice in one object"},
    {"leading_zero.json", "column 52: a number has a leading zero"},
    {"nul_bytes.json", "a control character inside a string"},
    {"surrogates.json", "an unpaired surrogate"},
    {"truncated.json", "a string is not closed"},
    {"wrong_types.json", "themes[1].scored must be true or false, not a string"},
};

}  // namespace

TEST(FrameworkCorpus, EverySeedIsReadOrRefusedAsExpected) {
    ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
    std::size_t seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
        const std::string name = entry.path().filename().string();
        const auto want = expected.find(name);
        if (want == expected.end()) {
            ADD_FAILURE() << name << " is in the corpus but not in this test's list";
            continue;
        }
        ++seen;
        const std::string text = bytes_of(entry.path());
        try {
            const Framework f = read_framework(text);
            EXPECT_EQ(want->second, "") << name << " was read, not refused";
            EXPECT_FALSE(f.themes().empty()) << name;
        } catch (const FrameworkError& e) {
            EXPECT_NE(want->second, "") << name << " was refused: " << e.what();
            EXPECT_NE(std::string(e.what()).find(want->second), std::string::npos)
                << name << ": " << e.what();
        }
    }
    EXPECT_EQ(seen, expected.size()) << "a listed seed is missing from the corpus";
}
