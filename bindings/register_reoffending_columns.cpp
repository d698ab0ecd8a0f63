// Bindings for the columns the reoffending kernel reads (part of _core.reoffending): the grouper
// and the kernel entry over grouped keys. Keys and counts come in as Arrow-speaking objects or
// numpy arrays, are read in place and grouped with the GIL released. Categories go back to Python
// as numpy arrays (strings as a list of str).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "arrow_input.hpp"
#include "numpy_columns.hpp"
#include "yosmodel/core/blank_text.hpp"
#include "yosmodel/core/detail/code_maps.hpp"
#include "yosmodel/core/grouper.hpp"
#include "yosmodel/core/key_lookup.hpp"
#include "yosmodel/core/take.hpp"
#include "yosmodel/reoffending/grouped_columns.hpp"

namespace py = pybind11;
using yosmodel::GroupedKey;
using yosmodel::reoffending::CountColumn;
using yosmodel::reoffending::PartialTable;

namespace {

using Key = std::shared_ptr<GroupedKey>;

yosmodel::GrouperOptions grouper_options(const std::string& nulls, const std::string& order,
                                         unsigned threads) {
    yosmodel::GrouperOptions o;
    o.threads = threads;
    if (nulls == "refuse")
        o.nulls = yosmodel::NullKeys::refuse;
    else if (nulls == "group")
        o.nulls = yosmodel::NullKeys::group;
    else
        throw yosmodel::InputError("nulls must be 'refuse' or 'group'");
    if (order == "sorted")
        o.order = yosmodel::CategoryOrder::sorted;
    else if (order == "any")
        o.order = yosmodel::CategoryOrder::any;
    else
        throw yosmodel::InputError("order must be 'sorted' or 'any'");
    return o;
}

// A key column read in place from an Arrow-speaking object or a numpy array, and what keeps a
// numpy array's memory alive (none for Arrow: the column owns its arrays).
std::pair<yosmodel::arrow::Column, std::shared_ptr<yosmodel::bindings::NumpyOwner>> key_input(
    const std::string& name, const py::object& column) {
    if (yosmodel::bindings::speaks_arrow(column))
        return {yosmodel::bindings::arrow_column(name, column), nullptr};
    if (py::isinstance<py::array>(column))
        return yosmodel::bindings::numpy_key_column(name, column.cast<py::array>());
    throw yosmodel::DtypeError("key column '" + name +
                               "' is neither a numpy array nor an Arrow array");
}

Key group(const std::string& name, const py::object& column, const std::string& nulls,
          const std::string& order, unsigned threads, bool span_categories,
          const std::optional<py::array_t<std::int64_t, py::array::c_style>>& rows) {
    auto options = grouper_options(nulls, order, threads);
    // Without the span's every value as a category, a narrow span is read through a map.
    if (!span_categories) options.borrow_range_limit = 0;
    auto [input, numpy] = key_input(name, column);
    auto key = std::make_shared<GroupedKey>();
    {
        py::gil_scoped_release release;
        if (rows) {
            // Only these rows, in a column of their own (which the key keeps if it reads it).
            input = yosmodel::take_rows(
                input, std::span(rows->data(), static_cast<std::size_t>(rows->size())));
            numpy = nullptr;
        }
        *key = yosmodel::group_key(input, options);
    }
    if (key->borrowed && numpy)  // the numpy array, and the maps the key may already hold
        key->storage =
            std::make_shared<std::pair<std::shared_ptr<const void>, std::shared_ptr<const void>>>(
                std::move(numpy), std::move(key->storage));
    return key;
}

// A look-up as (codes, missing_code, unknown_code, missing, unknown), the codes a numpy view
// of its own buffer.
py::tuple lookup_tuple(const std::shared_ptr<yosmodel::KeyLookup>& looked) {
    py::capsule keep(new std::shared_ptr<yosmodel::KeyLookup>(looked),
                     [](void* p) { delete static_cast<std::shared_ptr<yosmodel::KeyLookup>*>(p); });
    py::array codes = std::visit(
        [&](auto values) -> py::array {
            using T = typename decltype(values)::value_type;
            return py::array_t<T>({static_cast<py::ssize_t>(values.size())}, {sizeof(T)},
                                  values.data(), keep);
        },
        looked->codes.values);
    return py::make_tuple(codes, looked->missing_code, looked->unknown_code, looked->missing,
                          looked->unknown);
}

// The codes of each column's values among a key's categories, with the missing and unknown
// codes and how many rows have each (see look_up), from one table of the categories.
py::list look_up_columns(const Key& key, const std::string& name, const py::list& columns,
                         unsigned threads, bool unknown_first) {
    std::vector<yosmodel::arrow::Column> inputs;
    std::vector<std::shared_ptr<yosmodel::bindings::NumpyOwner>> numpy;  // kept while read
    for (const py::handle column : columns) {
        auto [input, owner] = key_input(name, py::reinterpret_borrow<py::object>(column));
        inputs.push_back(std::move(input));
        numpy.push_back(std::move(owner));
    }
    std::vector<yosmodel::KeyLookup> looked;
    {
        py::gil_scoped_release release;
        looked = yosmodel::look_up(*key, inputs, threads,
                                   unknown_first ? yosmodel::UnknownCode::before_missing
                                                 : yosmodel::UnknownCode::after_missing);
    }
    py::list out;
    for (auto& one : looked)
        out.append(lookup_tuple(std::make_shared<yosmodel::KeyLookup>(std::move(one))));
    return out;
}

py::tuple look_up(const Key& key, const std::string& name, const py::object& column,
                  unsigned threads, bool unknown_first) {
    py::list columns;
    columns.append(column);
    return look_up_columns(key, name, columns, threads, unknown_first)[0].cast<py::tuple>();
}

// The rows of a text column that are empty or only white space, as a numpy array (see
// blank_text_rows).
py::array_t<std::int64_t> blank_rows(const std::string& name, const py::object& column,
                                     unsigned threads) {
    auto [input, numpy] = key_input(name, column);
    std::vector<std::int64_t> rows;
    {
        py::gil_scoped_release release;
        rows = yosmodel::blank_text_rows(input, threads);
    }
    py::array_t<std::int64_t> out(static_cast<py::ssize_t>(rows.size()));
    std::copy(rows.begin(), rows.end(), out.mutable_data());
    return out;
}

// One column made of several (a disposal table's person ids and an offence table's), so that
// both get codes from one dictionary. Every part must have the same type; codes are always
// written (never read in place), one segment over the parts in order.
Key group_parts(const std::string& name, const std::vector<py::object>& parts,
                const std::string& nulls, const std::string& order, unsigned threads) {
    auto options = grouper_options(nulls, order, threads);
    options.borrow_range_limit = 0;
    options.mapped_range_limit = 0;
    std::vector<std::shared_ptr<const void>> owners;
    std::vector<yosmodel::arrow::Chunk> chunks;
    yosmodel::arrow::Field field;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto [c, numpy] = key_input(name, parts[i]);
        owners.push_back(numpy ? std::shared_ptr<const void>(numpy) : c.owner());
        if (i > 0 && !(c.field() == field))
            throw yosmodel::DtypeError("key column '" + name +
                                       "' has a different type in each table; give both "
                                       "tables the same type of id");
        field = c.field();
        chunks.insert(chunks.end(), c.chunks().begin(), c.chunks().end());
    }
    const yosmodel::arrow::Column combined(name, field, std::move(chunks));
    auto key = std::make_shared<GroupedKey>();
    {
        py::gil_scoped_release release;
        *key = yosmodel::group_key(combined, options);
    }
    return key;
}

