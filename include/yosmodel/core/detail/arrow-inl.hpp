// Import and validation of Arrow C Data Interface arrays. Everything a producer says (lengths,
// offsets, null counts, buffer counts, view bounds) is checked against what the format allows
// before any kernel reads a byte; what cannot be checked up front without a pass of its own
// (each string's offsets) is checked on the row's own read (Chunk::string_at).
#pragma once

#include "yosmodel/core/arrow.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"

namespace yosmodel::arrow {

namespace detail {

// Far beyond any real column, and low enough that offset + length cannot overflow.
inline constexpr std::int64_t max_rows = std::int64_t{1} << 48;

[[noreturn]] inline void refuse(const std::string& column, const std::string& rule) {
    throw InputError("Arrow column '" + column + "': " + rule);
}

[[noreturn]] inline void refuse_type(const std::string& column, const std::string& what) {
    throw DtypeError("Arrow column '" + column + "' has " + what +
                     "; yosmodel reads integers, booleans, floats, dates, timestamps, strings "
                     "and dictionary-encoded columns of those");
}

inline bool parse_value_type(std::string_view f, Field& out) {
    static constexpr auto simple =
        std::to_array<std::pair<std::string_view, Type>>({{"c", Type::int8},
                                                          {"s", Type::int16},
                                                          {"i", Type::int32},
                                                          {"l", Type::int64},
                                                          {"C", Type::uint8},
                                                          {"S", Type::uint16},
                                                          {"I", Type::uint32},
                                                          {"L", Type::uint64},
                                                          {"f", Type::float32},
                                                          {"g", Type::float64},
                                                          {"b", Type::boolean},
                                                          {"tdD", Type::date32},
                                                          {"tdm", Type::date64},
                                                          {"u", Type::utf8},
                                                          {"U", Type::large_utf8},
                                                          {"vu", Type::utf8_view}});
    for (const auto& [format, type] : simple) {
        if (f == format) {
            out.type = type;
            return true;
        }
    }
    // Timestamps: "ts" + unit + ":" + an optional time zone (values are UTC either way).
    if (f.size() >= 4 && f.substr(0, 2) == "ts" && f[3] == ':') {
        out.type = Type::timestamp;
        switch (f[2]) {
            case 's':
                out.unit = TimeUnit::second;
                return true;
            case 'm':
                out.unit = TimeUnit::millisecond;
                return true;
            case 'u':
                out.unit = TimeUnit::microsecond;
                return true;
            case 'n':
                out.unit = TimeUnit::nanosecond;
                return true;
            default:
                return false;
        }
    }
    return false;
}

inline bool is_index_type(Type t) {
    return t >= Type::int8 && t <= Type::uint64;
}

inline std::int64_t count_unset_bits(const std::uint8_t* bits, std::int64_t first, std::int64_t n) {
    std::int64_t set = 0;
    std::int64_t i = first;
    const std::int64_t end = first + n;
    for (; i < end && (i & 7) != 0; ++i)
        set += (bits[i >> 3] >> (i & 7)) & 1;
    for (; i + 64 <= end; i += 64) {
        std::uint64_t word;
        std::memcpy(&word, bits + (i >> 3), sizeof word);
        set += std::popcount(word);
    }
    for (; i < end; ++i)
        set += (bits[i >> 3] >> (i & 7)) & 1;
    return n - set;
}

inline std::int64_t expected_buffers(const Field& field) {
    if (field.dictionary) return 2;  // validity + indices; the values live in the dictionary
    switch (field.type) {
        case Type::utf8:
        case Type::large_utf8:
            return 3;
        default:
            return 2;
    }
}

template <class Offset>
inline void check_offsets(Chunk& c, const std::string& column) {
    if (c.length == 0 && c.offsets == nullptr) return;
    if (c.offsets == nullptr) refuse(column, "has no offsets buffer");
    const auto* o = static_cast<const Offset*>(c.offsets);
    c.first_offset = static_cast<std::int64_t>(o[c.offset]);
    c.last_offset = static_cast<std::int64_t>(o[c.offset + c.length]);
    if (c.first_offset < 0 || c.last_offset < c.first_offset)
        refuse(column, "has string offsets that run backwards or are negative");
    if (c.last_offset > c.first_offset && c.data == nullptr)
        refuse(column, "has string offsets but no data buffer");
}

// A dictionary chunk whose dictionary has null entries (pyarrow builds such): a row whose index
// points at one is missing, as a null row is, so that every reader (the grouper, the kernels,
// their nulls= rules and counts) sees one kind of missing value. The producer's buffers are
// not written: the chunk gets a validity bitmap of its own, its indices re-based to offset 0
// so that the bitmap starts at row 0. Indices outside the dictionary are left as they are,
// for the grouper to refuse.
inline void mark_null_entries_missing(const Field& field, Chunk& c) {
    const Chunk& entries = *c.dictionary;
    const auto rows = static_cast<std::size_t>(c.length);
    auto bits = std::make_shared<std::vector<std::uint8_t>>((rows + 7) / 8, 0);
    const auto read_indices = [&](const auto* indices) {
        std::int64_t missing = 0;
        for (std::int64_t i = 0; i < c.length; ++i) {
            const auto index = indices[c.offset + i];
            bool present = c.is_valid(i);
            if (present && std::cmp_greater_equal(index, 0) && std::cmp_less(index, entries.length))
                present = entries.is_valid(static_cast<std::int64_t>(index));
            if (present)
                (*bits)[static_cast<std::size_t>(i) >> 3] |=
                    static_cast<std::uint8_t>(1U << (i & 7));
            else
                ++missing;
        }
        return missing;
    };
    std::int64_t missing = 0;
    const std::size_t width = width_of(field.index);
    switch (field.index) {
        case Type::int8:
            missing = read_indices(static_cast<const std::int8_t*>(c.values));
            break;
        case Type::int16:
            missing = read_indices(static_cast<const std::int16_t*>(c.values));
            break;
        case Type::int32:
            missing = read_indices(static_cast<const std::int32_t*>(c.values));
            break;
        case Type::int64:
            missing = read_indices(static_cast<const std::int64_t*>(c.values));
            break;
        case Type::uint8:
            missing = read_indices(static_cast<const std::uint8_t*>(c.values));
            break;
        case Type::uint16:
            missing = read_indices(static_cast<const std::uint16_t*>(c.values));
            break;
        case Type::uint32:
            missing = read_indices(static_cast<const std::uint32_t*>(c.values));
            break;
        default:
            missing = read_indices(static_cast<const std::uint64_t*>(c.values));
            break;
    }
    if (c.length > 0)
        c.values = static_cast<const char*>(c.values) + static_cast<std::size_t>(c.offset) * width;
    c.offset = 0;
    c.null_count = missing;
    c.validity = missing == 0 ? nullptr : bits->data();
    if (missing != 0) c.storage = std::move(bits);
}

// Validates `a` as a chunk of `field`. Rows are [extra_offset, extra_offset + rows) of `a`
// (a struct's own offset and length apply to its children); rows < 0 means all of `a`.
inline Chunk validate(const Field& field, const ArrowArray& a, const std::string& column,
                      std::int64_t extra_offset = 0, std::int64_t rows = -1) {
    if (a.release == nullptr) refuse(column, "was already released by its producer");
    if (a.length < 0 || a.length > max_rows || a.offset < 0 || a.offset > max_rows)
        refuse(column, "has a negative or impossible length or offset");
    if (a.null_count < -1 || a.null_count > a.length)
        refuse(column, "declares an impossible number of nulls");
    if (a.n_children != 0) refuse_type(column, "a nested type");
    Chunk c;
    c.length = rows < 0 ? a.length : rows;
    if (rows >= 0 && a.length < extra_offset + rows)
        refuse(column, "is shorter than the record batch that holds it");
    c.offset = a.offset + extra_offset;

    const std::int64_t want = expected_buffers(field);
    const bool view = !field.dictionary && field.type == Type::utf8_view;
    if (view ? a.n_buffers < 3 : a.n_buffers != want)
        refuse(column, "has " + std::to_string(a.n_buffers) + " buffers where its type has " +
                           (view ? "at least 3" : std::to_string(want)));
    if (a.buffers == nullptr) refuse(column, "has no buffer list");
    if (field.dictionary != (a.dictionary != nullptr))
        refuse(column, field.dictionary ? "is dictionary-encoded but has no dictionary"
                                        : "has a dictionary its type does not declare");

    c.validity = static_cast<const std::uint8_t*>(a.buffers[0]);
    if (c.validity == nullptr) {
        if (a.null_count > 0) refuse(column, "declares nulls but has no null bitmap");
    } else {
        c.null_count = count_unset_bits(c.validity, c.offset, c.length);
        if (rows < 0 && a.null_count >= 0 && a.null_count != c.null_count)
            refuse(column, "declares " + std::to_string(a.null_count) +
                               " nulls but its null bitmap marks " + std::to_string(c.null_count));
        if (c.null_count == 0) c.validity = nullptr;
    }

    c.values = a.buffers[1];
    if (view) {
        const auto variadic = a.n_buffers - 3;
        const auto* sizes = static_cast<const std::int64_t*>(a.buffers[a.n_buffers - 1]);
        if (variadic > 0 && sizes == nullptr) refuse(column, "has no buffer sizes for its views");
        for (std::int64_t b = 0; b < variadic; ++b) {
            const auto* buffer = static_cast<const char*>(a.buffers[2 + b]);
            if (sizes[b] < 0 || (sizes[b] > 0 && buffer == nullptr))
                refuse(column, "has a string data buffer that is missing or of negative size");
            c.variadic.push_back(buffer);
            c.variadic_size.push_back(sizes[b]);
        }
        if (c.length > 0 && c.values == nullptr) refuse(column, "has no views buffer");
    } else if (!field.dictionary && (field.type == Type::utf8 || field.type == Type::large_utf8)) {
        c.offsets = a.buffers[1];
        c.values = nullptr;
        c.data = static_cast<const char*>(a.buffers[2]);
        if (field.type == Type::utf8)
            check_offsets<std::int32_t>(c, column);
        else
            check_offsets<std::int64_t>(c, column);
    } else if (c.length > 0 && c.values == nullptr) {
        refuse(column, "has no values buffer");
    }

    if (field.dictionary) {
        Field values = field;
        values.dictionary = false;
        auto dictionary =
            std::make_shared<Chunk>(validate(values, *a.dictionary, column + " (dictionary)"));
        c.dictionary = std::move(dictionary);
        if (c.dictionary->null_count != 0) mark_null_entries_missing(field, c);
    }
    return c;
}

inline std::string name_of(const ArrowSchema& schema, const std::string& fallback) {
    if (!fallback.empty() || schema.name == nullptr) return fallback;
    return schema.name;
}

inline bool is_struct(const ArrowSchema& schema) {
    return schema.format != nullptr && std::string_view(schema.format) == "+s";
}

// The fields of a record batch schema (struct) or of a single column.
inline std::vector<std::pair<std::string, Field>> fields_of(const ArrowSchema& schema,
                                                            const std::string& name) {
    std::vector<std::pair<std::string, Field>> fields;
    if (!is_struct(schema)) {
        const std::string column = name_of(schema, name);
        fields.emplace_back(column, parse_field(schema, column));
        return fields;
    }
    if (schema.n_children < 0 || (schema.n_children > 0 && schema.children == nullptr))
        refuse(name, "has a record batch schema with no field list");
    for (std::int64_t i = 0; i < schema.n_children; ++i) {
        const ArrowSchema* child = schema.children[i];
        if (child == nullptr) refuse(name, "has a record batch schema with a missing field");
        const std::string column = child->name != nullptr && *child->name != '\0'
                                       ? std::string(child->name)
                                       : "field " + std::to_string(i);
        fields.emplace_back(column, parse_field(*child, column));
    }
    return fields;
}

// Appends the chunks of one array (a record batch or a single column) to `chunks`.
inline void add_chunks(const ArrowSchema& schema, const ArrowArray& array,
                       const std::vector<std::pair<std::string, Field>>& fields,
                       std::vector<std::vector<Chunk>>& chunks) {
    if (!is_struct(schema)) {
        chunks[0].push_back(validate(fields[0].second, array, fields[0].first));
        return;
    }
    const std::string batch = "record batch";
    if (array.release == nullptr) refuse(batch, "was already released by its producer");
    if (array.length < 0 || array.length > max_rows || array.offset < 0 || array.offset > max_rows)
        refuse(batch, "has a negative or impossible length or offset");
    if (array.n_children != static_cast<std::int64_t>(fields.size()) ||
        (array.n_children > 0 && array.children == nullptr))
        refuse(batch, "has a different number of columns from its schema");
    if (array.n_buffers != 1 || array.buffers == nullptr)
        refuse(batch, "has the wrong number of buffers for a record batch");
    if (array.buffers[0] != nullptr &&
        count_unset_bits(static_cast<const std::uint8_t*>(array.buffers[0]), array.offset,
                         array.length) != 0)
        refuse(batch, "has missing rows (a null record batch row is not a table row)");
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (array.children[i] == nullptr) refuse(fields[i].first, "is missing from the batch");
        chunks[i].push_back(validate(fields[i].second, *array.children[i], fields[i].first,
                                     array.offset, array.length));
    }
}

inline std::vector<Column> make_columns(const std::vector<std::pair<std::string, Field>>& fields,
                                        std::vector<std::vector<Chunk>>& chunks,
                                        const std::shared_ptr<const Owner>& owner) {
    std::vector<Column> columns;
    for (std::size_t i = 0; i < fields.size(); ++i)
        columns.emplace_back(fields[i].first, fields[i].second, std::move(chunks[i]), owner);
    return columns;
}

// Releases a stream when the import ends, whichever way it ends.
struct StreamGuard {
    ArrowArrayStream stream;
    ~StreamGuard() {
        if (stream.release != nullptr) stream.release(&stream);
    }
};

}  // namespace detail

