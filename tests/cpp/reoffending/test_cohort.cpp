// The cohort builder at every boundary of the definition (hand-worked), its diagnostics, and
// against a brute-force reference written here (random data, every thread count).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <span>
#include <tuple>
#include <vector>

#include "yosmodel/core/dates.hpp"
#include "yosmodel/reoffending/cohort.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;
using yosmodel::dates::days_from_civil;

namespace {

constexpr std::int8_t custody_release = 0, court_conviction = 1, caution = 2, custody_sentence = 3;

std::int32_t day(std::int64_t y, unsigned m, unsigned d) {
    return static_cast<std::int32_t>(days_from_civil(y, m, d));
}

template <class T>
ColumnView column(const char* name, const std::vector<T>& v) {
    return ColumnView(name, std::span<const T>(v));
}

struct Events {
    std::vector<std::int64_t> disposal_person;
    std::vector<std::int32_t> disposal_date;
    std::vector<std::int8_t> disposal_kind;
    std::vector<std::int64_t> offence_person;
    std::vector<std::int32_t> offence_date;
    std::vector<std::int32_t> proven_date;
    std::vector<std::uint8_t> counts;
    std::vector<std::int64_t> offence_identity;

    void disposal(std::int64_t person, std::int32_t date, std::int8_t kind = court_conviction) {
        disposal_person.push_back(person);
        disposal_date.push_back(date);
        disposal_kind.push_back(kind);
    }
    void offence(std::int64_t person, std::int32_t committed, std::int32_t proven,
                 bool counting = true, std::int64_t identity = 0) {
        offence_person.push_back(person);
        offence_date.push_back(committed);
        proven_date.push_back(proven);
        counts.push_back(counting ? 1 : 0);
        offence_identity.push_back(identity);
    }

    DisposalColumns disposals() const {
        return {column("person_id", disposal_person),
                {column("date", disposal_date)},
                column("kind", disposal_kind),
                std::nullopt};
    }
    OffenceColumns offences(bool with_identity = false) const {
        return {column("person_id", offence_person),
                {column("offence_date", offence_date)},
                {column("proven_date", proven_date)},
                column("counts", counts),
                with_identity ? std::optional<ColumnView>(column("identity", offence_identity))
                              : std::nullopt};
    }
};

CohortRules rules(std::int32_t start, std::int32_t end) {
    CohortRules r;
    r.period_start = start;
    r.period_end = end;
    r.qualifying = {true, true, true, false};
    return r;
}

CohortRules rules_2016() {
    return rules(day(2016, 1, 1), day(2016, 12, 31));
}

Cohort build(const Events& e, const CohortRules& r, unsigned threads = 1,
             std::uint64_t persons = 10, bool identity = false) {
    return build_cohort(e.disposals(), e.offences(identity), PersonSpace{0, persons}, r,
                        {.threads = threads});
}

}  // namespace

TEST(Cohort, FollowUpBoundaries) {
    // Index 2016-03-10: follow-up ends 2017-03-10, waiting ends 2017-09-10.
    Events e;
    e.disposal(1, day(2016, 3, 10));
    e.offence(1, day(2016, 3, 10), day(2016, 4, 1));  // on the index date: not a reoffence
    e.offence(1, day(2016, 3, 11), day(2016, 4, 1));  // day after: a reoffence
    e.offence(1, day(2017, 3, 10), day(2017, 4, 1));  // on follow_up_end: a reoffence
    e.offence(1, day(2017, 3, 11), day(2017, 4, 1));  // day after follow_up_end: not
    const Cohort c = build(e, rules_2016());
    ASSERT_EQ(c.size(), 1U);
    EXPECT_EQ(c.person[0], 1U);
    EXPECT_EQ(c.index_date[0], day(2016, 3, 10));
    EXPECT_EQ(c.follow_up_end[0], day(2017, 3, 10));
    EXPECT_EQ(c.waiting_end[0], day(2017, 9, 10));
    EXPECT_EQ(c.reoffences[0], 2U);
    EXPECT_EQ(c.days_to_first_reoffence[0], 1);
    EXPECT_EQ(c.previous_offences[0], 0U);
}

TEST(Cohort, WaitingPeriodBoundaries) {
    Events e;
    e.disposal(1, day(2016, 3, 10));
    e.offence(1, day(2017, 1, 5), day(2017, 9, 10));  // proven on waiting_end: counts
    e.offence(1, day(2017, 1, 6), day(2017, 9, 11));  // proven the day after: does not
    const Cohort c = build(e, rules_2016());
    ASSERT_EQ(c.size(), 1U);
    EXPECT_EQ(c.reoffences[0], 1U);
    EXPECT_EQ(c.days_to_first_reoffence[0], day(2017, 1, 5) - day(2016, 3, 10));
}

