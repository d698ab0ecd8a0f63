// Columns handed over through the Arrow C Data Interface, the ABI that pandas, polars, pyarrow and
// DuckDB all speak, so the core reads their buffers in place. The producer is not trusted: every
// array is validated (type, lengths, offsets, buffer counts, null bitmaps) before a kernel reads
// it, and the producer's release callbacks are called exactly once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "yosmodel/core/detail/config.hpp"

// The C structs, field for field as the Arrow specification lays them out (it is an ABI). The
// guard macros are the specification's, so another library's definitions can coexist with these.
extern "C" {
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    const char* format;
    const char* name;
    const char* metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema** children;
    struct ArrowSchema* dictionary;
    void (*release)(struct ArrowSchema*);
    void* private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void** buffers;
    struct ArrowArray** children;
    struct ArrowArray* dictionary;
    void (*release)(struct ArrowArray*);
    void* private_data;
};
#endif

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
    int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
    const char* (*get_last_error)(struct ArrowArrayStream*);
    void (*release)(struct ArrowArrayStream*);
    void* private_data;
};
#endif
}

namespace yosmodel::arrow {

/// The value types the core reads. Anything else is refused at import with a DtypeError.
enum class Type : std::uint8_t {
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    float32,
    float64,
    boolean,     ///< bit-packed
    date32,      ///< int32 days since 1970-01-01
    date64,      ///< int64 milliseconds since 1970-01-01
    timestamp,   ///< int64 ticks of `unit` since 1970-01-01 (UTC when a zone is given)
    utf8,        ///< int32 offsets + bytes
    large_utf8,  ///< int64 offsets + bytes
    utf8_view,   ///< 16-byte views, short strings inline, long ones in variadic buffers
};

enum class TimeUnit : std::uint8_t { second, millisecond, microsecond, nanosecond };

/// Ticks of `unit` in one day.
std::int64_t ticks_per_day(TimeUnit unit);

/// The type of a column: its value type and, for dictionary-encoded columns, the index type.
struct Field {
    Type type = Type::int64;
    TimeUnit unit = TimeUnit::second;  ///< timestamps only
    bool dictionary = false;           ///< values are indices into a per-chunk dictionary
    Type index = Type::int32;          ///< the indices' integer type, when `dictionary`

    [[nodiscard]] bool is_integer() const;  ///< of the value type (dates and timestamps too)
    [[nodiscard]] bool is_string() const;
    friend bool operator==(const Field&, const Field&) = default;
};

/// Bytes per value of an integer, float, date or timestamp type (0 for booleans and strings).
std::size_t width_of(Type type);
/// Whether `type` is a signed integer type (dates and timestamps included).
bool is_signed(Type type);

/// One validated chunk of a column. Pointers are the producer's buffers; `offset` is already
/// applied by the accessors, so row `i` of the chunk is element `offset + i` of each buffer.
struct Chunk {
    std::int64_t length = 0;
    std::int64_t offset = 0;
    std::int64_t null_count = 0;             ///< counted from the bitmap, never the producer's word
    const std::uint8_t* validity = nullptr;  ///< nullptr when no row is null
    const void* values = nullptr;            ///< primitives, booleans, dictionary indices, views
    const void* offsets = nullptr;           ///< utf8 (int32) and large_utf8 (int64)
    const char* data = nullptr;              ///< utf8 and large_utf8 bytes
    std::vector<const char*> variadic;       ///< utf8_view data buffers
    std::vector<std::int64_t> variadic_size;  ///< their sizes in bytes
    std::shared_ptr<const Chunk> dictionary;  ///< dictionary-encoded columns: the values
    /// Buffers the import made itself (the validity of a dictionary chunk whose dictionary has
    /// null entries: their rows are missing); empty when every buffer is the producer's.
    std::shared_ptr<const void> storage;

    [[nodiscard]] bool is_valid(std::int64_t i) const {
        const std::int64_t bit = offset + i;
        return validity == nullptr || ((validity[bit >> 3] >> (bit & 7)) & 1) != 0;
    }

    /// The values as `T` (the type's own width), already advanced by `offset`.
    template <class T>
    [[nodiscard]] const T* typed() const {
        return static_cast<const T*>(values) + offset;
    }

    [[nodiscard]] bool boolean_at(std::int64_t i) const {
        const std::int64_t bit = offset + i;
        const auto* bits = static_cast<const std::uint8_t*>(values);
        return ((bits[bit >> 3] >> (bit & 7)) & 1) != 0;
    }

