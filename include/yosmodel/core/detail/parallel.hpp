// Runs a function over contiguous row ranges on several threads. Each worker gets a range whose
// bounds are multiples of the chunk size, so a result never depends on how rows were split.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace yosmodel {

/// The number of threads to use: `requested`, or every core when it is 0.
inline unsigned resolve_threads(unsigned requested) {
    if (requested != 0) return requested;
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1U : cores;
}

/// Calls `work(worker, begin, end)` for `workers` ranges that cover [0, rows). Fewer workers are
/// used when there are not enough chunks to go round. Returns the number of workers used.
/// The first exception a worker throws is rethrown here after every worker has finished.
template <class Work>
unsigned parallel_ranges(std::size_t rows, unsigned threads, std::size_t chunk, Work&& work) {
    const std::size_t chunks = std::max<std::size_t>(1, (rows + chunk - 1) / chunk);
    const auto workers = static_cast<unsigned>(std::min<std::size_t>(threads, chunks));
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
    for (unsigned w = 1; w < workers; ++w) {
        pool.emplace_back([&, w] {
            try {
                const auto [first, last] = range_of(w);
                work(w, first, last);
            } catch (...) {
                failures[w] = std::current_exception();
            }
        });
    }
    try {
        const auto [first, last] = range_of(0);
        work(0U, first, last);
    } catch (...) {
        failures[0] = std::current_exception();
    }
    for (auto& t : pool)
        t.join();
    for (auto& f : failures)
        if (f) std::rethrow_exception(f);
    return workers;
}

}  // namespace yosmodel