TEST(Cohort, LeapDayIndexDate) {
    Events e;
    e.disposal(2, day(2016, 2, 29), caution);
    e.offence(2, day(2017, 2, 28), day(2017, 8, 28));  // on follow_up_end, proven on waiting_end
    e.offence(2, day(2017, 3, 1), day(2017, 3, 2));    // after follow_up_end
    e.offence(2, day(2017, 2, 1), day(2017, 8, 29));   // proven after waiting_end
    const Cohort c = build(e, rules_2016());
    ASSERT_EQ(c.size(), 1U);
    EXPECT_EQ(c.follow_up_end[0], day(2017, 2, 28));
    EXPECT_EQ(c.waiting_end[0], day(2017, 8, 28));
    EXPECT_EQ(c.index_kind[0], caution);
    EXPECT_EQ(c.reoffences[0], 1U);
}

TEST(Cohort, FirstQualifyingDisposalInThePeriodIsTheIndex) {
    Events e;
    e.disposal(3, day(2016, 9, 1), caution);             // row 0
    e.disposal(3, day(2016, 5, 1), custody_release);     // row 1: earliest qualifying
    e.disposal(3, day(2016, 4, 1), custody_sentence);    // row 2: earlier but does not qualify
    e.disposal(3, day(2015, 12, 31), court_conviction);  // row 3: before the period
    e.disposal(4, day(2016, 7, 1), caution);             // row 4: tie on the date ...
    e.disposal(4, day(2016, 7, 1), court_conviction);    // row 5: ... the earlier row wins
    e.disposal(5, day(2017, 1, 1), court_conviction);    // outside the period: not in the cohort
    e.disposal(6, day(2016, 6, 1), custody_sentence);    // never qualifies
    const Cohort c = build(e, rules_2016());
    ASSERT_EQ(c.size(), 2U);
    EXPECT_EQ(c.person[0], 3U);
    EXPECT_EQ(c.index_row[0], 1);
    EXPECT_EQ(c.index_date[0], day(2016, 5, 1));
    EXPECT_EQ(c.index_kind[0], custody_release);
    EXPECT_EQ(c.person[1], 4U);
    EXPECT_EQ(c.index_row[1], 4);
    EXPECT_EQ(c.index_kind[1], caution);
    EXPECT_EQ(c.disposal_diagnostics.qualifying_in_period, 4U);
}

TEST(Cohort, PeriodBoundsAreInclusive) {
    Events e;
    e.disposal(1, day(2016, 1, 1));
    e.disposal(2, day(2016, 12, 31));
    e.disposal(3, day(2015, 12, 31));
    e.disposal(4, day(2017, 1, 1));
    const Cohort c = build(e, rules_2016());
    ASSERT_EQ(c.size(), 2U);
    EXPECT_EQ(c.person[0], 1U);
    EXPECT_EQ(c.person[1], 2U);
}

TEST(Cohort, PreviousOffencesAndOffencesBeforeTheIndexDate) {
    Events e;
    e.disposal(1, day(2016, 6, 1));
    e.offence(1, day(2015, 1, 1), day(2015, 2, 1));         // proven before: previous
    e.offence(1, day(2016, 5, 1), day(2016, 5, 31));        // proven the day before: previous
    e.offence(1, day(2016, 5, 20), day(2016, 6, 1));        // proven on the index date: neither
    e.offence(1, day(2016, 5, 25), day(2016, 8, 1));        // committed before, proven after:
                                                            // never a reoffence
    e.offence(1, day(2015, 3, 1), day(2015, 4, 1), false);  // not counting: neither
    e.offence(1, day(2016, 7, 1), day(2016, 8, 1), false);  // not counting: not a reoffence
    const Cohort c = build(e, rules_2016());
    ASSERT_EQ(c.size(), 1U);
    EXPECT_EQ(c.previous_offences[0], 2U);
    EXPECT_EQ(c.reoffences[0], 0U);
    EXPECT_EQ(c.days_to_first_reoffence[0], -1);
    EXPECT_EQ(c.offence_diagnostics.not_counting, 2U);
}

