// Civil (proleptic Gregorian) dates as whole days since 1970-01-01, the form every date column
// takes in the core, and the calendar arithmetic the reoffending definition needs: adding
// calendar months (the 29th February, or the 31st, maps to the last day of a shorter month) and
// ages in whole years. The conversions follow Howard Hinnant's days_from_civil algorithms.
#pragma once

#include <array>
#include <cstdint>

namespace yosmodel::dates {

/// A date as its parts.
struct Civil {
    std::int64_t year;
    unsigned month;  ///< 1-12
    unsigned day;    ///< 1-31

    friend bool operator==(const Civil&, const Civil&) = default;
};

[[nodiscard]] constexpr bool is_leap_year(std::int64_t year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

[[nodiscard]] constexpr unsigned days_in_month(std::int64_t year, unsigned month) {
    constexpr std::array<unsigned, 12> lengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29U : lengths[month - 1];
}

/// Days since 1970-01-01 of a valid civil date (negative before it).
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t year, unsigned month,
                                                     unsigned day) {
    // Count from 1 March of year 0, so the leap day falls at the end of each counted year.
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);  // [0, 399]
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

[[nodiscard]] constexpr std::int64_t days_from_civil(const Civil& date) {
    return days_from_civil(date.year, date.month, date.day);
}

/// The civil date of a day number.
[[nodiscard]] constexpr Civil civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146097);  // [0, 146096]
    const unsigned year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
    const unsigned shifted_month = (5 * day_of_year + 2) / 153;                  // March = 0
    const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2), month, day};
}

/// `days` plus `months` calendar months (negative to go back). When the day of the month does not
/// exist in the target month it becomes that month's last day: 29 Feb 2016 + 12 months =
/// 28 Feb 2017, 31 Aug + 6 months = 28 (or 29) Feb.
[[nodiscard]] constexpr std::int64_t add_months(std::int64_t days, std::int64_t months) {
    const Civil date = civil_from_days(days);
    const std::int64_t month_index = date.year * 12 + (date.month - 1) + months;
    const std::int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
    const auto month = static_cast<unsigned>(month_index - year * 12 + 1);
    const unsigned last = days_in_month(year, month);
    return days_from_civil(year, month, date.day < last ? date.day : last);
}

/// Age in whole years on day `on` of someone born on day `born` (negative if `on` is before the
/// birth). A birthday on 29 February is reached on 1 March in common years, as in English law.
[[nodiscard]] constexpr std::int64_t age_in_years(std::int64_t born, std::int64_t on) {
    const Civil b = civil_from_days(born);
    const Civil o = civil_from_days(on);
    std::int64_t age = o.year - b.year;
    if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
    return age;
}

}  // namespace yosmodel::dates
