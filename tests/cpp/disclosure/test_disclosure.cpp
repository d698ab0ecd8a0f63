// Disclosure control against hand-worked tables: primary, linked and secondary suppression,
// the exact recoverability check, and errors that never carry a value.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/disclosure/recoverable.hpp"
#include "yosmodel/disclosure/suppress.hpp"
#include "yosmodel/disclosure/table_lines.hpp"

using namespace yosmodel;
using namespace yosmodel::disclosure;

namespace {

using S = Suppression;

template <class T>
ColumnView column(const char* name, const std::vector<T>& v) {
    return ColumnView(name, std::span<const T>(v));
}

// A full two-way table rows x cols with both margins, cells in row-major order over codes
// [0, rows] x [0, cols] (the last code of each is the total). Interior values are given; the
// totals are computed.
struct TwoWay {
    std::uint64_t rows, cols;
    std::vector<std::int64_t> r, c, value;

    TwoWay(std::uint64_t n_rows, std::uint64_t n_cols, const std::vector<std::int64_t>& interior)
        : rows(n_rows), cols(n_cols) {
        for (std::uint64_t i = 0; i <= rows; ++i)
            for (std::uint64_t j = 0; j <= cols; ++j) {
                r.push_back(static_cast<std::int64_t>(i));
                c.push_back(static_cast<std::int64_t>(j));
                std::int64_t v = 0;
                for (std::uint64_t a = 0; a < rows; ++a)
                    for (std::uint64_t b = 0; b < cols; ++b)
                        if ((i == rows || a == i) && (j == cols || b == j))
                            v += interior[a * cols + b];
                value.push_back(v);
            }
    }
    [[nodiscard]] std::size_t at(std::uint64_t i, std::uint64_t j) const {
        return i * (cols + 1) + j;
    }
    [[nodiscard]] std::vector<TableDimension> dimensions() const {
        return {{column("row", r), rows}, {column("col", c), cols}};
    }
};

std::vector<bool> withheld(const std::vector<S>& cells) {
    std::vector<bool> out;
    for (auto s : cells)
        out.push_back(s != S::published);
    return out;
}

}  // namespace

TEST(Disclosure, OneWayPrimaryAndItsPartner) {
    // Cells 5, 20, 30 and their total 55: 5 is small; alone on its line it would be 55-20-30,
    // so the smallest other cell (20) is withheld too.
    const std::vector<std::int64_t> code{0, 1, 2, 3}, offenders{5, 20, 30, 55};
    const std::vector<TableDimension> dims{{column("yjs", code), 3}};
    const std::vector<ColumnView> counts{column("offenders", offenders)};
    const auto result = suppress(dims, counts, {});
    EXPECT_EQ(result.cells[0],
              (std::vector<S>{S::primary, S::secondary, S::published, S::published}));
    EXPECT_EQ(result.count(S::primary), 1U);
    EXPECT_EQ(result.count(S::secondary), 1U);
}

TEST(Disclosure, NoMarginsMeansNoSecondary) {
    const std::vector<std::int64_t> code{0, 1, 2}, offenders{5, 20, 30};
    const std::vector<TableDimension> dims{{column("yjs", code), 3}};
    const std::vector<ColumnView> counts{column("offenders", offenders)};
    const auto result = suppress(dims, counts, {});
    EXPECT_EQ(result.cells[0], (std::vector<S>{S::primary, S::published, S::published}));
}

TEST(Disclosure, ThresholdAndZero) {
    const std::vector<std::int64_t> code{0, 1, 2, 3}, counts_v{0, 9, 10, 11};
    const std::vector<TableDimension> dims{{column("k", code), 4}};
    const std::vector<ColumnView> counts{column("reoffenders", counts_v)};
    DisclosureRules rules;
    rules.secondary = false;
    EXPECT_EQ(suppress(dims, counts, rules).cells[0],
              (std::vector<S>{S::published, S::primary, S::published, S::published}));
    rules.zero_is_small = true;
    EXPECT_EQ(suppress(dims, counts, rules).cells[0],
              (std::vector<S>{S::primary, S::primary, S::published, S::published}));
    rules.threshold = 12;
    EXPECT_EQ(suppress(dims, counts, rules).count(S::primary), 4U);
}