using namespace detail;  // the helpers above, in the definitions below

YOSMODEL_INLINE std::int64_t ticks_per_day(TimeUnit unit) {
    switch (unit) {
        case TimeUnit::second:
            return 86'400;
        case TimeUnit::millisecond:
            return 86'400'000;
        case TimeUnit::microsecond:
            return 86'400'000'000;
        case TimeUnit::nanosecond:
            return 86'400'000'000'000;
    }
    return 86'400;
}

YOSMODEL_INLINE std::size_t width_of(Type type) {
    switch (type) {
        case Type::int8:
        case Type::uint8:
            return 1;
        case Type::int16:
        case Type::uint16:
            return 2;
        case Type::int32:
        case Type::uint32:
        case Type::float32:
        case Type::date32:
            return 4;
        case Type::int64:
        case Type::uint64:
        case Type::float64:
        case Type::date64:
        case Type::timestamp:
            return 8;
        default:
            return 0;
    }
}

YOSMODEL_INLINE bool is_signed(Type type) {
    switch (type) {
        case Type::int8:
        case Type::int16:
        case Type::int32:
        case Type::int64:
        case Type::date32:
        case Type::date64:
        case Type::timestamp:
            return true;
        default:
            return false;
    }
}

YOSMODEL_INLINE bool Field::is_integer() const {
    return (type >= Type::int8 && type <= Type::uint64) || type == Type::date32 ||
           type == Type::date64 || type == Type::timestamp;
}

