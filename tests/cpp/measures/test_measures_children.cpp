// First time entrants, outcomes in a period, concentration and live statuses, on small record
// sets whose answers were worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "yosmodel/core/dates.hpp"
#include "yosmodel/measures/concentration.hpp"
#include "yosmodel/measures/first_outcomes.hpp"
#include "yosmodel/measures/live_status.hpp"

using namespace yosmodel;
using namespace yosmodel::measures;
using yosmodel::dates::days_from_civil;

namespace {

std::int64_t day(int y, unsigned m, unsigned d) {
    return days_from_civil(y, m, d);
}

struct Records {
    std::vector<std::int64_t> person, date, born;
    std::vector<std::uint8_t> substantive;
    void add(std::int64_t p, std::int64_t d, std::int64_t b, bool s = true) {
        person.push_back(p);
        date.push_back(d);
        born.push_back(b);
        substantive.push_back(s ? 1 : 0);
    }
    OutcomeRecords view(std::size_t persons) const {
        return {person, date, substantive, born, persons};
    }
};

EntrantRules year_2015() {
    EntrantRules r;
    r.period_start = day(2015, 1, 1);
    r.period_end = day(2015, 12, 31);
    r.history_start = day(2010, 1, 1);
    return r;
}

}  // namespace

TEST(FirstTimeEntrants, HandWorkedYear) {
    Records r;
    // 0: a caution at 9 (impossible, set aside), then a sentence at 10 in 2015: an entrant.
    r.add(0, day(2014, 12, 1), day(2005, 1, 15));
    r.add(0, day(2015, 2, 1), day(2005, 1, 15));
    // 1: first outcome on 1 January 2015; 2: on 31 December 2015: both in.
    r.add(1, day(2015, 1, 1), day(2000, 6, 1));
    r.add(2, day(2015, 12, 31), day(2001, 6, 1));
    // 3: first outcome on 31 December 2014: not in 2015, whatever follows.
    r.add(3, day(2014, 12, 31), day(2001, 6, 1));
    r.add(3, day(2015, 3, 1), day(2001, 6, 1));
    // 4: two outcomes in 2015 (the later first in the table): counted once, at the earlier one.
    r.add(4, day(2015, 9, 1), day(2002, 6, 1));
    r.add(4, day(2015, 4, 1), day(2002, 6, 1));
    // 5: first outcome at 18: an adult, not counted. 6: no date of birth: not counted.
    r.add(5, day(2015, 5, 1), day(1997, 1, 1));
    r.add(6, day(2015, 5, 1), missing_day);
    // 7: only a non-substantive outcome (a community resolution) in 2015.
    r.add(7, day(2015, 5, 1), day(2002, 1, 1), false);
    // a row without a person
    r.add(-1, day(2015, 5, 1), day(2002, 1, 1));
    const auto fte = first_time_entrants(r.view(8), year_2015());
    EXPECT_EQ(fte.person, (std::vector<std::int64_t>{0, 1, 2, 4}));
    EXPECT_EQ(fte.row, (std::vector<std::int64_t>{1, 2, 3, 7}));
    EXPECT_EQ(fte.age, (std::vector<std::int64_t>{10, 14, 14, 12}));
    // Turned 10 before 2010: 1 (born 2000) did on 1 June 2010, after history_start: trusted.
    // 0 turned 10 in 2015. Everyone here turned 10 after 1 January 2010.
    EXPECT_EQ(fte.without_full_history, (std::vector<std::uint8_t>{0, 0, 0, 0}));
    EXPECT_EQ(fte.diagnostics.below_youngest_age, 1u);
    EXPECT_EQ(fte.diagnostics.older_than_oldest, 1u);
    EXPECT_EQ(fte.diagnostics.missing_date_of_birth, 1u);
    EXPECT_EQ(fte.diagnostics.missing_person, 1u);
}

TEST(FirstTimeEntrants, ChildrenOldEnoughBeforeTheRecordsAreFlagged) {
    Records r;
    r.add(0, day(2015, 6, 1), day(2000, 6, 1));  // 10 on 1 June 2010
    r.add(1, day(2015, 6, 1), day(2000, 6, 2));  // 10 on 2 June 2010
    auto rules = year_2015();
    rules.history_start = day(2010, 6, 2);  // records from 2 June 2010
    const auto fte = first_time_entrants(r.view(2), rules);
    // 0 was 10 on 1 June, before the records begin; 1 turned 10 on their first day.
    EXPECT_EQ(fte.without_full_history, (std::vector<std::uint8_t>{1, 0}));
}

