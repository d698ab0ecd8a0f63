// Compiles the definitions declared in yosmodel/reoffending/margins.hpp into the library.
#include "yosmodel/reoffending/detail/margins-inl.hpp"
