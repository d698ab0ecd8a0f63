// parallel_ranges when the system refuses a thread (a container's limits): the threads already
// started are joined (never std::terminate), and a ResourceError says what happened; and thread
// counts past the maximum are refused before any bookkeeping is allocated.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <system_error>
#include <thread>

#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/error.hpp"

namespace {

// Starts `allowed` threads, then refuses as std::thread does when the system has none left.
struct RefusingStarter {
    unsigned allowed;
    std::atomic<unsigned>* started;
    template <class Body>
    std::thread operator()(Body&& body) const {
        if (started->load() >= allowed)
            throw std::system_error(
                std::make_error_code(std::errc::resource_unavailable_try_again));
        ++*started;
        return std::thread(std::forward<Body>(body));
    }
};

}  // namespace

TEST(ParallelRanges, ARefusedThreadIsAResourceErrorAndTheOthersAreJoined) {
    std::atomic<unsigned> started{0};
    std::atomic<std::size_t> rows_done{0};
    const auto work = [&](unsigned, std::size_t first, std::size_t last) {
        rows_done += last - first;
    };
    try {
        yosmodel::parallel_ranges(8000, 8, 1000, work, RefusingStarter{3, &started});
        FAIL() << "a refused thread went unnoticed";
    } catch (const yosmodel::ResourceError& error) {
        EXPECT_NE(std::string(error.what()).find("worker thread 5 of 8"), std::string::npos);
    }
    EXPECT_EQ(started.load(), 3U);
    EXPECT_EQ(rows_done.load(), 3000U);  // the three started workers ran and were joined
}

TEST(ParallelRanges, EveryThreadStartingGivesEveryRow) {
    std::atomic<unsigned> started{0};
    std::atomic<std::size_t> rows_done{0};
    const auto used = yosmodel::parallel_ranges(
        8000, 4, 1000,
        [&](unsigned, std::size_t first, std::size_t last) { rows_done += last - first; },
        RefusingStarter{100, &started});
    EXPECT_EQ(used, 4U);
    EXPECT_EQ(rows_done.load(), 8000U);
}

TEST(ResolveThreads, CountsPastTheMaximumAreRefused) {
    EXPECT_EQ(yosmodel::resolve_threads(3), 3U);
    EXPECT_GE(yosmodel::resolve_threads(0), 1U);
    EXPECT_THROW(yosmodel::resolve_threads(yosmodel::max_threads + 1), yosmodel::LimitError);
    EXPECT_THROW(yosmodel::resolve_threads(2147483648U), yosmodel::LimitError);
}
