// KeySpace's checked constructor, declared in core/key_space.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/core/key_space.hpp"

namespace yosmodel {

YOSMODEL_INLINE KeySpace::KeySpace(std::vector<std::uint64_t> cardinalities)
    : cardinalities_(std::move(cardinalities)) {
    for (std::size_t k = 0; k < cardinalities_.size(); ++k) {
        const std::uint64_t c = cardinalities_[k];
        if (c == 0) throw InputError("key " + std::to_string(k) + " has cardinality 0");
        if (size_ > std::numeric_limits<std::uint64_t>::max() / c)
            throw LimitError(
                "the keys' combined cardinality exceeds 2^64 groups; group by fewer keys");
        size_ *= c;
    }
}

}  // namespace yosmodel
