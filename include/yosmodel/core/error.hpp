// The exceptions yosmodel throws. Messages name the column and the rule that was broken, and how
// many rows broke it; they never carry a value or identifier taken from a person's record.
#pragma once

#include <stdexcept>
#include <string>

namespace yosmodel {

/// Base of every exception the library throws.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The input broke a rule: lengths differ, a count is negative, a code is out of range, ...
/// (Python: ValueError.)
class InputError : public Error {
public:
    using Error::Error;
};

/// A column has a type the operation cannot use. (Python: TypeError.)
class DtypeError : public Error {
public:
    using Error::Error;
};

}  // namespace yosmodel