TEST(Cohort, DiagnosticsCountEachRuleAndSetRowsAside) {
    Events e;
    e.disposal(1, day(2016, 6, 1));
    e.disposal(1, day(2016, 6, 1));     // exact duplicate: changes nothing
    e.disposal(2, missing_day);         // missing date
    e.disposal(3, day(1850, 1, 1));     // implausible
    e.disposal(4, day(2016, 6, 1), 9);  // unknown kind
    e.disposal(-5, day(2016, 6, 1));    // outside the person space
    e.offence(1, day(2016, 7, 1), day(2016, 8, 1));
    e.offence(1, day(2016, 7, 1), day(2016, 8, 1));  // exact duplicate: counted once
    e.offence(1, missing_day, day(2016, 8, 1));
    e.offence(1, day(2016, 7, 2), missing_day);
    e.offence(1, day(2200, 1, 1), day(2200, 1, 2));
    e.offence(1, day(2016, 7, 3), day(2150, 1, 1));
    e.offence(1, day(2016, 8, 3), day(2016, 8, 1));  // proven before committed
    e.offence(7, day(2016, 7, 3), day(2016, 8, 1));  // not in the cohort
    e.offence(1, day(2016, 9, 3), day(2016, 10, 1));
    e.counts.back() = 2;  // a counts flag that is not 0 or 1
    const Cohort c = build(e, rules_2016());
    ASSERT_EQ(c.size(), 1U);
    EXPECT_EQ(c.reoffences[0], 1U);
    const auto& d = c.disposal_diagnostics;
    EXPECT_EQ(d.rows, 6U);
    EXPECT_EQ(d.missing_date, 1U);
    EXPECT_EQ(d.implausible_date, 1U);
    EXPECT_EQ(d.unknown_kind, 1U);
    EXPECT_EQ(d.unknown_person, 1U);
    EXPECT_EQ(d.duplicate_rows, 1U);
    const auto& o = c.offence_diagnostics;
    EXPECT_EQ(o.rows, 9U);
    EXPECT_EQ(o.duplicate_rows, 1U);
    EXPECT_EQ(o.missing_offence_date, 1U);
    EXPECT_EQ(o.missing_proven_date, 1U);
    EXPECT_EQ(o.implausible_offence_date, 1U);
    EXPECT_EQ(o.implausible_proven_date, 1U);
    EXPECT_EQ(o.proven_before_committed, 1U);
    EXPECT_EQ(o.invalid_counts_flag, 1U);
    EXPECT_EQ(o.outside_cohort, 1U);
}

TEST(Cohort, RecordsWithNoPersonAreCounted) {
    Events e;
    e.disposal(1, day(2016, 6, 1));
    e.disposal(-1, day(2016, 6, 1));
    e.offence(-1, day(2016, 7, 1), day(2016, 8, 1));
    e.offence(-1, missing_day, day(2016, 8, 1));  // no person comes first
    e.offence(1, day(2016, 7, 1), day(2016, 8, 1));
    const Cohort c =
        build_cohort(e.disposals(), e.offences(), PersonSpace{0, 10, -1}, rules_2016());
    ASSERT_EQ(c.size(), 1U);
    EXPECT_EQ(c.reoffences[0], 1U);
    EXPECT_EQ(c.disposal_diagnostics.missing_person, 1U);
    EXPECT_EQ(c.disposal_diagnostics.unknown_person, 0U);
    EXPECT_EQ(c.offence_diagnostics.missing_person, 2U);
    EXPECT_EQ(c.offence_diagnostics.missing_offence_date, 0U);
}

TEST(Cohort, RowIdentityKeepsDistinctOffencesOnTheSameDay) {
    Events e;
    e.disposal(1, day(2016, 6, 1));
    e.offence(1, day(2016, 7, 1), day(2016, 8, 1), true, 11);
    e.offence(1, day(2016, 7, 1), day(2016, 8, 1), true, 12);  // another offence, same dates
    e.offence(1, day(2016, 7, 1), day(2016, 8, 1), true, 12);  // a true duplicate
    const Cohort with = build(e, rules_2016(), 1, 10, true);
    EXPECT_EQ(with.reoffences[0], 2U);
    EXPECT_EQ(with.offence_diagnostics.duplicate_rows, 1U);
    const Cohort without = build(e, rules_2016(), 1, 10, false);
    EXPECT_EQ(without.reoffences[0], 1U);
    EXPECT_EQ(without.offence_diagnostics.duplicate_rows, 2U);
}