TEST(Disclosure, NestedCountsAreLinked) {
    // Cell 0: 50 offenders but 3 reoffenders -> reoffenders primary, their 12 reoffences linked.
    // Cell 1: 4 offenders -> everything about them withheld.
    const std::vector<std::int64_t> code{0, 1, 2};
    const std::vector<std::int64_t> offenders{50, 4, 60}, reoffenders{3, 2, 30},
        reoffences{12, 9, 70};
    const std::vector<TableDimension> dims{{column("k", code), 3}};
    const std::vector<ColumnView> counts{column("offenders", offenders),
                                         column("reoffenders", reoffenders),
                                         column("reoffences", reoffences)};
    DisclosureRules rules;
    rules.secondary = false;
    auto result = suppress(dims, counts, rules);
    EXPECT_EQ(result.cells[0], (std::vector<S>{S::published, S::primary, S::published}));
    EXPECT_EQ(result.cells[1], (std::vector<S>{S::primary, S::primary, S::published}));
    EXPECT_EQ(result.cells[2], (std::vector<S>{S::linked, S::primary, S::published}));
    rules.nested = false;
    result = suppress(dims, counts, rules);
    EXPECT_EQ(result.cells[2], (std::vector<S>{S::published, S::primary, S::published}));
}

TEST(Disclosure, PartnersAreSharedAcrossCountsOfACell) {
    // One-way table, total last. Cell 0 is small in every count. The offenders partner is the
    // smallest other cell (1); the reoffenders and reoffences columns take the same cell even
    // though cell 2 has fewer reoffenders, so only one more cell loses its rates.
    const std::vector<std::int64_t> code{0, 1, 2, 3};
    const std::vector<std::int64_t> offenders{5, 20, 40, 65}, reoffenders{2, 15, 11, 28},
        reoffences{3, 30, 25, 58};
    const std::vector<TableDimension> dims{{column("k", code), 3}};
    const std::vector<ColumnView> counts{column("offenders", offenders),
                                         column("reoffenders", reoffenders),
                                         column("reoffences", reoffences)};
    const auto result = suppress(dims, counts, {});
    for (std::size_t c = 0; c < 3; ++c) {
        EXPECT_EQ(result.cells[c][1], S::secondary) << c;
        EXPECT_EQ(result.cells[c][2], S::published) << c;
        EXPECT_EQ(result.cells[c][3], S::published) << c;
    }
}

TEST(Disclosure, ZeroPartnersComeLast) {
    // 3 is small; the other cells are 0 (would give 3 = total exactly) and 25.
    const std::vector<std::int64_t> code{0, 1, 2, 3}, reoffenders{3, 0, 25, 28};
    const std::vector<TableDimension> dims{{column("k", code), 3}};
    const std::vector<ColumnView> counts{column("reoffenders", reoffenders)};
    const auto result = suppress(dims, counts, {});
    EXPECT_EQ(result.cells[0],
              (std::vector<S>{S::primary, S::published, S::secondary, S::published}));
}

TEST(Disclosure, SingleCategoryWithholdsItsTotal) {
    // A line with one category: the total equals it, so the total goes too.
    const std::vector<std::int64_t> code{0, 1}, offenders{4, 4};
    const std::vector<TableDimension> dims{{column("k", code), 1}};
    const std::vector<ColumnView> counts{column("offenders", offenders)};
    const auto result = suppress(dims, counts, {});
    EXPECT_EQ(result.cells[0], (std::vector<S>{S::primary, S::primary}));
    const std::vector<std::int64_t> big{12, 12};
    const std::vector<ColumnView> counts_big{column("offenders", big)};
    EXPECT_EQ(suppress(dims, counts_big, {}).count(S::published), 2U);
}

