// yosmodel._core: the compiled half of the Python package. One submodule per area, each filled
// by its own register_<area>.cpp; this file creates them and the exception hierarchy
// (_core.core), and translates the core's exceptions into it.
#include <pybind11/pybind11.h>

#include <exception>
#include <new>
#include <string>

#include "yosmodel/core/error.hpp"

namespace py = pybind11;

void register_reoffending(py::module_& m);
void register_reoffending_columns(py::module_& m);
void register_stats(py::module_& m);
void register_disclosure(py::module_& m);
void register_evaluation(py::module_& m);
void register_inspection(py::module_& m);
void register_measures(py::module_& m);

namespace {

// The Python classes of the hierarchy, made once when the module loads (they live as long as
// the interpreter, like the module that holds them).
struct Hierarchy {
    PyObject* base = nullptr;
    PyObject* input = nullptr;
    PyObject* dtype = nullptr;
    PyObject* framework = nullptr;
    PyObject* corrupt_data = nullptr;
    PyObject* limit = nullptr;
    PyObject* separation = nullptr;
    PyObject* rank_deficiency = nullptr;
    PyObject* convergence = nullptr;
    PyObject* resource = nullptr;
};

Hierarchy hierarchy;

// A class named yosmodel.<name> deriving from `bases`, documented, added to `m`.
PyObject* new_error(py::module_& m, const char* name, const char* doc, py::tuple bases) {
    const std::string qualified = std::string("yosmodel.") + name;
    PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
    if (type == nullptr) throw py::error_already_set();
    m.add_object(name, py::handle(type));  // the module's reference keeps the class alive
    return type;
}

void register_errors(py::module_& m) {
    auto& h = hierarchy;
    const auto of = [](auto... types) { return py::make_tuple(py::handle(types)...); };
    h.base =
        new_error(m, "YosmodelError", "Base of every error yosmodel raises.", of(PyExc_Exception));
    h.input = new_error(m, "InputError",
                        "The input broke a rule (lengths, negative counts, codes out of range).",
                        of(h.base, PyExc_ValueError));
    h.dtype = new_error(m, "DtypeError", "A column has a type the operation cannot use.",
                        of(h.base, PyExc_TypeError));
    h.framework =
        new_error(m, "FrameworkError",
                  "An inspection framework is malformed or answers do not fit it.", of(h.input));
    h.corrupt_data =
        new_error(m, "CorruptDataError",
                  "Serialised partial-table bytes are damaged or of another version.", of(h.input));
    h.limit =
        new_error(m, "LimitError", "A request needs more memory or work than the library allows.",
                  of(h.input));
    h.separation = new_error(
        m, "SeparationError",
        "The covariates predict the outcome perfectly: the model has no estimate.", of(h.input));
    h.rank_deficiency =
        new_error(m, "RankDeficiencyError",
                  "Some covariates are constant or combinations of others.", of(h.input));
    h.convergence = new_error(m, "ConvergenceError",
                              "An iterative method did not converge in the allowed iterations.",
                              of(h.base, PyExc_RuntimeError));
    h.resource = new_error(m, "ResourceError",
                           "The system refused a resource the library needed (a thread).",
                           of(h.base, PyExc_RuntimeError));
}

// Most derived first: a SeparationError is also an InputError.
void translate(std::exception_ptr p) {
    const auto& h = hierarchy;
    try {
        if (p) std::rethrow_exception(p);
    } catch (const yosmodel::FrameworkError& e) {
        PyErr_SetString(h.framework, e.what());
    } catch (const yosmodel::CorruptDataError& e) {
        PyErr_SetString(h.corrupt_data, e.what());
    } catch (const yosmodel::LimitError& e) {
        PyErr_SetString(h.limit, e.what());
    } catch (const yosmodel::SeparationError& e) {
        PyErr_SetString(h.separation, e.what());
    } catch (const yosmodel::RankDeficiencyError& e) {
        PyErr_SetString(h.rank_deficiency, e.what());
    } catch (const yosmodel::InputError& e) {
        PyErr_SetString(h.input, e.what());
    } catch (const yosmodel::DtypeError& e) {
        PyErr_SetString(h.dtype, e.what());
    } catch (const yosmodel::ConvergenceError& e) {
        PyErr_SetString(h.convergence, e.what());
    } catch (const yosmodel::ResourceError& e) {
        PyErr_SetString(h.resource, e.what());
    } catch (const yosmodel::Error& e) {
        PyErr_SetString(h.base, e.what());
    }
}

// The last resort: anything else a kernel lets escape (not pybind11's own exceptions, which
// carry their Python type, and not bad_alloc, which becomes MemoryError) is a YosmodelError
// naming only the kind of failure.
void translate_unexpected(std::exception_ptr p) {
    try {
        if (p) std::rethrow_exception(p);
    } catch (const py::builtin_exception&) {
        throw;
    } catch (const py::error_already_set&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        PyErr_SetString(hierarchy.base, (std::string("yosmodel's core failed unexpectedly (") +
                                         e.what() + "); please report this")
                                            .c_str());
    }
}

// The last resort for calls whose arguments pybind11 cannot convert: its TypeError lists the
// values the function was called with (a column of identifiers, say). Every function of a
// submodule is wrapped so that error becomes a DtypeError naming the function and its
// signature (types only). The Python layer checks options first, so users should never see it.
void guard_arguments(py::module_& sub) {
    const py::dict names = sub.attr("__dict__");
    for (const auto& [key, value] : names) {
        if (!PyCFunction_Check(value.ptr())) continue;
        const std::string name = py::str(key);
        const py::object function = py::reinterpret_borrow<py::object>(value);
        const py::object doc = function.attr("__doc__");
        const std::string signature =
            doc.is_none()
                ? name
                : std::string(py::str(doc)).substr(0, std::string(py::str(doc)).find('\n'));
        py::options options;
        options.disable_function_signatures();
        sub.attr(key) = py::cpp_function(
            [function, signature](py::args args, py::kwargs kwargs) -> py::object {
                try {
                    return function(*args, **kwargs);
                } catch (py::error_already_set& e) {
                    if (!e.matches(PyExc_TypeError) ||
                        std::string(e.what()).find("incompatible function arguments") ==
                            std::string::npos)
                        throw;
                    throw yosmodel::DtypeError("arguments of the wrong type for " + signature);
                }
            },
            py::name(name.c_str()),
            py::doc(doc.is_none() ? "" : std::string(py::str(doc)).c_str()));
    }
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "yosmodel's C++ core (private: use the yosmodel package)";
    auto core = m.def_submodule("core", "The exception hierarchy and the library's version.");
    core.attr("__version__") = YOSMODEL_VERSION;
    register_errors(core);
    // Registered first, so tried last: the specific translator below sees every exception first.
    py::register_exception_translator(&translate_unexpected);
    py::register_exception_translator(&translate);

    // Each submodule is also importable by its dotted name (import yosmodel._core.stats).
    py::dict modules = py::module_::import("sys").attr("modules");
    const auto area = [&](const char* name, const char* doc) {
        auto sub = m.def_submodule(name, doc);
        modules[py::str(std::string("yosmodel._core.") + name)] = sub;
        return sub;
    };
    modules["yosmodel._core.core"] = core;
    // stats first: reoffending's finalize takes its IntervalMethod (with a default value).
    auto stats = area("stats", "Intervals and tests for proportions.");
    register_stats(stats);
    auto reoffending = area("reoffending", "Grouped counts, partial tables and cohorts.");
    register_reoffending(reoffending);
    register_reoffending_columns(reoffending);  // keys of every type to codes, the kernel over them
    auto disclosure = area("disclosure", "Suppression decisions for published tables.");
    register_disclosure(disclosure);
    auto evaluation = area("evaluation", "Propensity model, matching, balance and effects.");
    register_evaluation(evaluation);
    auto inspection = area("inspection", "Frameworks, answer sheets and scoring.");
    register_inspection(inspection);
    // The inspection area raises the one FrameworkError (yosmodel.FrameworkError).
    inspection.attr("FrameworkError") = core.attr("FrameworkError");
    auto measures = area("measures", "First time entrants, custody, KPIs and comparators.");
    register_measures(measures);
    for (auto* sub : {&reoffending, &stats, &disclosure, &evaluation, &inspection, &measures})
        guard_arguments(*sub);
}