TEST(Cohort, NanosecondDatesGiveTheSameCohort) {
    Events e;
    e.disposal(1, day(2016, 3, 10));
    e.offence(1, day(2016, 3, 11), day(2016, 4, 1));
    e.offence(1, day(1969, 12, 31), day(1970, 1, 1));
    std::vector<std::int64_t> d_ns, o_ns, p_ns;
    constexpr std::int64_t ns = 86'400'000'000'000;
    for (auto v : e.disposal_date)
        d_ns.push_back(v * ns + 3'600'000'000'000);  // 01:00
    for (auto v : e.offence_date)
        o_ns.push_back(v * ns + 23 * 3'600'000'000'000);  // 23:00
    for (auto v : e.proven_date)
        p_ns.push_back(v * ns);
    const DisposalColumns d{column("person_id", e.disposal_person),
                            {column("date", d_ns), DateUnit::nanoseconds},
                            column("kind", e.disposal_kind),
                            std::nullopt};
    const OffenceColumns o{column("person_id", e.offence_person),
                           {column("offence_date", o_ns), DateUnit::nanoseconds},
                           {column("proven_date", p_ns), DateUnit::nanoseconds},
                           std::nullopt,
                           std::nullopt};
    const Cohort a = build_cohort(d, o, {0, 10}, rules_2016());
    const Cohort b = build(e, rules_2016());
    EXPECT_EQ(a.index_date, b.index_date);
    EXPECT_EQ(a.reoffences, b.reoffences);
    EXPECT_EQ(a.previous_offences, b.previous_offences);
    EXPECT_EQ(a.previous_offences[0], 1U);
}

TEST(Cohort, PersonSpaceOffsetAndUnknownPeople) {
    Events e;
    e.disposal(1000, day(2016, 3, 10));
    e.disposal(1002, day(2016, 3, 10));
    e.offence(1000, day(2016, 4, 1), day(2016, 5, 1));
    e.offence(999, day(2016, 4, 1), day(2016, 5, 1));   // below the space
    e.offence(5000, day(2016, 4, 1), day(2016, 5, 1));  // above it
    const Cohort c = build_cohort(e.disposals(), e.offences(), PersonSpace{1000, 3}, rules_2016());
    ASSERT_EQ(c.size(), 2U);
    EXPECT_EQ(c.person[0], 0U);
    EXPECT_EQ(c.person[1], 2U);
    EXPECT_EQ(c.reoffences[0], 1U);
    EXPECT_EQ(c.offence_diagnostics.outside_cohort, 2U);
}

TEST(Cohort, BadInputsThrowWithoutValues) {
    Events e;
    e.disposal(1, day(2016, 3, 10));
    e.offence(1, day(2016, 4, 1), day(2016, 5, 1));
    auto d = e.disposals();
    const std::vector<std::int32_t> short_dates;
    d.date.values = column("date", short_dates);
    EXPECT_THROW(build_cohort(d, e.offences(), {0, 10}, rules_2016()), InputError);
    const std::vector<double> float_dates{1.0};
    auto d2 = e.disposals();
    d2.date.values = column("date", float_dates);
    EXPECT_THROW(build_cohort(d2, e.offences(), {0, 10}, rules_2016()), DtypeError);
    EXPECT_THROW(build(e, rules(day(2016, 2, 1), day(2016, 1, 1))), InputError);
    auto bad = rules_2016();
    bad.follow_up_months = -1;
    EXPECT_THROW(build(e, bad), InputError);
    try {
        build(e, rules(day(2016, 2, 1), day(2016, 1, 1)));
    } catch (const InputError& error) {
        EXPECT_NE(std::string(error.what()).find("period"), std::string::npos);
    }
}

TEST(Cohort, EmptyInputsGiveAnEmptyCohort) {
    Events e;
    const Cohort c = build(e, rules_2016(), 2, 0);
    EXPECT_EQ(c.size(), 0U);
    EXPECT_EQ(c.offence_diagnostics.rows, 0U);
}

