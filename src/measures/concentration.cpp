// Compiles the definitions declared in yosmodel/measures/concentration.hpp into
// the library.
#include "yosmodel/measures/detail/concentration-inl.hpp"
