// Memory for the cohort builder's large, short-lived buffers (staged and bucketed records): the
// kernel zeroes every fresh page on first touch, and with 4 KiB pages the page faults themselves
// cost as much as the zeroing. Buffers of a few MiB are aligned to 2 MiB and offered to the
// kernel as transparent huge pages, so 10^8 rows fault hundreds of times instead of 10^5.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "yosmodel/core/detail/default_init_allocator.hpp"

namespace yosmodel::detail {

inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;
// Below this a buffer stays on ordinary pages: a huge page would zero more than it holds.
inline constexpr std::size_t huge_buffer_bytes = std::size_t{4} << 20;

/// `bytes` of uninitialised memory, on huge pages where the system offers them (a hint: the
/// memory is ordinary memory either way). Freed with release_large().
inline void* allocate_large(std::size_t bytes) {
    if (bytes < huge_buffer_bytes) return ::operator new(bytes);
    void* at = ::operator new (bytes, std::align_val_t{huge_page_bytes});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)::madvise(at, bytes, MADV_HUGEPAGE);  // refused (no THP): ordinary pages, still correct
#endif
    return at;
}

inline void release_large(void* at, std::size_t bytes) noexcept {
    if (bytes < huge_buffer_bytes)
        ::operator delete(at);
    else
        ::operator delete (at, std::align_val_t{huge_page_bytes});
}

}  // namespace yosmodel::detail

namespace yosmodel {

/// DefaultInitAllocator whose large allocations go on huge pages (see allocate_large).
template <class T>
class LargeBufferAllocator : public DefaultInitAllocator<T> {
public:
    using value_type = T;
    LargeBufferAllocator() = default;
    template <class U>
    explicit LargeBufferAllocator(const LargeBufferAllocator<U>& /*other*/) noexcept {}

    template <class U>
    struct rebind {
        using other = LargeBufferAllocator<U>;
    };

    [[nodiscard]] T* allocate(std::size_t n) {
        static_assert(alignof(T) <= alignof(std::max_align_t));
        return static_cast<T*>(detail::allocate_large(n * sizeof(T)));
    }
    void deallocate(T* at, std::size_t n) noexcept { detail::release_large(at, n * sizeof(T)); }

    friend bool operator==(const LargeBufferAllocator& /*a*/, const LargeBufferAllocator& /*b*/) {
        return true;
    }
};

}  // namespace yosmodel
