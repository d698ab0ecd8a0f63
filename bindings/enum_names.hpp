// One type caster for the core's enums: a bound enum (py::enum_) accepts its own values, its
// names as strings and its integer values, so the C++ enum is the only list of choices and
// Python reads it from the bound class (`IntervalMethod.__members__`). A name or number that
// is not in the enum raises yosmodel.InputError listing the choices, never a pybind11 dump.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>

#include "yosmodel/core/error.hpp"

namespace yosmodel::bindings {

namespace py = pybind11;

/// The names of a bound enum's values, in order, as "a, b or c".
inline std::string enum_choices(py::handle type) {
    const py::dict members = type.attr("__members__");
    std::string out;
    std::size_t i = 0;
    for (const auto& item : members) {
        if (i > 0) out += (i + 1 == members.size()) ? " or " : ", ";
        out += py::str(item.first).cast<std::string>();
        ++i;
    }
    return out;
}

}  // namespace yosmodel::bindings

namespace pybind11::detail {

template <class Enum>
struct named_enum_caster : type_caster_base<Enum> {
    bool load(handle src, bool convert) {
        if (type_caster_base<Enum>::load(src, convert)) return true;
        const bool is_name = isinstance<pybind11::str>(src);
        const bool is_number = isinstance<pybind11::int_>(src) && !isinstance<pybind11::bool_>(src);
        if (!is_name && !is_number) return false;
        const handle type = type::handle_of<Enum>();
        const dict members = type.attr("__members__");
        const std::string what = type.attr("_yosmodel_what").template cast<std::string>();
        if (is_name) {
            if (members.contains(src)) return type_caster_base<Enum>::load(members[src], convert);
            throw yosmodel::InputError("unknown " + what + " '" + src.template cast<std::string>() +
                                       "'; use " + yosmodel::bindings::enum_choices(type));
        }
        for (const auto& item : members)
            if (pybind11::int_(reinterpret_borrow<object>(item.second)).equal(src))
                return type_caster_base<Enum>::load(item.second, convert);
        throw yosmodel::InputError("unknown " + what + " code; use " +
                                   yosmodel::bindings::enum_choices(type));
    }
};

}  // namespace pybind11::detail

/// Declares that `Type` converts from its names and numbers (use at namespace scope, before any
/// function taking a `Type` is bound, in every file that binds or takes one).
#define YOSMODEL_NAMED_ENUM(Type)                          \
    namespace pybind11::detail {                           \
    template <>                                            \
    struct type_caster<Type> : named_enum_caster<Type> {}; \
    }

namespace yosmodel::bindings {

/// Binds an enum with the caster above; `what` names it in error messages ("interval method").
template <class Enum>
py::enum_<Enum> bind_enum(py::module_& m, const char* name, const char* what, const char* doc) {
    py::enum_<Enum> e(m, name, doc);
    e.attr("_yosmodel_what") = what;
    return e;
}

}  // namespace yosmodel::bindings

// The core enums the bindings take and return (opaque declarations: the definitions stay in
// the core's headers, which only the register file of the enum's area includes).
namespace yosmodel::stats {
enum class IntervalMethod;
}
namespace yosmodel::disclosure {
enum class Suppression : std::uint8_t;
}
namespace yosmodel::reoffending {
enum class DateUnit : std::int64_t;
enum class DisposalKind : std::uint8_t;
}  // namespace yosmodel::reoffending

YOSMODEL_NAMED_ENUM(yosmodel::stats::IntervalMethod)
YOSMODEL_NAMED_ENUM(yosmodel::disclosure::Suppression)
YOSMODEL_NAMED_ENUM(yosmodel::reoffending::DateUnit)
YOSMODEL_NAMED_ENUM(yosmodel::reoffending::DisposalKind)
