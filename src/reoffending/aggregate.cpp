// Compiles the definitions declared in yosmodel/reoffending/aggregate.hpp into the library.
#include "yosmodel/reoffending/detail/aggregate-inl.hpp"
