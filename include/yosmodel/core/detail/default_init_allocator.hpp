// An allocator whose containers default-initialise their elements: `resize` on a vector of plain
// records leaves them unwritten instead of zeroing them. Large output buffers that are about to
// be filled in parallel then cost no single-threaded memset pass before the real writes.
#pragma once

#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace yosmodel {

template <class T>
class DefaultInitAllocator : public std::allocator<T> {
public:
    using std::allocator<T>::allocator;

    template <class U>
    struct rebind {
        using other = DefaultInitAllocator<U>;
    };

    template <class U>
    void construct(U* at) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(at)) U;
    }

    template <class U, class... Args>
    void construct(U* at, Args&&... args) {
        std::allocator_traits<std::allocator<T>>::construct(static_cast<std::allocator<T>&>(*this),
                                                            at, std::forward<Args>(args)...);
    }
};

}  // namespace yosmodel
