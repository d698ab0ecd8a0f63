// Builds Arrow C Data Interface arrays by hand for tests, the way a producer would: buffers owned
// by the array's private data, a release callback that counts how often it runs.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "yosmodel/core/arrow.hpp"

namespace test_arrow {

using Bytes = std::vector<std::uint8_t>;

template <class T>
Bytes bytes_of(const std::vector<T>& values) {
    Bytes out(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
    return out;
}

/// An Arrow bitmap (bit i of byte i / 8, least significant first).
inline Bytes bitmap_of(const std::vector<bool>& bits) {
    Bytes out((bits.size() + 7) / 8 + 8, 0);
    for (std::size_t i = 0; i < bits.size(); ++i)
        if (bits[i]) out[i / 8] |= static_cast<std::uint8_t>(1U << (i % 8));
    return out;
}

struct ArrayData {
    std::vector<Bytes> buffers;
    std::vector<bool> present;  // false: the buffer pointer is null
    std::vector<const void*> pointers;
    std::vector<ArrowArray*> children;
    ArrowArray* dictionary = nullptr;
    int* releases = nullptr;
};

inline void release_array(ArrowArray* a) {
    auto* d = static_cast<ArrayData*>(a->private_data);
    for (ArrowArray* child : d->children) {
        if (child->release != nullptr) child->release(child);
        delete child;
    }
    if (d->dictionary != nullptr) {
        if (d->dictionary->release != nullptr) d->dictionary->release(d->dictionary);
        delete d->dictionary;
    }
    if (d->releases != nullptr) ++*d->releases;
    delete d;
    a->release = nullptr;
}

/// An array of `length` rows over `buffers` (an empty optional-like entry: pass `null_buffer`).
inline ArrowArray make_array(std::int64_t length, std::int64_t null_count, std::int64_t offset,
                             std::vector<Bytes> buffers, std::vector<bool> present = {},
                             int* releases = nullptr, ArrowArray* dictionary = nullptr,
                             std::vector<ArrowArray*> children = {}) {
    auto* d = new ArrayData;
    d->buffers = std::move(buffers);
    d->present = present.empty() ? std::vector<bool>(d->buffers.size(), true) : present;
    for (std::size_t b = 0; b < d->buffers.size(); ++b)
        d->pointers.push_back(d->present[b] ? static_cast<const void*>(d->buffers[b].data())
                                            : nullptr);
    d->children = std::move(children);
    d->dictionary = dictionary;
    d->releases = releases;
    ArrowArray a{};
    a.length = length;
    a.null_count = null_count;
    a.offset = offset;
    a.n_buffers = static_cast<std::int64_t>(d->pointers.size());
    a.n_children = static_cast<std::int64_t>(d->children.size());
    a.buffers = d->pointers.data();
    a.children = d->children.empty() ? nullptr : d->children.data();
    a.dictionary = dictionary;
    a.release = release_array;
    a.private_data = d;
    return a;
}

struct SchemaData {
    std::string format;
    std::string name;
    std::vector<ArrowSchema*> children;
    ArrowSchema* dictionary = nullptr;
    int* releases = nullptr;
};

inline void release_schema(ArrowSchema* s) {
    auto* d = static_cast<SchemaData*>(s->private_data);
    for (ArrowSchema* child : d->children) {
        if (child->release != nullptr) child->release(child);
        delete child;
    }
    if (d->dictionary != nullptr) {
        if (d->dictionary->release != nullptr) d->dictionary->release(d->dictionary);
        delete d->dictionary;
    }
    if (d->releases != nullptr) ++*d->releases;
    delete d;
    s->release = nullptr;
}

inline ArrowSchema make_schema(const std::string& format, const std::string& name = "x",
                               ArrowSchema* dictionary = nullptr,
                               std::vector<ArrowSchema*> children = {}, int* releases = nullptr) {
    auto* d = new SchemaData{format, name, std::move(children), dictionary, releases};
    ArrowSchema s{};
    s.format = d->format.c_str();
    s.name = d->name.c_str();
    s.metadata = nullptr;
    s.flags = ARROW_FLAG_NULLABLE;
    s.n_children = static_cast<std::int64_t>(d->children.size());
    s.children = d->children.empty() ? nullptr : d->children.data();
    s.dictionary = dictionary;
    s.release = release_schema;
    s.private_data = d;
    return s;
}

template <class T>
ArrowArray* heap(T value) {
    return new T(value);
}

inline ArrowSchema* heap_schema(ArrowSchema value) {
    return new ArrowSchema(value);
}

/// utf8 buffers (validity none) for `strings`.
inline std::vector<Bytes> utf8_buffers(const std::vector<std::string>& strings) {
    std::vector<std::int32_t> offsets{0};
    std::string data;
    for (const auto& s : strings) {
        data += s;
        offsets.push_back(static_cast<std::int32_t>(data.size()));
    }
    return {Bytes{}, bytes_of(offsets), Bytes(data.begin(), data.end())};
}

/// A utf8 column of `strings` with no nulls, as one imported column.
inline yosmodel::arrow::Column utf8_column(const std::vector<std::string>& strings,
                                           const std::string& format = "u") {
    auto buffers = utf8_buffers(strings);
    if (format == "U") {
        std::vector<std::int64_t> wide;
        std::int64_t at = 0;
        wide.push_back(0);
        for (const auto& s : strings)
            wide.push_back(at += static_cast<std::int64_t>(s.size()));
        buffers[1] = bytes_of(wide);
    }
    ArrowArray a =
        make_array(static_cast<std::int64_t>(strings.size()), 0, 0, buffers, {false, true, true});
    ArrowSchema s = make_schema(format);
    return std::move(yosmodel::arrow::import_array(&s, &a)[0]);
}

/// A utf8_view column of `strings` (long ones in one data buffer).
inline yosmodel::arrow::Column view_column(const std::vector<std::string>& strings) {
    Bytes views(16 * strings.size(), 0);
    std::string data;
    for (std::size_t i = 0; i < strings.size(); ++i) {
        const auto size = static_cast<std::int32_t>(strings[i].size());
        std::uint8_t* v = views.data() + 16 * i;
        std::memcpy(v, &size, 4);
        if (size <= 12) {
            std::memcpy(v + 4, strings[i].data(), strings[i].size());
        } else {
            std::memcpy(v + 4, strings[i].data(), 4);
            const std::int32_t buffer = 0;
            const auto at = static_cast<std::int32_t>(data.size());
            std::memcpy(v + 8, &buffer, 4);
            std::memcpy(v + 12, &at, 4);
            data += strings[i];
        }
    }
    const std::vector<std::int64_t> sizes{static_cast<std::int64_t>(data.size())};
    ArrowArray a = make_array(static_cast<std::int64_t>(strings.size()), 0, 0,
                              {Bytes{}, views, Bytes(data.begin(), data.end()), bytes_of(sizes)},
                              {false, true, true, true});
    ArrowSchema s = make_schema("vu");
    return std::move(yosmodel::arrow::import_array(&s, &a)[0]);
}

/// A primitive column of `values` (format `format`), nulls where `valid` is false.
template <class T>
yosmodel::arrow::Column primitive_column(const std::string& format, const std::vector<T>& values,
                                         const std::vector<bool>& valid = {}) {
    std::int64_t nulls = 0;
    for (bool v : valid)
        nulls += !v;
    ArrowArray a = make_array(static_cast<std::int64_t>(values.size()), nulls, 0,
                              {valid.empty() ? Bytes{} : bitmap_of(valid), bytes_of(values)},
                              {!valid.empty(), true});
    ArrowSchema s = make_schema(format);
    return std::move(yosmodel::arrow::import_array(&s, &a)[0]);
}

/// A chunked dictionary column: chunk c has dictionary dictionaries[c] and indices indices[c]
/// (of Arrow index format `index_format`, such as "c" for int8 or "I" for uint32), missing
/// where valid[c] is false. With `offset`, each chunk is a slice: its first `offset` indices
/// (and validity bits) are not its rows. With `entries_valid`, entry j of chunk c's dictionary
/// is null where entries_valid[c][j] is false (as pyarrow builds them). `parts` own the arrays
/// that `column`'s chunks read.
struct DictionaryColumn {
    std::vector<yosmodel::arrow::Column> parts;
    yosmodel::arrow::Column column;
};

template <class I>
DictionaryColumn dictionary_column(const std::string& index_format,
                                   const std::vector<std::vector<std::string>>& dictionaries,
                                   const std::vector<std::vector<I>>& indices,
                                   const std::vector<std::vector<bool>>& valid = {},
                                   std::int64_t offset = 0, const std::string& name = "yjs",
                                   const std::vector<std::vector<bool>>& entries_valid = {}) {
    DictionaryColumn out;
    std::vector<yosmodel::arrow::Chunk> chunks;
    yosmodel::arrow::Field field;
    for (std::size_t c = 0; c < dictionaries.size(); ++c) {
        std::vector<Bytes> entries = utf8_buffers(dictionaries[c]);
        std::int64_t null_entries = 0;
        const bool entry_nulls = !entries_valid.empty();
        if (entry_nulls) {
            entries[0] = bitmap_of(entries_valid[c]);
            for (const bool v : entries_valid[c])
                null_entries += !v;
        }
        ArrowArray* dict =
            heap(make_array(static_cast<std::int64_t>(dictionaries[c].size()), null_entries, 0,
                            std::move(entries), {entry_nulls, true, true}));
        const bool nulls = !valid.empty();
        std::int64_t null_count = 0;
        if (nulls)
            for (std::size_t i = static_cast<std::size_t>(offset); i < valid[c].size(); ++i)
                null_count += !valid[c][i];
        const auto length = static_cast<std::int64_t>(indices[c].size()) - offset;
        ArrowArray a = make_array(length, null_count, offset,
                                  {nulls ? bitmap_of(valid[c]) : Bytes{}, bytes_of(indices[c])},
                                  {nulls, true}, nullptr, dict);
        ArrowSchema s = make_schema(index_format, name, heap_schema(make_schema("u")));
        out.parts.push_back(std::move(yosmodel::arrow::import_array(&s, &a)[0]));
        field = out.parts.back().field();
        chunks.push_back(out.parts.back().chunks()[0]);
    }
    out.column = yosmodel::arrow::Column(name, field, std::move(chunks));
    return out;
}

/// The same with int16 indices, the common case.
inline DictionaryColumn dictionary_column(const std::vector<std::vector<std::string>>& dictionaries,
                                          const std::vector<std::vector<std::int16_t>>& indices,
                                          const std::vector<std::vector<bool>>& valid = {}) {
    return dictionary_column<std::int16_t>("s", dictionaries, indices, valid);
}

}  // namespace test_arrow
