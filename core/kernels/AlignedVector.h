#pragma once
// std::vector on cache-line boundaries. The step's 8-lane loads and stores then never straddle
// two cache lines, and a load can take its data straight from an earlier store of the same block
// (store-to-load forwarding), which a line-split access defeats.

#include <cstddef>
#include <new>
#include <vector>

namespace stdp {

inline constexpr std::size_t kCacheLine = 64;

template <class T>
struct CacheAlignedAllocator {
    using value_type = T;
    CacheAlignedAllocator() = default;
    template <class U>
    CacheAlignedAllocator(const CacheAlignedAllocator<U>& /*other*/) {}
    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{kCacheLine}));
    }
    void deallocate(T* p, std::size_t /*n*/) {
        ::operator delete (p, std::align_val_t{kCacheLine});
    }
    template <class U>
    bool operator==(const CacheAlignedAllocator<U>& /*other*/) const {
        return true;
    }
};

template <class T>
using AlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

}  // namespace stdp
