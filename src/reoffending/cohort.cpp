// Compiles the definitions declared in yosmodel/reoffending/cohort.hpp into the library.
#include "yosmodel/reoffending/detail/cohort-inl.hpp"