YOSMODEL_INLINE bool Field::is_string() const {
    return type == Type::utf8 || type == Type::large_utf8 || type == Type::utf8_view;
}

YOSMODEL_INLINE Owner::~Owner() {
    for (auto& a : arrays_)
        if (a->release != nullptr) a->release(a.get());
    for (auto& s : schemas_)
        if (s->release != nullptr) s->release(s.get());
}

YOSMODEL_INLINE ArrowArray* Owner::adopt(ArrowArray* array) {
    arrays_.push_back(std::make_unique<ArrowArray>(*array));
    array->release = nullptr;
    return arrays_.back().get();
}

YOSMODEL_INLINE ArrowSchema* Owner::adopt(ArrowSchema* schema) {
    schemas_.push_back(std::make_unique<ArrowSchema>(*schema));
    schema->release = nullptr;
    return schemas_.back().get();
}

YOSMODEL_INLINE Column::Column(std::string name, Field field, std::vector<Chunk> chunks,
                               std::shared_ptr<const Owner> owner)
    : name_(std::move(name)), field_(field), chunks_(std::move(chunks)), owner_(std::move(owner)) {
    for (const auto& c : chunks_) {
        length_ += c.length;
        null_count_ += c.null_count;
    }
}

YOSMODEL_INLINE Column Column::borrow(std::string name, Field field, const void* values,
                                      std::int64_t length, const std::uint8_t* validity) {
    if (length < 0 || length > max_rows) refuse(name, "has an impossible length");
    if (field.dictionary || field.is_string())
        refuse_type(name, "a borrowed type other than a plain array of values");
    Chunk c;
    c.length = length;
    c.values = values;
    if (validity != nullptr) {
        c.null_count = count_unset_bits(validity, 0, length);
        c.validity = c.null_count == 0 ? nullptr : validity;
    }
    std::vector<Chunk> chunks;
    chunks.push_back(std::move(c));
    return {std::move(name), field, std::move(chunks)};
}

