// Compiles the definitions declared in yosmodel/measures/first_outcomes.hpp
// into the library.
#include "yosmodel/measures/detail/first_outcomes-inl.hpp"
