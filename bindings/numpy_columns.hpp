// Translation between numpy arrays and the core's column views and vectors: checked dtypes,
// no silent copies (a non-contiguous or byte-swapped array is refused, and the Python layer
// decides whether to copy), and results handed to numpy without copying.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::bindings {

namespace py = pybind11;

/// A view of a one-dimensional, C-contiguous, native-endian numeric array. The array must
/// outlive the view.
inline ColumnView column_view(const std::string& name, const py::array& array) {
    if (array.ndim() != 1) throw DtypeError("column '" + name + "' must be one-dimensional");
    if (!(array.flags() & py::array::c_style))
        throw DtypeError("column '" + name + "' must be contiguous in memory");
    const py::dtype dtype = array.dtype();
    if (dtype.byteorder() == '>')
        throw DtypeError("column '" + name + "' must be in native byte order");
    const auto n = static_cast<std::size_t>(array.shape(0));
    const void* data = array.data();
    const auto view = [&](auto* typed) {
        using T = std::remove_const_t<std::remove_pointer_t<decltype(typed)>>;
        return ColumnView(name, std::span<const T>(static_cast<const T*>(data), n));
    };
    const char kind = dtype.kind();
    const auto size = dtype.itemsize();
    if (kind == 'i') {
        if (size == 1) return view(static_cast<const std::int8_t*>(nullptr));
        if (size == 2) return view(static_cast<const std::int16_t*>(nullptr));
        if (size == 4) return view(static_cast<const std::int32_t*>(nullptr));
        if (size == 8) return view(static_cast<const std::int64_t*>(nullptr));
    } else if (kind == 'u') {
        if (size == 1) return view(static_cast<const std::uint8_t*>(nullptr));
        if (size == 2) return view(static_cast<const std::uint16_t*>(nullptr));
        if (size == 4) return view(static_cast<const std::uint32_t*>(nullptr));
        if (size == 8) return view(static_cast<const std::uint64_t*>(nullptr));
    } else if (kind == 'f') {
        if (size == 4) return view(static_cast<const float*>(nullptr));
        if (size == 8) return view(static_cast<const double*>(nullptr));
    }
    throw DtypeError("column '" + name + "' has dtype " + std::string(py::str(dtype)) +
                     "; use an integer or floating-point dtype");
}

/// Hands a vector's storage to numpy without copying it.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
    auto* owned = new std::vector<T>(std::move(values));
    py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>({owned->size()}, {sizeof(T)}, owned->data(), free_when_done);
}

}  // namespace yosmodel::bindings
