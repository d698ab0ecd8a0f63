// Civil dates against Python's datetime (golden values) and against a day-by-day walk of the
// calendar; calendar months at every month-end and leap-day edge.
#include <gtest/gtest.h>

#include <cstdint>

#include "yosmodel/core/dates.hpp"

using namespace yosmodel::dates;

TEST(Dates, GoldenDayNumbersFromPythonDatetime) {
    // date(y, m, d).toordinal() - date(1970, 1, 1).toordinal()
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(days_from_civil(2016, 2, 29), 16860);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(days_from_civil(1900, 1, 1), -25567);
    EXPECT_EQ(days_from_civil(2099, 12, 31), 47481);
    EXPECT_EQ(days_from_civil(1600, 2, 29), -135081);
    EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
    EXPECT_EQ(civil_from_days(16860), (Civil{2016, 2, 29}));
    EXPECT_EQ(civil_from_days(-719162), (Civil{1, 1, 1}));
}

TEST(Dates, AgreesWithADayByDayWalkOfTheCalendar) {
    // Walk forwards from 1 Jan 1600 to 31 Dec 2400 one day at a time.
    std::int64_t day = days_from_civil(1600, 1, 1);
    for (std::int64_t year = 1600; year <= 2400; ++year) {
        for (unsigned month = 1; month <= 12; ++month) {
            for (unsigned d = 1; d <= days_in_month(year, month); ++d) {
                ASSERT_EQ(days_from_civil(year, month, d), day) << year << "-" << month << "-" << d;
                ASSERT_EQ(civil_from_days(day), (Civil{year, month, d}));
                ++day;
            }
        }
    }
}

TEST(Dates, LeapYears) {
    EXPECT_TRUE(is_leap_year(2016));
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_FALSE(is_leap_year(1900));
    EXPECT_FALSE(is_leap_year(2017));
    EXPECT_EQ(days_in_month(2016, 2), 29U);
    EXPECT_EQ(days_in_month(2100, 2), 28U);
}

TEST(Dates, AddMonthsMapsMissingDaysToTheMonthEnd) {
    const auto d = [](std::int64_t y, unsigned m, unsigned dd) {
        return days_from_civil(y, m, dd);
    };
    EXPECT_EQ(add_months(d(2016, 2, 29), 12), d(2017, 2, 28));
    EXPECT_EQ(add_months(d(2016, 2, 29), 48), d(2020, 2, 29));
    EXPECT_EQ(add_months(d(2017, 2, 28), 6), d(2017, 8, 28));
    EXPECT_EQ(add_months(d(2015, 8, 31), 6), d(2016, 2, 29));
    EXPECT_EQ(add_months(d(2016, 8, 31), 6), d(2017, 2, 28));
    EXPECT_EQ(add_months(d(2016, 1, 31), 1), d(2016, 2, 29));
    EXPECT_EQ(add_months(d(2016, 3, 31), 1), d(2016, 4, 30));
    EXPECT_EQ(add_months(d(2016, 12, 15), 1), d(2017, 1, 15));
    EXPECT_EQ(add_months(d(2016, 10, 1), 12), d(2017, 10, 1));
    EXPECT_EQ(add_months(d(2016, 3, 31), -1), d(2016, 2, 29));
    EXPECT_EQ(add_months(d(2016, 1, 15), -13), d(2014, 12, 15));
    EXPECT_EQ(add_months(d(2016, 5, 5), 0), d(2016, 5, 5));
    EXPECT_EQ(add_months(d(-1, 3, 31), -1), d(-1, 2, 28));  // 2 BC: not a leap year
    EXPECT_EQ(add_months(d(0, 1, 31), -11), d(-1, 2, 28));
}

TEST(Dates, AgeInWholeYears) {
    const auto d = [](std::int64_t y, unsigned m, unsigned dd) {
        return days_from_civil(y, m, dd);
    };
    EXPECT_EQ(age_in_years(d(2000, 6, 15), d(2016, 6, 14)), 15);
    EXPECT_EQ(age_in_years(d(2000, 6, 15), d(2016, 6, 15)), 16);
    // A leap-day birthday is reached on 1 March in common years.
    EXPECT_EQ(age_in_years(d(2000, 2, 29), d(2017, 2, 28)), 16);
    EXPECT_EQ(age_in_years(d(2000, 2, 29), d(2017, 3, 1)), 17);
    EXPECT_EQ(age_in_years(d(2000, 2, 29), d(2016, 2, 29)), 16);
    EXPECT_EQ(age_in_years(d(2000, 1, 1), d(2000, 1, 1)), 0);
}