// A copy of the key with its categories in the order `order` (see reorder_categories).
Key reordered(const Key& key, const py::array_t<std::uint64_t, py::array::c_style>& order,
              unsigned threads) {
    auto out = std::make_shared<GroupedKey>(*key);
    const std::span<const std::uint64_t> view(order.data(), static_cast<std::size_t>(order.size()));
    {
        py::gil_scoped_release release;
        yosmodel::reorder_categories(*out, view, threads);
    }
    return out;
}

Key from_codes(const std::string& name, const py::array& codes, std::uint64_t cardinality) {
    auto owner = std::make_shared<yosmodel::bindings::NumpyOwner>();
    owner->array = codes;
    auto key = std::make_shared<GroupedKey>(yosmodel::reoffending::key_from_codes(
        yosmodel::bindings::column_view(name, codes), cardinality));
    key->storage = owner;
    return key;
}

py::array datetimes(const std::vector<std::int64_t>& values, const char* unit) {
    py::array out(py::dtype(std::string("M8[") + unit + "]"),
                  std::vector<py::ssize_t>{static_cast<py::ssize_t>(values.size())});
    std::copy(values.begin(), values.end(), static_cast<std::int64_t*>(out.mutable_data()));
    return out;
}

py::object categories(const GroupedKey& key) {
    using yosmodel::arrow::TimeUnit;
    using yosmodel::arrow::Type;
    const auto& c = key.categories;
    if (c.field.is_string()) {
        py::list out;
        for (std::size_t i = 0; i < c.size(); ++i) {
            const auto s = c.string(i);
            PyObject* text =
                PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), "strict");
            if (text == nullptr) {
                PyErr_Clear();  // the decoder's message quotes the bytes: never pass it on
                throw yosmodel::InputError("key column '" + key.name +
                                           "' has a value that is not valid UTF-8");
            }
            out.append(py::reinterpret_steal<py::object>(text));
        }
        return out;
    }
    switch (c.field.type) {
        case Type::boolean: {
            py::array_t<bool> out(static_cast<py::ssize_t>(c.integers.size()));
            for (std::size_t i = 0; i < c.integers.size(); ++i)
                out.mutable_at(static_cast<py::ssize_t>(i)) = c.integers[i] != 0;
            return out;
        }
        case Type::date32: {
            py::array out(py::dtype("M8[D]"),
                          std::vector<py::ssize_t>{static_cast<py::ssize_t>(c.integers.size())});
            std::copy(c.integers.begin(), c.integers.end(),
                      static_cast<std::int64_t*>(out.mutable_data()));
            return out;
        }
        case Type::date64:
            return datetimes(c.integers, "ms");
        case Type::timestamp: {
            static constexpr const char* units[] = {"s", "ms", "us", "ns"};
            return datetimes(c.integers, units[static_cast<int>(c.field.unit)]);
        }
        case Type::uint8:
        case Type::uint16:
        case Type::uint32:
        case Type::uint64:
            return py::array_t<std::uint64_t>(static_cast<py::ssize_t>(c.unsigned_integers.size()),
                                              c.unsigned_integers.data());
        default:
            return py::array_t<std::int64_t>(static_cast<py::ssize_t>(c.integers.size()),
                                             c.integers.data());
    }
}

