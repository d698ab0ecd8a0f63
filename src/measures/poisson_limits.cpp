// Compiles the definitions declared in yosmodel/measures/poisson_limits.hpp
// into the library.
#include "yosmodel/measures/detail/poisson_limits-inl.hpp"
