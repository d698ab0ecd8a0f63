// The cache of staging slabs kept between calls: reuse, its limit, and rows staged through
// reused slabs.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "yosmodel/core/detail/buckets.hpp"
#include "yosmodel/core/detail/slab_cache.hpp"

using yosmodel::detail::huge_buffer_bytes;
using yosmodel::detail::slab_cache_limit;
using yosmodel::detail::SlabCache;

namespace {

// Each test starts and ends with nothing kept, whatever ran before it in the process.
class SlabCacheTest : public ::testing::Test {
protected:
    void SetUp() override { SlabCache::instance().release_all(); }
    void TearDown() override { SlabCache::instance().release_all(); }
};

constexpr std::size_t slab = std::size_t{16} << 20;

}  // namespace

TEST_F(SlabCacheTest, AReturnedSlabIsTakenAgainBySize) {
    SlabCache& cache = SlabCache::instance();
    void* first = cache.take(slab);
    std::memset(first, 7, slab);  // every page touched, as staging does
    cache.give_back(first, slab);
    EXPECT_EQ(cache.held(), slab);
    void* other = cache.take(slab / 2);  // another size: a fresh slab, the kept one stays
    EXPECT_NE(other, first);
    EXPECT_EQ(cache.held(), slab);
    EXPECT_EQ(cache.take(slab), first);
    EXPECT_EQ(cache.held(), 0U);
    cache.give_back(first, slab);
    cache.give_back(other, slab / 2);
    EXPECT_EQ(cache.held(), slab + slab / 2);
}

TEST_F(SlabCacheTest, HoldsNoMoreThanItsLimitAndNoSmallSlabs) {
    SlabCache& cache = SlabCache::instance();
    std::vector<void*> slabs;
    for (std::size_t held = 0; held <= slab_cache_limit; held += slab)
        slabs.push_back(cache.take(slab));  // one slab more than the limit holds
    for (void* s : slabs)
        cache.give_back(s, slab);
    EXPECT_EQ(cache.held(), slab_cache_limit / slab * slab);
    cache.release_all();
    EXPECT_EQ(cache.held(), 0U);

    void* small = cache.take(huge_buffer_bytes / 2);
    cache.give_back(small, huge_buffer_bytes / 2);
    EXPECT_EQ(cache.held(), 0U);
}

// Rows staged into slabs an earlier call filled come out exactly as the first time: nothing of
// the earlier rows shows through, whatever the slabs held.
TEST_F(SlabCacheTest, StagingIntoReusedSlabsGivesTheSameBuckets) {
    constexpr std::size_t rows = (std::size_t{1} << 20) + 4096;  // large enough for 16 MiB slabs
    constexpr std::size_t keys = 100'000;
    std::vector<std::uint32_t> key_of(rows);
    for (std::size_t i = 0; i < rows; ++i)
        key_of[i] = static_cast<std::uint32_t>((i * 2'654'435'761U) % keys);
    const auto decode = [&key_of](unsigned, std::size_t begin, std::size_t n, std::uint32_t* k,
                                  std::uint64_t* rec) {
        for (std::size_t i = 0; i < n; ++i) {
            k[i] = key_of[begin + i];
            rec[i] = begin + i;
        }
        return n;
    };
    const auto first = yosmodel::bucket_rows<std::uint64_t>(rows, keys, 2, decode);
    ASSERT_GT(SlabCache::instance().held(), 0U);  // the first call's slabs were kept
    const auto second = yosmodel::bucket_rows<std::uint64_t>(rows, keys, 2, decode);
    EXPECT_EQ(first.start, second.start);
    EXPECT_EQ(first.records, second.records);
    for (std::size_t k = 0; k < keys; k += 9'973) {
        const auto bucket = second.start[k + 1] - second.start[k];
        ASSERT_GT(bucket, 0U);
        EXPECT_EQ(key_of[second.records[second.start[k]]], k);
    }
}
