// The one list of disposal kinds: its names (written out here by hand, from the definition in
// docs/methodology.md), the published qualifying rule, and a cohort built with that rule.
#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/dates.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/cohort.hpp"
#include "yosmodel/reoffending/disposal_kind.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;

TEST(DisposalKind, NamesInCodeOrder) {
    const std::vector<std::string> expected{
        "custody_release", "court_conviction",     "caution", "custody_sentence",
        "remand",          "community_resolution", "other"};
    ASSERT_EQ(disposal_kinds.size(), expected.size());
    for (std::size_t code = 0; code < disposal_kinds.size(); ++code) {
        EXPECT_EQ(static_cast<std::size_t>(disposal_kinds[code]), code);
        EXPECT_EQ(disposal_kind_name(disposal_kinds[code]), expected[code]);
        EXPECT_EQ(parse_disposal_kind(expected[code]), disposal_kinds[code]);
    }
}

TEST(DisposalKind, UnknownNamesAreRefusedWithTheKinds) {
    for (const char* word : {"Caution", "youth_caution", "", "court conviction"}) {
        try {
            (void)parse_disposal_kind(word);
            FAIL() << word;
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()),
                      "unknown disposal kind '" + std::string(word) +
                          "'; the kinds are custody_release, court_conviction, caution, "
                          "custody_sentence, remand, community_resolution, other");
        }
    }
}

TEST(DisposalKind, ThePublishedRuleQualifiesReleaseConvictionAndCaution) {
    // Ministry of Justice: a release from custody, a non-custodial conviction at court or a
    // caution starts a cohort membership; a custodial sentence waits for its release.
    EXPECT_TRUE(qualifies_for_cohort(DisposalKind::custody_release));
    EXPECT_TRUE(qualifies_for_cohort(DisposalKind::court_conviction));
    EXPECT_TRUE(qualifies_for_cohort(DisposalKind::caution));
    EXPECT_FALSE(qualifies_for_cohort(DisposalKind::custody_sentence));
    EXPECT_FALSE(qualifies_for_cohort(DisposalKind::remand));
    EXPECT_FALSE(qualifies_for_cohort(DisposalKind::community_resolution));
    EXPECT_FALSE(qualifies_for_cohort(DisposalKind::other));
    EXPECT_EQ(published_qualifying(),
              (std::vector<bool>{true, true, true, false, false, false, false}));
    static_assert(qualifies_for_cohort(DisposalKind::caution));
}

TEST(DisposalKind, ACohortBuiltWithThePublishedRule) {
    // One person per kind, each with one disposal in the period: only the three qualifying
    // kinds make cohort members, and each member's index kind is its own.
    const auto day = [](unsigned m) {
        return static_cast<std::int32_t>(dates::days_from_civil(2016, m, 1));
    };
    std::vector<std::int64_t> person;
    std::vector<std::int32_t> date;
    std::vector<std::uint8_t> kind;
    for (const DisposalKind k : disposal_kinds) {
        person.push_back(static_cast<std::int64_t>(k));
        date.push_back(day(3));
        kind.push_back(static_cast<std::uint8_t>(k));
    }
    const std::vector<std::int64_t> no_person;
    const std::vector<std::int32_t> no_date;
    const DisposalColumns disposals{ColumnView("person_id", std::span<const std::int64_t>(person)),
                                    {ColumnView("date", std::span<const std::int32_t>(date))},
                                    ColumnView("kind", std::span<const std::uint8_t>(kind)),
                                    std::nullopt};
    const OffenceColumns offences{
        ColumnView("person_id", std::span<const std::int64_t>(no_person)),
        {ColumnView("offence_date", std::span<const std::int32_t>(no_date))},
        {ColumnView("proven_date", std::span<const std::int32_t>(no_date))},
        std::nullopt,
        std::nullopt};
    CohortRules rules;
    rules.period_start = day(1);
    rules.period_end = day(12);
    rules.qualifying = published_qualifying();
    const Cohort cohort = build_cohort(disposals, offences, PersonSpace{0, disposal_kinds.size()},
                                       rules, {.threads = 1});
    ASSERT_EQ(cohort.size(), 3U);
    for (std::size_t i = 0; i < cohort.size(); ++i) {
        const auto k = static_cast<DisposalKind>(cohort.index_kind[i]);
        EXPECT_TRUE(qualifies_for_cohort(k));
        EXPECT_EQ(cohort.person[i], static_cast<std::uint32_t>(k));
    }
    EXPECT_EQ(cohort.disposal_diagnostics.unknown_kind, 0U);
}
