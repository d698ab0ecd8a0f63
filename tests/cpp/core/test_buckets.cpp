// The counting-sort bucketer and the ranked member set against brute force.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "yosmodel/core/detail/buckets.hpp"
#include "yosmodel/core/detail/ranked_set.hpp"

using namespace yosmodel;

// A decoder that keeps each row whose key is not no_bucket, with its row number as the record.
auto rows_of(const std::vector<std::uint32_t>& key_of) {
    return [&key_of](unsigned, std::size_t begin, std::size_t n, std::uint32_t* k,
                     std::uint64_t* rec) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (key_of[begin + i] == no_bucket) continue;
            k[kept] = key_of[begin + i];
            rec[kept++] = begin + i;
        }
        return kept;
    };
}

TEST(RankedSet, RanksMatchACountOfEarlierMembers) {
    std::mt19937_64 rng(3);
    for (std::size_t universe : {0U, 1U, 63U, 64U, 65U, 1000U, 4099U}) {
        std::vector<bool> in(universe);
        for (std::size_t i = 0; i < universe; ++i)
            in[i] = rng() % 3 == 0;
        const RankedSet set(universe, [&](std::size_t i) { return in[i]; });
        std::uint32_t members = 0;
        for (std::size_t i = 0; i < universe; ++i) {
            const auto id = static_cast<std::uint32_t>(i);
            EXPECT_EQ(set.contains(id), in[i]);
            EXPECT_EQ(set.rank(id), in[i] ? members : RankedSet::absent);
            members += in[i];
        }
        EXPECT_EQ(set.size(), members);
    }
}

TEST(Buckets, KeepInputOrderWithinBucketsForEveryThreadCount) {
    const std::size_t rows = 50'000, keys = 700;
    std::mt19937_64 rng(5);
    std::vector<std::uint32_t> key_of(rows);
    for (auto& k : key_of)
        k = rng() % 10 == 0 ? no_bucket : static_cast<std::uint32_t>(rng() % keys);
    // Brute force: each key's rows in input order.
    std::vector<std::vector<std::uint64_t>> expected(keys);
    for (std::size_t r = 0; r < rows; ++r)
        if (key_of[r] != no_bucket) expected[key_of[r]].push_back(r);
    for (unsigned threads : {1U, 2U, 5U}) {
        auto buckets = bucket_rows<std::uint64_t>(rows, keys, threads, rows_of(key_of));
        ASSERT_EQ(buckets.start.size(), keys + 1);
        for (std::size_t k = 0; k < keys; ++k) {
            const auto got = buckets.of(k);
            EXPECT_EQ(std::vector<std::uint64_t>(got.begin(), got.end()), expected[k]);
        }
    }
}

// Past 2^20 rows the staging goes through large slabs (huge pages) and every partition's rows
// span many blocks and slabs.
TEST(Buckets, LargeInputsKeepEveryRowInOrder) {
    const std::size_t rows = (std::size_t{1} << 20) + 12'345, keys = 40'000;
    std::vector<std::uint32_t> key_of(rows);
    std::mt19937_64 rng(6);
    for (auto& k : key_of)
        k = rng() % 5 == 0 ? no_bucket : static_cast<std::uint32_t>(rng() % keys);
    std::vector<std::uint32_t> expected_start(keys + 1, 0);
    for (auto k : key_of)
        if (k != no_bucket) ++expected_start[k + 1];
    for (std::size_t k = 0; k < keys; ++k)
        expected_start[k + 1] += expected_start[k];
    for (unsigned threads : {1U, 2U}) {
        auto buckets = bucket_rows<std::uint64_t>(
            rows, keys, threads,
            [&](unsigned, std::size_t begin, std::size_t n, std::uint32_t* k, std::uint64_t* rec) {
                std::size_t kept = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    k[kept] = key_of[begin + i];
                    rec[kept] = begin + i;
                    kept += key_of[begin + i] != no_bucket ? 1 : 0;
                }
                return kept;
            });
        ASSERT_EQ(std::vector<std::uint32_t>(buckets.start.begin(), buckets.start.end()),
                  expected_start);
        for (std::size_t k = 0; k < keys; ++k) {
            const auto got = buckets.of(k);
            for (std::size_t i = 0; i < got.size(); ++i) {
                ASSERT_EQ(key_of[got[i]], k);
                if (i > 0) {
                    ASSERT_LT(got[i - 1], got[i]);
                }
            }
        }
    }
}

TEST(Buckets, EmptyInput) {
    auto buckets = bucket_rows<std::uint64_t>(0, 3, 2,
                                              [](unsigned, std::size_t, std::size_t, std::uint32_t*,
                                                 std::uint64_t*) -> std::size_t { return 0; });
    EXPECT_EQ(buckets.records.size(), 0U);
    EXPECT_EQ(buckets.of(2).size(), 0U);
}

// The cohort lays each partition out on its own, in one buffer reused from partition to
// partition: every key's rows must come out as a plain grouping would give them, in input order,
// for partitions of every fullness (the last one short, one with no rows at all).
TEST(Buckets, PartitionsLaidOutOneAtATimeInAReusedBufferMatchBruteForce) {
    const std::size_t partition = StagedBuckets<std::uint64_t>::partition_keys;
    const std::size_t rows = 300'000, keys = 3 * partition + 77;
    std::mt19937_64 rng(8);
    std::vector<std::uint32_t> key_of(rows);
    for (auto& k : key_of) {
        k = static_cast<std::uint32_t>(rng() % keys);
        if (k >= partition && k < 2 * partition) k = no_bucket;  // the second partition: empty
        if (rng() % 7 == 0) k = no_bucket;
    }
    std::vector<std::vector<std::uint64_t>> expected(keys);
    for (std::size_t r = 0; r < rows; ++r)
        if (key_of[r] != no_bucket) expected[key_of[r]].push_back(r);
    for (unsigned threads : {1U, 2U, 3U}) {
        const auto staged = stage_rows<std::uint64_t>(rows, keys, threads, rows_of(key_of));
        ASSERT_EQ(staged.partitions(), 4U);
        EXPECT_EQ(staged.rows(1), 0U);
        EXPECT_EQ(staged.width(3), 77U);
        Buckets<std::uint64_t> into;
        std::vector<std::uint32_t> counters;
        // Largest partition first, so the buffer shrinks and must not keep stale rows.
        for (std::size_t p : {0U, 3U, 1U, 2U}) {
            staged.lay_out(p, into, counters);
            ASSERT_EQ(into.start.size(), staged.width(p) + 1);
            for (std::size_t k = 0; k < staged.width(p); ++k) {
                const auto got = into.of(k);
                ASSERT_EQ(std::vector<std::uint64_t>(got.begin(), got.end()),
                          expected[StagedBuckets<std::uint64_t>::first_key(p) + k]);
            }
        }
    }
}