    /// Row `i` of a string chunk of type `type`. Offsets and views are checked here, on the row's
    /// own read, so no separate validation pass is needed: a row whose bounds do not lie inside
    /// its buffers yields false (the caller counts it) and is never read.
    [[nodiscard]] bool string_at(Type type, std::int64_t i, std::string_view& out) const;

    /// The first and last string offsets (utf8 and large_utf8), checked at import.
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
};

// Defined here, not in the library: it runs once per row and must inline into the loops.
inline bool Chunk::string_at(Type type, std::int64_t i, std::string_view& out) const {
    const std::int64_t row = offset + i;
    if (type == Type::utf8 || type == Type::large_utf8) {
        std::int64_t start = 0;
        std::int64_t end = 0;
        if (type == Type::utf8) {
            const auto* o = static_cast<const std::int32_t*>(offsets);
            start = o[row];
            end = o[row + 1];
        } else {
            const auto* o = static_cast<const std::int64_t*>(offsets);
            start = o[row];
            end = o[row + 1];
        }
        if (start < first_offset || end < start || end > last_offset) return false;
        out = std::string_view(data + start, static_cast<std::size_t>(end - start));
        return true;
    }
    // A view: length, then either the string inline (up to 12 bytes) or a 4-byte prefix, the
    // data buffer's index and the offset within it.
    const auto* v = static_cast<const char*>(values) + 16 * row;
    std::int32_t size = 0;
    std::memcpy(&size, v, 4);
    if (size < 0) return false;
    if (size <= 12) {
        out = std::string_view(v + 4, static_cast<std::size_t>(size));
        return true;
    }
    std::int32_t buffer = 0;
    std::int32_t at = 0;
    std::memcpy(&buffer, v + 8, 4);
    std::memcpy(&at, v + 12, 4);
    if (buffer < 0 || static_cast<std::size_t>(buffer) >= variadic.size() || at < 0 ||
        static_cast<std::int64_t>(at) + size > variadic_size[static_cast<std::size_t>(buffer)])
        return false;
    out = std::string_view(variadic[static_cast<std::size_t>(buffer)] + at,
                           static_cast<std::size_t>(size));
    return true;
}

/// Releases what a producer handed over, once, when the last column that reads it goes away.
class Owner {
public:
    Owner() = default;
    Owner(const Owner&) = delete;
    Owner& operator=(const Owner&) = delete;
    ~Owner();

    /// Takes `array` over (the source is marked released, as the specification asks).
    ArrowArray* adopt(ArrowArray* array);
    ArrowSchema* adopt(ArrowSchema* schema);

private:
    std::vector<std::unique_ptr<ArrowArray>> arrays_;
    std::vector<std::unique_ptr<ArrowSchema>> schemas_;
};

/// A named column in one or more validated chunks.
class Column {
public:
    Column() = default;
    Column(std::string name, Field field, std::vector<Chunk> chunks,
           std::shared_ptr<const Owner> owner = nullptr);

    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] const Field& field() const { return field_; }
    [[nodiscard]] const std::vector<Chunk>& chunks() const { return chunks_; }
    [[nodiscard]] std::int64_t length() const { return length_; }
    [[nodiscard]] std::int64_t null_count() const { return null_count_; }
    [[nodiscard]] const std::shared_ptr<const Owner>& owner() const { return owner_; }

    /// A one-chunk column over memory the caller owns (numpy arrays), with no nulls unless
    /// `validity` (an Arrow-style bitmap, bit 0 = row 0) is given.
    static Column borrow(std::string name, Field field, const void* values, std::int64_t length,
                         const std::uint8_t* validity = nullptr);

private:
    std::string name_;
    Field field_;
    std::vector<Chunk> chunks_;
    std::int64_t length_ = 0;
    std::int64_t null_count_ = 0;
    std::shared_ptr<const Owner> owner_;
};

/// Parses an Arrow format string (with the schema's dictionary, if any). Throws DtypeError
/// naming `column` for a type the core does not read.
Field parse_field(const ArrowSchema& schema, const std::string& column);

/// Imports one array. A struct array (a record batch) gives one column per field; any other
/// type gives one column named `name` (or the schema's name when `name` is empty). Both structs
/// are taken over: on return (or throw) the caller's copies are marked released.
std::vector<Column> import_array(ArrowSchema* schema, ArrowArray* array,
                                 const std::string& name = "");

/// Imports every array of a stream, as chunks of the same columns. The stream is taken over and
/// released before this returns; the arrays stay alive as long as the columns.
std::vector<Column> import_stream(ArrowArrayStream* stream, const std::string& name = "");

}  // namespace yosmodel::arrow

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/core/detail/arrow-inl.hpp"
#endif