TEST(Disclosure, TwoWayHandWorked) {
    // 2 x 3 interior:      12  4 30 | 46
    //                      25 18 40 | 83
    //                      37 22 70 | 129
    // 4 is small. Its row needs a partner: 12 (smallest). Its column needs one: 18. Then row 1
    // has only 18 withheld -> the smallest other in that row (25); column 0 now has 12 and 25.
    const TwoWay t(2, 3, {12, 4, 30, 25, 18, 40});
    const auto dims = t.dimensions();
    const std::vector<ColumnView> counts{column("offenders", t.value)};
    const auto result = suppress(dims, counts, {});
    const auto& cells = result.cells[0];
    EXPECT_EQ(cells[t.at(0, 1)], S::primary);
    EXPECT_EQ(cells[t.at(0, 0)], S::secondary);
    EXPECT_EQ(cells[t.at(1, 1)], S::secondary);
    EXPECT_EQ(cells[t.at(1, 0)], S::secondary);
    EXPECT_EQ(result.count(S::secondary), 3U);
    EXPECT_TRUE(recoverable_cells(find_lines(dims, t.value.size()), withheld(cells)).empty());
}

TEST(Recoverable, BridgeBetweenTwoCyclesIsFound) {
    // Two protected 2 x 2 cycles of withheld cells joined by one withheld cell (0, 2): every
    // line has two or more withheld cells, yet rows 0-1 minus columns 0-1 give (0, 2) exactly.
    const TwoWay t(4, 4, std::vector<std::int64_t>(16, 20));
    const auto lines = find_lines(t.dimensions(), t.value.size());
    std::vector<bool> suppressed(t.value.size(), false);
    for (auto [i, j] : std::vector<std::pair<int, int>>{
             {0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}, {0, 2}})
        suppressed[t.at(i, j)] = true;
    EXPECT_EQ(recoverable_cells(lines, suppressed), (std::vector<std::size_t>{t.at(0, 2)}));
    // Without the bridge both cycles are safe.
    suppressed[t.at(0, 2)] = false;
    EXPECT_TRUE(recoverable_cells(lines, suppressed).empty());
    // A lone withheld cell is always recoverable from its row.
    std::vector<bool> lone(t.value.size(), false);
    lone[t.at(1, 1)] = true;
    EXPECT_EQ(recoverable_cells(lines, lone), (std::vector<std::size_t>{t.at(1, 1)}));
}

TEST(Disclosure, SecondaryRepairsABridge) {
    // The bridge pattern above as primary suppressions: the one-per-line heuristic is already
    // satisfied, so only the exact check finds (0, 2) and withholds more.
    std::vector<std::int64_t> interior(16, 20);
    for (auto [i, j] : std::vector<std::pair<int, int>>{
             {0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}, {0, 2}})
        interior[static_cast<std::size_t>(i * 4 + j)] = 3;
    const TwoWay t(4, 4, interior);
    const auto dims = t.dimensions();
    const std::vector<ColumnView> counts{column("offenders", t.value)};
    const auto result = suppress(dims, counts, {});
    EXPECT_EQ(result.count(S::primary), 9U);
    EXPECT_GE(result.count(S::secondary), 1U);
    EXPECT_TRUE(
        recoverable_cells(find_lines(dims, t.value.size()), withheld(result.cells[0])).empty());
}

TEST(Disclosure, RandomThreeWayTablesLeaveNothingRecoverable) {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 30; ++trial) {
        const std::uint64_t a = 2 + rng() % 3, b = 2 + rng() % 3, c = 1 + rng() % 3;
        std::vector<std::int64_t> ka, kb, kc, value;
        std::geometric_distribution<int> size(0.06);
        std::vector<std::int64_t> interior(a * b * c);
        for (auto& v : interior)
            v = size(rng);
        for (std::uint64_t i = 0; i <= a; ++i)
            for (std::uint64_t j = 0; j <= b; ++j)
                for (std::uint64_t k = 0; k <= c; ++k) {
                    std::int64_t v = 0;
                    for (std::uint64_t x = 0; x < a; ++x)
                        for (std::uint64_t y = 0; y < b; ++y)
                            for (std::uint64_t z = 0; z < c; ++z)
                                if ((i == a || x == i) && (j == b || y == j) && (k == c || z == k))
                                    v += interior[(x * b + y) * c + z];
                    ka.push_back(static_cast<std::int64_t>(i));
                    kb.push_back(static_cast<std::int64_t>(j));
                    kc.push_back(static_cast<std::int64_t>(k));
                    value.push_back(v);
                }
        const std::vector<TableDimension> dims{
            {column("a", ka), a}, {column("b", kb), b}, {column("c", kc), c}};
        const std::vector<ColumnView> counts{column("offenders", value)};
        const auto result = suppress(dims, counts, {});
        const auto again = suppress(dims, counts, {});
        EXPECT_EQ(result.cells, again.cells);  // deterministic
        for (std::size_t i = 0; i < value.size(); ++i)
            if (value[i] > 0 && value[i] < 10) {
                EXPECT_EQ(result.cells[0][i], S::primary);
            }
        EXPECT_TRUE(
            recoverable_cells(find_lines(dims, value.size()), withheld(result.cells[0])).empty())
            << "trial " << trial;
    }
}

