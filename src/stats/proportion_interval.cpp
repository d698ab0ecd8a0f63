// Compiles the definitions declared in yosmodel/stats/proportion_interval.hpp into the library.
#include "yosmodel/stats/detail/proportion_interval-inl.hpp"
