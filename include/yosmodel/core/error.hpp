// The exceptions yosmodel throws: one hierarchy for every area. Messages name the column, option
// or rule that was broken and how many rows broke it; they never carry a value or identifier
// taken from a person's record. The Python package mirrors this hierarchy class for class.
#pragma once

#include <stdexcept>
#include <string>

namespace yosmodel {

/// Base of every exception the library throws. (Python: yosmodel.YosmodelError.)
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The input broke a rule: lengths differ, a count is negative, a code is out of range, ...
/// (Python: yosmodel.InputError, a ValueError.)
class InputError : public Error {
public:
    using Error::Error;
};

/// A column has a type the operation cannot use. (Python: yosmodel.DtypeError, a TypeError.)
class DtypeError : public Error {
public:
    using Error::Error;
};

/// A framework (themes, questions, bands) is malformed or answers do not fit it.
/// (Python: yosmodel.FrameworkError, a ValueError.)
class FrameworkError : public InputError {
public:
    using InputError::InputError;
};

/// Serialised partial-table bytes are damaged, of another version, or inconsistent.
/// (Python: yosmodel.CorruptDataError, a ValueError.)
class CorruptDataError : public InputError {
public:
    using InputError::InputError;
};

/// A request would need more memory or work than the library allows (margins over many keys, a
/// key space too wide, too many threads); refused before anything is allocated.
/// (Python: yosmodel.LimitError, a ValueError.)
class LimitError : public InputError {
public:
    using InputError::InputError;
};

/// The covariates predict the outcome perfectly for some rows, so the maximum likelihood
/// estimate does not exist (coefficients run off to infinity).
/// (Python: yosmodel.SeparationError, a ValueError.)
class SeparationError : public InputError {
public:
    using InputError::InputError;
};

/// Some covariates are constant or linear combinations of others.
/// (Python: yosmodel.RankDeficiencyError, a ValueError.)
class RankDeficiencyError : public InputError {
public:
    using InputError::InputError;
};

/// An iterative method (Newton's) did not converge in the allowed iterations.
/// (Python: yosmodel.ConvergenceError, a RuntimeError.)
class ConvergenceError : public Error {
public:
    using Error::Error;
};

/// The system refused a resource the library needed (a worker thread could not start).
/// (Python: yosmodel.ResourceError, a RuntimeError.)
class ResourceError : public Error {
public:
    using Error::Error;
};

}  // namespace yosmodel