// The categories of `codes` only, in their order: a cohort's members among a million people's
// ids, without a Python string for every person.
GroupedKey picked_categories(const GroupedKey& key,
                             const py::array_t<std::int64_t, py::array::c_style>& codes) {
    using yosmodel::arrow::Type;
    const auto& all = key.categories;
    GroupedKey picked;
    picked.name = key.name;
    auto& out = picked.categories;
    out.field = all.field;
    const auto n = static_cast<std::int64_t>(all.size());
    const bool is_unsigned = all.field.type >= Type::uint8 && all.field.type <= Type::uint64;
    for (const std::int64_t code :
         std::span(codes.data(), static_cast<std::size_t>(codes.size()))) {
        if (code < 0 || code >= n)
            throw yosmodel::InputError("key column '" + key.name +
                                       "': a code outside its categories was asked for");
        const auto at = static_cast<std::size_t>(code);
        if (all.field.is_string()) {
            out.string_bytes.append(all.string(at));
            out.string_offsets.push_back(static_cast<std::int64_t>(out.string_bytes.size()));
        } else if (is_unsigned) {
            out.unsigned_integers.push_back(all.unsigned_integers[at]);
        } else {
            out.integers.push_back(all.integers[at]);
        }
    }
    return picked;
}

py::object categories_at(const GroupedKey& key,
                         const py::array_t<std::int64_t, py::array::c_style>& codes) {
    return categories(picked_categories(key, codes));
}

