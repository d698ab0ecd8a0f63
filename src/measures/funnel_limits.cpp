// Compiles the definitions declared in yosmodel/measures/funnel_limits.hpp into
// the library.
#include "yosmodel/measures/detail/funnel_limits-inl.hpp"
