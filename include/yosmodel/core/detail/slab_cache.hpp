// The staging slabs of one call, kept for the next. A slab's pages cost far more the first time
// they are touched (the kernel zeroes them, and a virtual machine's host may back them too) than
// every later write: measured on the development VM, fresh memory filled at about 1 GB/s, so the
// 200 MiB of staging a 10^8-offence cohort needs cost about 0.2 s of every call, 13% of its
// profile. Allocators such as jemalloc and mimalloc keep freed memory for the same reason; this
// keeps only whole slabs of one size, up to a stated limit, so what it holds is bounded.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include "yosmodel/core/detail/large_buffer.hpp"

namespace yosmodel::detail {

/// The most slab memory kept between calls (two of the largest cohorts' staging on the
/// development machine fit; more is returned to the system as it is released).
inline constexpr std::size_t slab_cache_limit = std::size_t{256} << 20;

class SlabCache {
public:
    /// The process's cache: slabs are taken and returned by every worker thread.
    static SlabCache& instance() {
        static SlabCache cache;  // never destroyed before its users: see ~SlabCache
        return cache;
    }

    SlabCache(const SlabCache&) = delete;
    SlabCache& operator=(const SlabCache&) = delete;
    SlabCache(SlabCache&&) = delete;
    SlabCache& operator=(SlabCache&&) = delete;
    ~SlabCache() { release_all(); }

    /// A slab of `bytes` (uninitialised, or holding an earlier call's rows): a kept one of that
    /// size when there is one, the most recently returned first (its pages are the likeliest to
    /// be in cache), else a fresh one.
    void* take(std::size_t bytes) {
        {
            const std::lock_guard lock(mutex_);
            for (std::size_t i = kept_.size(); i-- > 0;) {
                if (kept_[i].bytes != bytes) continue;
                void* at = kept_[i].at;
                kept_.erase(kept_.begin() + static_cast<std::ptrdiff_t>(i));
                held_ -= bytes;
                return at;
            }
        }
        return allocate_large(bytes);
    }

    /// Returns a slab from take(): a large one is kept while the cache holds at most
    /// slab_cache_limit bytes; small ones (cheap to make again) and the rest are released.
    void give_back(void* at, std::size_t bytes) noexcept {
        if (bytes >= huge_buffer_bytes) {
            const std::lock_guard lock(mutex_);
            if (held_ + bytes <= slab_cache_limit && kept_.size() < kept_.capacity()) {
                kept_.push_back({at, bytes});
                held_ += bytes;
                return;
            }
        }
        release_large(at, bytes);
    }

    /// Releases every kept slab to the system.
    void release_all() noexcept {
        const std::lock_guard lock(mutex_);
        for (const Slab& s : kept_)
            release_large(s.at, s.bytes);
        kept_.clear();  // keeps the capacity reserved for give_back
        held_ = 0;
    }

    /// The bytes held now.
    [[nodiscard]] std::size_t held() const {
        const std::lock_guard lock(mutex_);
        return held_;
    }

private:
    struct Slab {
        void* at;
        std::size_t bytes;
    };
    // Room for every slab the limit allows at the smallest size kept, reserved up front so that
    // give_back never allocates (it runs in destructors).
    SlabCache() { kept_.reserve(slab_cache_limit / huge_buffer_bytes); }

    mutable std::mutex mutex_;
    std::vector<Slab> kept_;
    std::size_t held_ = 0;
};

}  // namespace yosmodel::detail
