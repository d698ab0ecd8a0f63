// Compiles the definitions declared in yosmodel/measures/relative_rate.hpp into
// the library.
#include "yosmodel/measures/detail/relative_rate-inl.hpp"
