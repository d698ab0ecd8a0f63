// yosmodel._core: the compiled half of the Python package. Each area registers itself from its
// own register_<area>.cpp; this file only maps the core's exceptions to Python's.
#include <pybind11/pybind11.h>

#include "yosmodel/core/error.hpp"

namespace py = pybind11;

void register_evaluation(py::module_& m);
void register_inspection(py::module_& m);
void register_disclosure(py::module_& m);
void register_cohort(py::module_& m);
void register_reoffending(py::module_& m);
void register_stats(py::module_& m);
void register_grouper(py::module_& m);
void register_measures(py::module_& m);

PYBIND11_MODULE(_core, m) {
    m.doc() = "yosmodel's C++ core (private: use the yosmodel package)";
    m.attr("__version__") = YOSMODEL_VERSION;
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const yosmodel::DtypeError& e) {
            PyErr_SetString(PyExc_TypeError, e.what());
        } catch (const yosmodel::InputError& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        } catch (const yosmodel::Error& e) {
            PyErr_SetString(PyExc_RuntimeError, e.what());
        }
    });
    register_evaluation(m);
    register_inspection(m);
    register_disclosure(m);
    register_cohort(m);
    register_reoffending(m);
    register_stats(m);
    register_grouper(m);
    auto measures = m.def_submodule("measures");
    register_measures(measures);
}