YOSMODEL_INLINE Field parse_field(const ArrowSchema& schema, const std::string& column) {
    if (schema.format == nullptr) refuse(column, "has no type (format string)");
    const std::string_view format(schema.format);
    Field field;
    if (schema.dictionary == nullptr) {
        if (!parse_value_type(format, field)) refuse_type(column, "an unsupported Arrow type");
        return field;
    }
    Field index;
    if (!parse_value_type(format, index) || !is_index_type(index.type))
        refuse_type(column, "a dictionary whose indices are not integers");
    const ArrowSchema& values = *schema.dictionary;
    if (values.format == nullptr || values.dictionary != nullptr ||
        !parse_value_type(values.format, field))
        refuse_type(column, "a dictionary of an unsupported Arrow type");
    field.dictionary = true;
    field.index = index.type;
    return field;
}

YOSMODEL_INLINE std::vector<Column> import_array(ArrowSchema* schema, ArrowArray* array,
                                                 const std::string& name) {
    auto owner = std::make_shared<Owner>();
    // Taken over first, so that whatever fails below, both are released exactly once.
    const ArrowSchema* s = schema->release != nullptr ? owner->adopt(schema) : nullptr;
    const ArrowArray* a = array->release != nullptr ? owner->adopt(array) : nullptr;
    if (s == nullptr || a == nullptr) refuse(name, "was handed over already released");
    const auto fields = fields_of(*s, name);
    std::vector<std::vector<Chunk>> chunks(fields.size());
    add_chunks(*s, *a, fields, chunks);
    return make_columns(fields, chunks, owner);
}