namespace {

// The definition applied person by person with nothing clever: a reference for random data.
struct Expected {
    std::uint32_t person;
    std::int64_t index_row, index_date, reoffences, first, previous;
    friend bool operator==(const Expected&, const Expected&) = default;
};

std::vector<Expected> brute_force(const Events& e, const CohortRules& r, std::uint64_t persons) {
    std::vector<Expected> out;
    for (std::uint32_t p = 0; p < persons; ++p) {
        std::int64_t index_row = -1, index_date = 0;
        for (std::size_t i = 0; i < e.disposal_person.size(); ++i) {
            if (e.disposal_person[i] != p || e.disposal_date[i] == missing_day) continue;
            const auto kind = e.disposal_kind[i];
            if (kind < 0 || kind >= 4 || !r.qualifying[static_cast<std::size_t>(kind)]) continue;
            const std::int64_t d = e.disposal_date[i];
            if (d < r.period_start || d > r.period_end) continue;
            if (index_row < 0 || d < index_date) {
                index_row = static_cast<std::int64_t>(i);
                index_date = d;
            }
        }
        if (index_row < 0) continue;
        const std::int64_t follow_up_end = dates::add_months(index_date, r.follow_up_months);
        const std::int64_t waiting_end = dates::add_months(follow_up_end, r.waiting_months);
        std::set<std::tuple<std::int64_t, std::int64_t, int>> seen;
        std::int64_t reoffences = 0, previous = 0, first = -1;
        for (std::size_t i = 0; i < e.offence_person.size(); ++i) {
            if (e.offence_person[i] != p) continue;
            const std::int64_t committed = e.offence_date[i], proven = e.proven_date[i];
            if (committed == missing_day || proven == missing_day || proven < committed) continue;
            if (!seen.insert({committed, proven, e.counts[i]}).second) continue;
            if (e.counts[i] != 1) continue;
            if (proven < index_date) ++previous;
            if (committed > index_date && committed <= follow_up_end && proven <= waiting_end) {
                ++reoffences;
                if (first < 0 || committed - index_date < first) first = committed - index_date;
            }
        }
        out.push_back({p, index_row, index_date, reoffences, first, previous});
    }
    return out;
}

Events random_events(std::uint64_t persons, std::size_t disposals, std::size_t offences,
                     unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> person(0, static_cast<std::int64_t>(persons) - 1);
    std::uniform_int_distribution<std::int32_t> when(day(2014, 6, 1), day(2018, 6, 1));
    std::uniform_int_distribution<int> kind(0, 3), delay(0, 400), rare(0, 99);
    Events e;
    for (std::size_t i = 0; i < disposals; ++i) {
        e.disposal(person(rng), when(rng), static_cast<std::int8_t>(kind(rng)));
        if (rare(rng) < 3) e.disposal_date.back() = missing_day;
        if (rare(rng) < 5)
            e.disposal(e.disposal_person.back(), e.disposal_date.back(), e.disposal_kind.back());
    }
    for (std::size_t i = 0; i < offences; ++i) {
        const std::int32_t committed = when(rng);
        e.offence(person(rng), committed, committed + delay(rng) - (rare(rng) < 2 ? 500 : 0),
                  rare(rng) < 90);
        if (rare(rng) < 2) e.offence_date.back() = missing_day;
        if (rare(rng) < 5)
            e.offence(e.offence_person.back(), e.offence_date.back(), e.proven_date.back(),
                      e.counts.back() == 1);
    }
    return e;
}

}  // namespace

TEST(Cohort, AgreesWithBruteForceOnRandomDataForEveryThreadCount) {
    const std::uint64_t persons = 300;
    const Events e = random_events(persons, 700, 6000, 7);
    const CohortRules r = rules(day(2015, 10, 1), day(2016, 9, 30));
    const auto expected = brute_force(e, r, persons);
    ASSERT_GT(expected.size(), 100U);
    Cohort first;
    for (unsigned threads : {1U, 2U, 3U, 8U}) {
        const Cohort c = build(e, r, threads, persons);
        std::vector<Expected> got;
        for (std::size_t s = 0; s < c.size(); ++s)
            got.push_back({c.person[s], c.index_row[s], c.index_date[s], c.reoffences[s],
                           c.days_to_first_reoffence[s], c.previous_offences[s]});
        EXPECT_EQ(got, expected) << threads << " threads";
        if (threads == 1) {
            first = c;
        } else {
            EXPECT_EQ(c.follow_up_end, first.follow_up_end);
            EXPECT_EQ(c.offence_diagnostics, first.offence_diagnostics);
            EXPECT_EQ(c.disposal_diagnostics, first.disposal_diagnostics);
        }
    }
}