// String categories of `codes` as the two buffers of an Arrow large_string array (offsets, then
// bytes), for pyarrow to wrap without a copy: two million members' ids as Python strings, then
// as a pandas `str` column, took 0.29 s; the buffers take 0.01 s. The bytes are not checked
// for UTF-8 here: the caller validates the array it makes.
py::tuple string_categories_at(const GroupedKey& key,
                               const py::array_t<std::int64_t, py::array::c_style>& codes) {
    if (!key.categories.field.is_string())
        throw yosmodel::DtypeError("key column '" + key.name + "' does not hold strings");
    auto picked = std::make_unique<GroupedKey>(picked_categories(key, codes));
    auto* const owner = picked.get();
    const py::capsule keep(picked.release(), [](void* p) { delete static_cast<GroupedKey*>(p); });
    auto& c = owner->categories;
    const py::array offsets(py::dtype::of<std::int64_t>(),
                            {static_cast<py::ssize_t>(c.string_offsets.size())},
                            c.string_offsets.data(), keep);
    const py::array bytes(py::dtype::of<std::uint8_t>(),
                          {static_cast<py::ssize_t>(c.string_bytes.size())},
                          reinterpret_cast<const std::uint8_t*>(c.string_bytes.data()), keep);
    return py::make_tuple(offsets, bytes);
}

// The codes as a numpy array: the grouper's own buffer when it wrote one (no copy), otherwise
// computed (value - base, through the segments' maps) into the narrowest width.
py::array codes(const Key& key) {
    py::capsule keep(new Key(key), [](void* p) { delete static_cast<Key*>(p); });
    if (!key->borrowed && key->segments.size() == 1 && key->segments[0].map.empty()) {
        return std::visit(
            [&](auto values) -> py::array {
                using T = typename decltype(values)::value_type;
                return py::array_t<T>({static_cast<py::ssize_t>(values.size())}, {sizeof(T)},
                                      values.data(), keep);
            },
            key->segments[0].codes.values);
    }
    const std::size_t width = yosmodel::code_width(key->cardinality);
    const auto fill = [&](auto tag) -> py::array {
        using C = decltype(tag);
        py::array_t<C> out(static_cast<py::ssize_t>(key->rows));
        if (const std::size_t bad = yosmodel::detail::write_codes(*key, out.mutable_data()))
            throw yosmodel::InputError("key column '" + key->name + "': " + std::to_string(bad) +
                                       (bad == 1 ? " row has a code" : " rows have codes") +
                                       " outside its categories (a dictionary index outside its "
                                       "dictionary)");
        return out;
    };
    if (width == 1) return fill(std::uint8_t{});
    if (width == 2) return fill(std::uint16_t{});
    if (width == 4) return fill(std::uint32_t{});
    return fill(std::uint64_t{});
}

std::shared_ptr<CountColumn> counts(const std::string& name, const py::object& column) {
    if (yosmodel::bindings::speaks_arrow(column))
        return std::make_shared<CountColumn>(
            yosmodel::reoffending::count_column(yosmodel::bindings::arrow_column(name, column)));
    if (!py::isinstance<py::array>(column))
        throw yosmodel::DtypeError("column '" + name +
                                   "' is neither a numpy array nor an Arrow array");
    auto array = column.cast<py::array>();
    if (array.dtype().kind() == 'b') array = array.attr("view")("uint8").cast<py::array>();
    auto owner = std::make_shared<yosmodel::bindings::NumpyOwner>();
    owner->array = array;
    auto out = std::make_shared<CountColumn>(
        yosmodel::reoffending::count_column(yosmodel::bindings::column_view(name, array)));
    out->storage = owner;
    return out;
}

// The partial table and how many rows the max_reoffences rule set aside.
std::tuple<PartialTable, std::size_t> aggregate_grouped(
    const std::vector<Key>& keys, const CountColumn& reoffences,
    const std::optional<std::shared_ptr<CountColumn>>& previous, unsigned threads,
    std::uint32_t max_reoffences) {
    std::vector<GroupedKey> plain;  // shallow: segments view the same buffers
    plain.reserve(keys.size());
    for (const auto& k : keys)
        plain.push_back(*k);
    const CountColumn* prev = previous ? previous->get() : nullptr;
    py::gil_scoped_release release;
    yosmodel::reoffending::SetAsideRows set_aside;
    auto table = yosmodel::reoffending::aggregate_grouped(
        plain, reoffences, prev, {.threads = threads, .max_reoffences = max_reoffences},
        &set_aside);
    return {std::move(table), set_aside.reoffences_above_maximum};
}

}  // namespace

