// Columns from Python objects without copying: anything that speaks the Arrow PyCapsule
// interface (`__arrow_c_stream__` / `__arrow_c_array__`: pandas, polars, pyarrow, DuckDB), read
// through the core's validating importer with no pyarrow import, and numpy arrays of integers,
// booleans and datetime64 viewed in place.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "numpy_columns.hpp"
#include "yosmodel/core/arrow.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::bindings {

namespace py = pybind11;

inline bool speaks_arrow(const py::handle& obj) {
    return py::hasattr(obj, "__arrow_c_stream__") || py::hasattr(obj, "__arrow_c_array__");
}

/// The capsule's pointer, checked by name.
template <class T>
T* capsule_pointer(const py::object& capsule, const char* name, const std::string& column) {
    if (!PyCapsule_IsValid(capsule.ptr(), name))
        throw DtypeError("column '" + column + "': its Arrow interface did not return a '" + name +
                         "' capsule");
    return static_cast<T*>(PyCapsule_GetPointer(capsule.ptr(), name));
}

/// The one column of an Arrow-speaking object (a Series, a ChunkedArray, an Array), its chunks
/// as the producer holds them. The producer's structs are taken over (moved out of their
/// capsules), so they are released when the column goes away, not when the capsules do.
inline arrow::Column arrow_column(const std::string& name, const py::object& obj) {
    std::vector<arrow::Column> columns;
    if (py::hasattr(obj, "__arrow_c_stream__")) {
        const py::object capsule = obj.attr("__arrow_c_stream__")();
        auto* stream = capsule_pointer<ArrowArrayStream>(capsule, "arrow_array_stream", name);
        columns = arrow::import_stream(stream, name);
    } else {
        const py::tuple pair = obj.attr("__arrow_c_array__")();
        if (pair.size() != 2)
            throw DtypeError("column '" + name +
                             "': its __arrow_c_array__ did not return two capsules");
        auto* schema = capsule_pointer<ArrowSchema>(pair[0], "arrow_schema", name);
        auto* array = capsule_pointer<ArrowArray>(pair[1], "arrow_array", name);
        columns = arrow::import_array(schema, array, name);
    }
    if (columns.size() != 1)
        throw DtypeError("column '" + name + "' is a table of " + std::to_string(columns.size()) +
                         " columns, not one column");
    arrow::Column& c = columns[0];
    return arrow::Column(name, c.field(), std::vector<arrow::Chunk>(c.chunks()), c.owner());
}

/// Keeps a numpy array (and a bitmap made for it) alive as long as a column reads them.
struct NumpyOwner {
    py::object array;
    std::vector<std::uint8_t> validity;
    ~NumpyOwner() {
        py::gil_scoped_acquire gil;  // the last reference may go on a thread without the GIL
        array = py::object();
    }
};

/// A numpy array of integers, booleans or datetime64 as a one-chunk column read in place;
/// datetime64's NaT becomes a missing value.
inline std::pair<arrow::Column, std::shared_ptr<NumpyOwner>> numpy_key_column(
    const std::string& name, const py::array& array) {
    if (array.ndim() != 1) throw DtypeError("column '" + name + "' must be one-dimensional");
    if (!(array.flags() & py::array::c_style))
        throw DtypeError("column '" + name + "' must be contiguous in memory");
    const py::dtype dtype = array.dtype();
    if (dtype.byteorder() == '>')
        throw DtypeError("column '" + name + "' must be in native byte order");
    auto owner = std::make_shared<NumpyOwner>();
    owner->array = array;
    const auto n = static_cast<std::int64_t>(array.shape(0));
    const char kind = dtype.kind();
    const auto size = dtype.itemsize();
    arrow::Field field;
    const std::uint8_t* validity = nullptr;
    if (kind == 'b') {
        field.type = arrow::Type::uint8;  // numpy booleans are bytes 0 and 1
    } else if (kind == 'i' || kind == 'u') {
        static constexpr arrow::Type signed_types[] = {arrow::Type::int8, arrow::Type::int16,
                                                       arrow::Type::int32, arrow::Type::int64};
        static constexpr arrow::Type unsigned_types[] = {arrow::Type::uint8, arrow::Type::uint16,
                                                         arrow::Type::uint32, arrow::Type::uint64};
        const int slot = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
        field.type = kind == 'i' ? signed_types[slot] : unsigned_types[slot];
    } else if (kind == 'M') {
        const std::string unit = py::str(dtype.attr("str"));  // e.g. "<M8[ns]"
        field.type = arrow::Type::timestamp;
        if (unit.find("[ns]") != std::string::npos)
            field.unit = arrow::TimeUnit::nanosecond;
        else if (unit.find("[us]") != std::string::npos)
            field.unit = arrow::TimeUnit::microsecond;
        else if (unit.find("[ms]") != std::string::npos)
            field.unit = arrow::TimeUnit::millisecond;
        else if (unit.find("[s]") != std::string::npos)
            field.unit = arrow::TimeUnit::second;
        else
            throw DtypeError("key column '" + name + "' has dtype " + std::string(py::str(dtype)) +
                             "; use datetime64 in seconds, ms, us or ns (or dates through Arrow)");
        const auto* v = static_cast<const std::int64_t*>(array.data());
        bool any_nat = false;
        for (std::int64_t i = 0; i < n && !any_nat; ++i)
            any_nat = v[i] == std::numeric_limits<std::int64_t>::min();
        if (any_nat) {
            owner->validity.assign(static_cast<std::size_t>(n / 8 + 1), 0);
            for (std::int64_t i = 0; i < n; ++i)
                if (v[i] != std::numeric_limits<std::int64_t>::min())
                    owner->validity[static_cast<std::size_t>(i >> 3)] |=
                        static_cast<std::uint8_t>(1U << (i & 7));
            validity = owner->validity.data();
        }
    } else {
        throw DtypeError("key column '" + name + "' has dtype " + std::string(py::str(dtype)) +
                         "; group by integers, booleans, dates, strings or categories");
    }
    return {arrow::Column::borrow(name, field, array.data(), n, validity), owner};
}

}  // namespace yosmodel::bindings