TEST(Cohort, ManyThreadsOverManyChunksMatchOneThread) {
    // Enough rows that every worker gets several chunks of the bucketing passes.
    const std::uint64_t persons = 5000;
    const Events e = random_events(persons, 12000, 60000, 11);
    const CohortRules r = rules(day(2015, 1, 1), day(2016, 12, 31));
    const Events before = e;
    const Cohort one = build(e, r, 1, persons);
    const Cohort four = build(e, r, 4, persons);
    EXPECT_EQ(one.person, four.person);
    EXPECT_EQ(one.index_row, four.index_row);
    EXPECT_EQ(one.reoffences, four.reoffences);
    EXPECT_EQ(one.days_to_first_reoffence, four.days_to_first_reoffence);
    EXPECT_EQ(one.previous_offences, four.previous_offences);
    EXPECT_EQ(one.offence_diagnostics, four.offence_diagnostics);
    EXPECT_EQ(one.disposal_diagnostics, four.disposal_diagnostics);
    // The inputs were only read.
    EXPECT_EQ(e.offence_date, before.offence_date);
    EXPECT_EQ(e.offence_person, before.offence_person);
    EXPECT_EQ(e.disposal_date, before.disposal_date);
}

namespace {

// Random records every chunk of which passes the date and flag rules (so datetime64 ticks take
// the builder's fast path), with people outside the space and records with no person.
Events clean_random_events(std::uint64_t persons, std::size_t offences, unsigned seed) {
    std::mt19937_64 rng(seed);
    const auto n = static_cast<std::int64_t>(persons);
    std::uniform_int_distribution<std::int64_t> person(-40, n + 40);  // -1 is no person
    std::uniform_int_distribution<std::int32_t> when(day(2014, 6, 1), day(2018, 6, 1));
    std::uniform_int_distribution<int> kind(0, 3), delay(0, 400), rare(0, 99);
    Events e;
    for (std::int64_t p = 0; p < n; ++p)
        e.disposal(p, when(rng), static_cast<std::int8_t>(kind(rng)));
    for (std::size_t i = 0; i < offences; ++i) {
        const std::int32_t committed = when(rng);
        e.offence(rare(rng) < 3 ? -1 : person(rng), committed, committed + delay(rng),
                  rare(rng) < 90);
    }
    return e;
}

std::vector<std::int64_t> as_nanoseconds(const std::vector<std::int32_t>& days) {
    std::vector<std::int64_t> out;
    for (const auto d : days)
        out.push_back(d * std::int64_t{86'400'000'000'000});
    return out;
}

}  // namespace

// The fast path for datetime64 ticks (a membership pass with no branch, then the members' rows)
// against the general path on day numbers: the same cohort and the same counts of rows set aside.
TEST(Cohort, NanosecondTicksAgreeWithDaysOnRandomDataWithUnknownAndMissingPeople) {
    const std::uint64_t persons = 5000;
    const Events e = clean_random_events(persons, 60'000, 13);
    const CohortRules r = rules(day(2015, 1, 1), day(2015, 12, 31));
    const auto d_ns = as_nanoseconds(e.disposal_date);
    const auto o_ns = as_nanoseconds(e.offence_date);
    const auto p_ns = as_nanoseconds(e.proven_date);
    const DisposalColumns d{column("person_id", e.disposal_person),
                            {column("date", d_ns), DateUnit::nanoseconds},
                            column("kind", e.disposal_kind),
                            std::nullopt};
    const OffenceColumns o{column("person_id", e.offence_person),
                           {column("offence_date", o_ns), DateUnit::nanoseconds},
                           {column("proven_date", p_ns), DateUnit::nanoseconds},
                           column("counts", e.counts),
                           std::nullopt};
    for (const std::uint64_t space : {persons, std::uint64_t{0}}) {
        const PersonSpace people{0, space, -1};
        for (unsigned threads : {1U, 2U}) {
            const Cohort ticks = build_cohort(d, o, people, r, {.threads = threads});
            const Cohort days =
                build_cohort(e.disposals(), e.offences(), people, r, {.threads = threads});
            EXPECT_EQ(ticks.person, days.person);
            EXPECT_EQ(ticks.reoffences, days.reoffences);
            EXPECT_EQ(ticks.days_to_first_reoffence, days.days_to_first_reoffence);
            EXPECT_EQ(ticks.previous_offences, days.previous_offences);
            EXPECT_EQ(ticks.offence_diagnostics, days.offence_diagnostics);
            EXPECT_EQ(ticks.offence_diagnostics.rows, e.offence_person.size());
            if (space == 0) {
                EXPECT_EQ(ticks.size(), 0U);
            } else {
                EXPECT_GT(ticks.size(), 500U);
                EXPECT_GT(ticks.offence_diagnostics.missing_person, 1000U);
                EXPECT_GT(ticks.offence_diagnostics.outside_cohort, 10'000U);
            }
        }
    }
}
