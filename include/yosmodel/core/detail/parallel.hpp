// Runs a function over contiguous row ranges on several threads. Each worker gets a range whose
// bounds are multiples of the chunk size, so a result never depends on how rows were split.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"

namespace yosmodel {

/// The most worker threads a kernel uses: far more than any machine it runs on has cores, and
/// small enough that the bookkeeping for them is never a large allocation.
inline constexpr unsigned max_threads = 1024;

/// The number of threads to use: `requested`, or every core when it is 0. LimitError above
/// max_threads.
inline unsigned resolve_threads(unsigned requested) {
    if (requested > max_threads)
        throw LimitError("threads must be between 1 and " + std::to_string(max_threads) +
                         " (or 0 for every core)");
    if (requested != 0) return requested;
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1U : std::min(cores, max_threads);
}

/// Starts a worker thread. parallel_ranges takes another starter in tests, to play a system
/// that refuses threads (a container's limits).
struct StartThread {
    template <class Body>
    std::thread operator()(Body&& body) const {
        return std::thread(std::forward<Body>(body));
    }
};

/// Calls `work(worker, begin, end)` for `workers` ranges that cover [0, rows). Fewer workers are
/// used when there are not enough chunks to go round. Returns the number of workers used.
/// The first exception a worker throws is rethrown here after every worker has finished. When
/// a thread cannot be started, the ones already started are joined and ResourceError thrown.
template <class Work, class Start = StartThread>
unsigned parallel_ranges(std::size_t rows, unsigned threads, std::size_t chunk, Work&& work,
                         Start&& start = Start{}) {
    const std::size_t chunks = std::max<std::size_t>(1, (rows + chunk - 1) / chunk);
    const auto workers =
        static_cast<unsigned>(std::min<std::size_t>(std::min(threads, max_threads), chunks));
    const auto range_of = [&](unsigned w) {
        const std::size_t first = chunks * w / workers * chunk;
        const std::size_t last = chunks * (w + 1) / workers * chunk;
        return std::pair{std::min(first, rows), std::min(last, rows)};
    };
    if (workers <= 1) {
        work(0U, std::size_t{0}, rows);
        return 1;
    }
    std::vector<std::exception_ptr> failures(workers);
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    const auto join_all = [&pool] {
        for (auto& t : pool)
            if (t.joinable()) t.join();
    };
    for (unsigned w = 1; w < workers; ++w) {
        try {
            pool.push_back(start([&, w] {
                try {
                    const auto [first, last] = range_of(w);
                    work(w, first, last);
                } catch (...) {
                    failures[w] = std::current_exception();
                }
            }));
        } catch (const std::system_error& error) {
            // Destroying a joinable thread would call std::terminate: join, then say so.
            join_all();
            throw ResourceError("could not start worker thread " + std::to_string(w + 1) + " of " +
                                std::to_string(workers) + " (" + error.what() +
                                "); ask for fewer threads");
        } catch (const std::bad_alloc&) {
            join_all();
            throw ResourceError("out of memory starting worker thread " + std::to_string(w + 1) +
                                " of " + std::to_string(workers));
        }
    }
    try {
        const auto [first, last] = range_of(0);
        work(0U, first, last);
    } catch (...) {
        failures[0] = std::current_exception();
    }
    join_all();
    for (auto& f : failures)
        if (f) std::rethrow_exception(f);
    return workers;
}

}  // namespace yosmodel
