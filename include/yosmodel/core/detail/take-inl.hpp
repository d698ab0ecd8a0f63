// Taking rows: each row found in its chunk (rows in ascending order stay in one chunk until it
// ends, so the search is rarely run), its value copied into buffers an ArrowArray of ours holds,
// released by the column's Owner like a producer's.
#pragma once

#include "yosmodel/core/take.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "yosmodel/core/error.hpp"

namespace yosmodel {

namespace detail::take {

// The buffers of a taken array, freed by its release callback.
struct Taken {
    std::vector<std::uint8_t> validity;
    std::vector<std::uint8_t> values;  // fixed-width values or bit-packed booleans
    std::vector<std::int64_t> offsets;
    std::string data;
    std::array<const void*, 3> buffers{};
};

inline void release_taken(ArrowArray* array) {
    delete static_cast<Taken*>(array->private_data);
    array->release = nullptr;
}

inline void set_bit(std::vector<std::uint8_t>& bits, std::size_t i) {
    bits[i >> 3] = static_cast<std::uint8_t>(bits[i >> 3] | (1U << (i & 7)));
}

// Finds the chunk holding column row `row`, starting from the last one found.
class ChunkFinder {
public:
    explicit ChunkFinder(const arrow::Column& column) : column_(column) {
        std::int64_t at = 0;
        for (const arrow::Chunk& c : column.chunks()) {
            starts_.push_back(at);
            at += c.length;
        }
        starts_.push_back(at);
    }

    // The chunk and the row within it.
    std::pair<const arrow::Chunk*, std::int64_t> find(std::int64_t row) {
        if (row < starts_[current_] || row >= starts_[current_ + 1]) {
            const auto after = std::upper_bound(starts_.begin(), starts_.end() - 1, row);
            current_ = static_cast<std::size_t>(after - starts_.begin()) - 1;
            // Empty chunks share their start with the next: move past them.
            while (starts_[current_ + 1] <= row)
                ++current_;
        }
        return {&column_.chunks()[current_], row - starts_[current_]};
    }

private:
    const arrow::Column& column_;
    std::vector<std::int64_t> starts_;
    std::size_t current_ = 0;
};

}  // namespace detail::take

YOSMODEL_INLINE arrow::Column take_rows(const arrow::Column& column,
                                        std::span<const std::int64_t> rows) {
    using namespace detail::take;
    using arrow::Type;
    const arrow::Field& field = column.field();
    if (field.dictionary)
        throw DtypeError("column '" + column.name() +
                         "' is dictionary-encoded; its rows are taken from the values");
    const std::int64_t length = column.length();
    for (const std::int64_t row : rows)
        if (row < 0 || row >= length)
            throw InputError("column '" + column.name() + "': a row to take lies outside it");
    const std::size_t n = rows.size();
    auto taken = std::make_unique<Taken>();
    taken->validity.assign((n + 7) / 8 + 1, 0);
    std::int64_t nulls = 0;
    ChunkFinder finder(column);
    arrow::Field out_field = field;
    if (field.is_string()) {
        out_field.type = Type::large_utf8;
        taken->offsets.reserve(n + 1);
        taken->offsets.push_back(0);
        std::size_t malformed = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const auto [chunk, at] = finder.find(rows[i]);
            std::string_view s;
            if (!chunk->is_valid(at)) {
                ++nulls;
            } else if (chunk->string_at(field.type, at, s)) {
                taken->data.append(s);
                set_bit(taken->validity, i);
            } else {
                ++malformed;
                ++nulls;
            }
            taken->offsets.push_back(static_cast<std::int64_t>(taken->data.size()));
        }
        if (malformed != 0)
            throw InputError("column '" + column.name() + "': " + std::to_string(malformed) +
                             (malformed == 1 ? " row has" : " rows have") +
                             " string bounds outside their data buffer (a malformed Arrow array)");
    } else {
        // `copy(chunk, row in chunk, row out)` for each present row.
        const auto copy_present = [&](auto&& copy) {
            for (std::size_t i = 0; i < n; ++i) {
                const auto [chunk, at] = finder.find(rows[i]);
                if (!chunk->is_valid(at)) {
                    ++nulls;
                    continue;
                }
                set_bit(taken->validity, i);
                copy(*chunk, at, i);
            }
        };
        if (field.type == Type::boolean) {
            taken->values.assign((n + 7) / 8 + 1, 0);
            copy_present([&](const arrow::Chunk& c, std::int64_t at, std::size_t i) {
                if (c.boolean_at(at)) set_bit(taken->values, i);
            });
        } else {
            const std::size_t width = arrow::width_of(field.type);
            taken->values.assign(n * width + 1, 0);
            copy_present([&](const arrow::Chunk& c, std::int64_t at, std::size_t i) {
                const auto* from = static_cast<const std::uint8_t*>(c.values) +
                                   static_cast<std::size_t>(c.offset + at) * width;
                std::memcpy(taken->values.data() + i * width, from, width);
            });
        }
    }

    arrow::Chunk chunk;
    chunk.length = static_cast<std::int64_t>(n);
    chunk.null_count = nulls;
    chunk.validity = nulls == 0 ? nullptr : taken->validity.data();
    if (field.is_string()) {
        chunk.offsets = taken->offsets.data();
        chunk.data = taken->data.data();
        chunk.first_offset = 0;
        chunk.last_offset = static_cast<std::int64_t>(taken->data.size());
        taken->buffers = {chunk.validity, chunk.offsets, chunk.data};
    } else {
        chunk.values = taken->values.data();
        taken->buffers = {chunk.validity, chunk.values, nullptr};
    }
    ArrowArray array{};
    array.length = chunk.length;
    array.null_count = nulls;
    array.n_buffers = field.is_string() ? 3 : 2;
    array.buffers = taken->buffers.data();
    array.release = release_taken;
    array.private_data = taken.release();
    auto owner = std::make_shared<arrow::Owner>();
    owner->adopt(&array);
    std::vector<arrow::Chunk> chunks;
    chunks.push_back(std::move(chunk));
    return {column.name(), out_field, std::move(chunks), std::move(owner)};
}

}  // namespace yosmodel