void register_reoffending_columns(py::module_& m) {
    py::class_<GroupedKey, Key>(m, "GroupedKey",
                                "A key column as dense codes and the categories they stand for.")
        .def_readonly("name", &GroupedKey::name)
        .def_readonly("cardinality", &GroupedKey::cardinality)
        .def_readonly("null_group", &GroupedKey::null_group)
        .def_readonly("borrowed", &GroupedKey::borrowed)
        .def_readonly("rows", &GroupedKey::rows)
        .def_property_readonly(
            "holds_strings", [](const GroupedKey& key) { return key.categories.field.is_string(); },
            "Whether the categories are strings.")
        .def("categories", &categories, "The categories, by code (the missing group excluded).")
        .def("codes", &codes, "The codes as a numpy array (narrowest unsigned width).")
        .def("categories_at", &categories_at, py::arg("codes"),
             "The categories of the given codes, in their order.")
        .def("string_categories_at", &string_categories_at, py::arg("codes"),
             "The string categories of the given codes as an Arrow large_string array's "
             "offsets (int64) and bytes (uint8), not yet checked for UTF-8.");
    py::class_<CountColumn, std::shared_ptr<CountColumn>>(m, "CountColumn",
                                                          "A count column read in place.")
        .def_readonly("name", &CountColumn::name)
        .def_readonly("rows", &CountColumn::rows);
    m.def("group_key", &group, py::arg("name"), py::arg("column"), py::arg("nulls") = "refuse",
          py::arg("order") = "sorted", py::arg("threads") = 0, py::arg("span_categories") = true,
          py::arg("rows") = py::none(),
          "Codes of a key column (numpy array or Arrow-speaking object), GIL released. With "
          "span_categories=False the categories are only the values present, never every value "
          "of a narrow integer span; with rows (int64), the key of those rows only, in order.");
    m.def("group_key_parts", &group_parts, py::arg("name"), py::arg("parts"),
          py::arg("nulls") = "refuse", py::arg("order") = "sorted", py::arg("threads") = 0,
          "Codes of several columns of one key (e.g. person ids of two tables) from one "
          "dictionary, GIL released.");
    m.def("look_up_columns", &look_up_columns, py::arg("key"), py::arg("name"), py::arg("columns"),
          py::arg("threads") = 0, py::arg("unknown_first") = false,
          "look_up of each column of a list, from one table of the key's categories (made once), "
          "GIL released; every column's type is checked before any is read.");
    m.def("look_up", &look_up, py::arg("key"), py::arg("name"), py::arg("column"),
          py::arg("threads") = 0, py::arg("unknown_first") = false,
          "(codes, missing_code, unknown_code, missing, unknown): the codes of a column's values "
          "among the key's n categories, GIL released: missing n and unknown n + 1, or with "
          "unknown_first the other way round.");
    m.def("blank_text_rows", &blank_rows, py::arg("name"), py::arg("column"),
          py::arg("threads") = 0,
          "The rows (int64, in order) of an Arrow text column that are empty or only white "
          "space as Python's str.isspace says, GIL released; missing rows are not listed.");
    m.def("reorder_categories", &reordered, py::arg("key"), py::arg("order"),
          py::arg("threads") = 0,
          "The key with new code c for old code order[c], codes rewritten, GIL released.");
    m.def("key_from_codes", &from_codes, py::arg("name"), py::arg("codes"), py::arg("cardinality"),
          "A key from codes the caller has (pandas Categorical codes).");
    m.def("count_column", &counts, py::arg("name"), py::arg("column"),
          "A count column (numpy array or Arrow-speaking object) read in place.");
    m.def("aggregate_grouped", &aggregate_grouped, py::arg("keys"), py::arg("reoffences"),
          py::arg("previous_offences") = std::nullopt, py::arg("threads") = 0,
          py::arg("max_reoffences") = yosmodel::reoffending::default_max_reoffences,
          "Counts per group of grouped keys and the rows set aside above max_reoffences, GIL "
          "released.");
}