TEST(Disclosure, ErrorsNameTheRuleNotTheValue) {
    const std::vector<std::int64_t> code{0, 7}, duplicate{0, 0}, offenders{987654, 5};
    const std::vector<std::int64_t> negative{-987654, 5};
    const std::vector<double> missing{987654.0, std::nan("")};
    const std::vector<TableDimension> bad_code{{column("yjs", code), 3}};
    const std::vector<TableDimension> repeated{{column("yjs", duplicate), 3}};
    const auto message = [](auto&& call) {
        try {
            call();
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::vector<ColumnView> good{column("offenders", offenders)};
    const std::vector<ColumnView> neg{column("offenders", negative)};
    const std::vector<ColumnView> nan{column("offenders", missing)};
    for (const auto& text : {message([&] { suppress(bad_code, good, {}); }),
                             message([&] { suppress(repeated, good, {}); }),
                             message([&] { suppress(repeated, neg, {}); }),
                             message([&] { suppress(repeated, nan, {}); }),
                             message([&] { suppress(bad_code, std::vector<ColumnView>{}, {}); }),
                             message([&] { suppress(bad_code, good, {.threshold = 0}); })}) {
        EXPECT_NE(text, "no error");
        EXPECT_EQ(text.find("987654"), std::string::npos) << text;
    }
    EXPECT_NE(message([&] { suppress(bad_code, good, {}); }).find("'yjs'"), std::string::npos);
    EXPECT_NE(message([&] { suppress(repeated, neg, {}); }).find("negative"), std::string::npos);
}

TEST(Disclosure, DocsExample) {
    // docs/cpp.md, "Margins and disclosure control".
    namespace yd = yosmodel::disclosure;
    const std::vector<std::int64_t> service{0, 1, 2, 3}, offenders{5, 20, 30, 55};
    const std::vector<yd::TableDimension> dims{
        {yosmodel::ColumnView("yjs", std::span<const std::int64_t>(service)), 3}};
    const std::vector<yosmodel::ColumnView> counts{
        yosmodel::ColumnView("offenders", std::span<const std::int64_t>(offenders))};
    const auto result = yd::suppress(dims, counts, {});
    EXPECT_EQ(result.cells[0],
              (std::vector<S>{S::primary, S::secondary, S::published, S::published}));
}

TEST(Disclosure, FallbackWhenNoBoxExists) {
    // Row 0 with its total, column 0 with its total, cell (1, 1) and the other totals absent:
    // every box through (0, 0) needs a missing cell, so partners come line by line and the
    // exact check confirms them.     (0,0)=5 (0,1)=20 (0,All)=25 (1,0)=30 (All,0)=35
    const std::vector<std::int64_t> r{0, 0, 0, 1, 2}, c{0, 1, 2, 0, 0},
        offenders{5, 20, 25, 30, 35};
    const std::vector<TableDimension> dims{{column("r", r), 2}, {column("c", c), 2}};
    const std::vector<ColumnView> counts{column("offenders", offenders)};
    const auto result = suppress(dims, counts, {});
    EXPECT_EQ(result.cells[0],
              (std::vector<S>{S::primary, S::secondary, S::published, S::secondary, S::published}));
    EXPECT_TRUE(recoverable_cells(find_lines(dims, r.size()), withheld(result.cells[0])).empty());
}