TEST(FirstTimeEntrants, HistoryStartDefaultsToTheEarliestRecordKept) {
    Records r;
    r.add(0, day(2015, 6, 1), day(2000, 6, 1));
    r.add(1, day(2013, 3, 1), day(2000, 6, 1), false);  // a record of any kind shows the reach
    r.add(1, day(2015, 7, 1), day(2000, 6, 1));
    r.add(2, day(1999, 12, 31), day(2001, 1, 1));       // before birth: set aside ...
    r.add(2, day(1998, 1, 1), day(2001, 1, 1), false);  // ... of any kind
    r.add(3, missing_day, day(2000, 1, 1));             // no date
    r.add(-1, day(1990, 1, 1), day(2000, 1, 1));        // no person
    auto rules = year_2015();
    rules.history_start.reset();
    const auto fte = first_time_entrants(r.view(4), rules);
    EXPECT_EQ(fte.history_start, day(2013, 3, 1));
    // Both were 10 on 1 June 2010, before the records' first day: counted on trust.
    EXPECT_EQ(fte.without_full_history, (std::vector<std::uint8_t>{1, 1}));
    EXPECT_EQ(fte.diagnostics.below_youngest_age, 1u);  // substantive rows only, as before
    // Given, it is used as it is; with no record kept, the period's start.
    EXPECT_EQ(first_time_entrants(r.view(4), year_2015()).history_start, day(2010, 1, 1));
    Records none;
    none.add(0, missing_day, day(2000, 1, 1));
    EXPECT_EQ(first_time_entrants(none.view(1), rules).history_start, rules.period_start);
}

TEST(FirstTimeEntrants, RejectsBadInput) {
    Records r;
    r.add(3, day(2015, 6, 1), day(2000, 6, 1));
    EXPECT_THROW((void)first_time_entrants(r.view(2), year_2015()), InputError);
    auto rules = year_2015();
    rules.period_end = rules.period_start - 1;
    EXPECT_THROW((void)first_time_entrants(r.view(4), rules), InputError);
}

TEST(OutcomesInPeriod, KeepsRowsOfAgeInThePeriod) {
    const std::vector<std::int64_t> date{day(2015, 1, 1), day(2014, 12, 31), day(2015, 6, 1),
                                         day(2015, 6, 1), day(2015, 6, 1),   missing_day};
    const std::vector<std::uint8_t> cls{1, 1, 2, 0, 1, 1};
    const std::vector<std::int64_t> born{day(2001, 1, 1), day(2001, 1, 1), day(1990, 1, 1),
                                         day(2001, 1, 1), missing_day,     day(2001, 1, 1)};
    const auto out = outcomes_in_period(date, cls, born, year_2015());
    EXPECT_EQ(out.row, (std::vector<std::int64_t>{0}));
    EXPECT_EQ(out.outside_ages, 1u);
    EXPECT_EQ(out.missing_date_of_birth, 1u);
    EXPECT_EQ(out.missing_date, 1u);
}

TEST(Concentration, HandWorkedShares) {
    // Reoffences 0, 0, 1, 1, 8 (total 10). The top 20% is the one child with 8: 0.8. The top
    // 10% is half of that child: 0.4. The top 60% is 8 + 1 + 1: 1.0.
    const std::vector<std::uint64_t> counts{1, 0, 8, 0, 1};
    const std::vector<double> fractions{0.1, 0.2, 0.6};
    const auto c = concentration(counts, fractions);
    EXPECT_EQ(c.children, 5u);
    EXPECT_EQ(c.reoffences, 10u);
    EXPECT_NEAR(c.shares[0], 0.4, 1e-12);
    EXPECT_NEAR(c.shares[1], 0.8, 1e-12);
    EXPECT_NEAR(c.shares[2], 1.0, 1e-12);
    // Lorenz y: 0, 0, 0, .1, .2, 1; the area under it is 0.16, so Gini = 1 - 0.32.
    EXPECT_NEAR(c.lorenz_y[3], 0.1, 1e-12);
    EXPECT_NEAR(c.gini, 0.68, 1e-12);
}

TEST(Concentration, NoReoffencesAreUndefined) {
    const std::vector<std::uint64_t> counts{0, 0};
    const std::vector<double> fractions{0.5};
    const auto c = concentration(counts, fractions);
    EXPECT_TRUE(std::isnan(c.shares[0]));
    EXPECT_TRUE(std::isnan(c.gini));
    const std::vector<double> bad{1.5};
    EXPECT_THROW((void)concentration(counts, bad), InputError);
}

TEST(LiveStatuses, EachStatusAtItsBoundary) {
    const std::int64_t end = day(2016, 1, 1), wait = day(2016, 7, 1);
    const std::vector<std::int64_t> fue{end, end, end, end, end};
    const std::vector<std::int64_t> we{wait, wait, wait, wait, wait};
    const std::vector<std::uint64_t> reoffences{2, 0, 0, 0, 0};
    const auto on_end = live_statuses(fue, we, reoffences, end);
    EXPECT_EQ(on_end.status[0], ChildStatus::reoffended);
    EXPECT_EQ(on_end.status[1], ChildStatus::in_follow_up);  // the last day still counts
    EXPECT_EQ(on_end.days_left[1], 0);
    EXPECT_EQ(live_statuses(fue, we, reoffences, end - 10).days_left[1], 10);
    EXPECT_EQ(live_statuses(fue, we, reoffences, end + 1).status[1], ChildStatus::awaiting_proof);
    EXPECT_EQ(live_statuses(fue, we, reoffences, wait).status[1], ChildStatus::awaiting_proof);
    EXPECT_EQ(live_statuses(fue, we, reoffences, wait + 1).status[1], ChildStatus::not_reoffended);
}