YOSMODEL_INLINE std::vector<Column> import_stream(ArrowArrayStream* stream,
                                                  const std::string& name) {
    if (stream == nullptr || stream->release == nullptr)
        refuse(name, "was handed over as a stream already released");
    StreamGuard guard{*stream};
    stream->release = nullptr;
    ArrowArrayStream& in = guard.stream;
    if (in.get_schema == nullptr || in.get_next == nullptr)
        refuse(name, "is a stream without its callbacks");
    auto owner = std::make_shared<Owner>();
    ArrowSchema schema_in{};
    if (const int rc = in.get_schema(&in, &schema_in); rc != 0)
        refuse(name, "stream failed to give its schema (error code " + std::to_string(rc) + ")");
    if (schema_in.release == nullptr) refuse(name, "stream gave a released schema");
    const ArrowSchema* schema = owner->adopt(&schema_in);
    const auto fields = fields_of(*schema, name);
    std::vector<std::vector<Chunk>> chunks(fields.size());
    while (true) {
        ArrowArray next{};
        // The producer's error text is not repeated: it may quote the data it failed on.
        if (const int rc = in.get_next(&in, &next); rc != 0)
            refuse(name.empty() ? fields[0].first : name,
                   "stream failed while reading (error code " + std::to_string(rc) + ")");
        if (next.release == nullptr) break;  // the end of the stream
        const ArrowArray* array = owner->adopt(&next);
        add_chunks(*schema, *array, fields, chunks);
    }
    return make_columns(fields, chunks, owner);
}

}  // namespace yosmodel::arrow
