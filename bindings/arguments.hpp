// Arguments of the methods users call on bound classes directly (PartialTable is public), taken
// as Python objects and converted here, so a wrong type raises yosmodel.DtypeError naming the
// argument instead of pybind11's "incompatible function arguments" dump of every value.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "yosmodel/core/error.hpp"

namespace yosmodel::bindings {

namespace py = pybind11;

/// `value` as a T, or a DtypeError saying what `name` must be.
template <class T>
T argument(py::handle value, const char* name, const char* expected) {
    try {
        return value.cast<T>();
    } catch (const py::reference_cast_error&) {
        // None cast to a reference (not a cast_error: let through, pybind11 would take it for
        // "try the next overload" and print its dump of the values)
        throw DtypeError(std::string(name) + " must be " + expected + ", not None");
    } catch (const py::cast_error&) {
        throw DtypeError(std::string(name) + " must be " + expected + ", not " +
                         std::string(py::str(py::type::handle_of(value).attr("__name__"))));
    }
}

/// `value` as text, or a DtypeError saying `name` must be text. Only a str: pybind11 would also
/// take bytes, whose encoding nobody stated.
inline std::string text_argument(py::handle value, const char* name) {
    if (!py::isinstance<py::str>(value))
        throw DtypeError(std::string(name) + " must be text (a str), not " +
                         std::string(py::str(py::type::handle_of(value).attr("__name__"))));
    return value.cast<std::string>();
}

}  // namespace yosmodel::bindings
