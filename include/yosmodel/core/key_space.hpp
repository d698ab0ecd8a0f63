// Several key columns combined into one dense composite group id by mixed radix: the first key
// is the most significant digit, so ordering ids orders groups by their keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel {

class KeySpace {
public:
    KeySpace() = default;

    /// Throws InputError when a cardinality is 0 or their product passes 2^64.
    explicit KeySpace(std::vector<std::uint64_t> cardinalities);

    /// Number of possible groups: the product of the cardinalities (1 with no keys).
    [[nodiscard]] std::uint64_t size() const { return size_; }
    [[nodiscard]] std::size_t keys() const { return cardinalities_.size(); }
    [[nodiscard]] const std::vector<std::uint64_t>& cardinalities() const { return cardinalities_; }

    /// The code of key `k` within composite group id `group`.
    [[nodiscard]] std::uint64_t code(std::uint64_t group, std::size_t k) const {
        for (std::size_t j = cardinalities_.size(); j-- > k + 1;)
            group /= cardinalities_[j];
        return group % cardinalities_[k];
    }

    friend bool operator==(const KeySpace&, const KeySpace&) = default;

private:
    std::vector<std::uint64_t> cardinalities_;
    std::uint64_t size_ = 1;
};

}  // namespace yosmodel

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/core/detail/key_space-inl.hpp"
#endif
