// The one translation between numpy arrays and the core's column views, used by every
// register_<area>.cpp: checked dtypes, no silent copies (a non-contiguous, byte-swapped or
// wrongly typed array is refused, and the Python layer decides whether to copy), and results
// handed to numpy without copying.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::bindings {

namespace py = pybind11;

namespace detail {

inline void check_layout(const std::string& name, const py::array& array, py::ssize_t ndim) {
    if (array.ndim() != ndim)
        throw DtypeError("column '" + name + "' must be " +
                         (ndim == 1 ? "one-dimensional" : "two-dimensional"));
    if (!(array.flags() & py::array::c_style))
        throw DtypeError("column '" + name + "' must be contiguous in memory");
    if (array.dtype().byteorder() == '>')
        throw DtypeError("column '" + name + "' must be in native byte order");
}

inline std::string dtype_name(const py::array& array) {
    return std::string(py::str(array.dtype()));
}

}  // namespace detail

/// A view of a one-dimensional, C-contiguous, native-endian numeric array of any integer or
/// floating-point dtype. The array must outlive the view.
inline ColumnView column_view(const std::string& name, const py::array& array) {
    detail::check_layout(name, array, 1);
    const py::dtype dtype = array.dtype();
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
    throw DtypeError("column '" + name + "' has dtype " + detail::dtype_name(array) +
                     "; use an integer or floating-point dtype");
}

/// A view of a one-dimensional array whose dtype must be exactly T (the Python layer converts
/// first; nothing here copies).
template <class T>
std::span<const T> span_of(const std::string& name, const py::array& array) {
    detail::check_layout(name, array, 1);
    if (!py::isinstance<py::array_t<T>>(array) || array.dtype().itemsize() != sizeof(T))
        throw DtypeError("column '" + name + "' has dtype " + detail::dtype_name(array) +
                         "; expected " + std::string(py::str(py::dtype::of<T>())));
    return {static_cast<const T*>(array.data()), static_cast<std::size_t>(array.shape(0))};
}

/// A row-major matrix of T: its data, rows and columns.
template <class T>
struct MatrixView {
    const T* data = nullptr;
    std::size_t rows = 0, columns = 0;
};

template <class T>
MatrixView<T> matrix_of(const std::string& name, const py::array& array) {
    detail::check_layout(name, array, 2);
    if (!py::isinstance<py::array_t<T>>(array) || array.dtype().itemsize() != sizeof(T))
        throw DtypeError("'" + name + "' has dtype " + detail::dtype_name(array) + "; expected " +
                         std::string(py::str(py::dtype::of<T>())));
    return {static_cast<const T*>(array.data()), static_cast<std::size_t>(array.shape(0)),
            static_cast<std::size_t>(array.shape(1))};
}

/// Hands a vector's storage to numpy without copying it.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
    auto* owned = new std::vector<T>(std::move(values));
    py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>({owned->size()}, {sizeof(T)}, owned->data(), free_when_done);
}

/// A numpy view of `count` values at `data`, kept alive by `owner` (a bound result object).
template <class T>
py::array_t<T> view_of(const T* data, std::size_t count, py::handle owner) {
    if (count == 0) return py::array_t<T>(0);
    return py::array_t<T>({count}, {sizeof(T)}, data, owner);
}

/// Binds `Struct::*member` (a std::vector) as a read-only attribute that returns a numpy view
/// of the result's own storage: no copy, and the array keeps the result alive.
template <class Class, class Struct, class T>
void def_array(Class& cls, const char* name, std::vector<T> Struct::*member, const char* doc) {
    cls.def_property_readonly(
        name,
        [member](py::object self) {
            const auto& values = self.cast<const Struct&>().*member;
            return view_of(values.data(), values.size(), self);
        },
        doc);
}

}  // namespace yosmodel::bindings
