// Compiles the definitions declared in yosmodel/reoffending/rates.hpp into the library.
#include "yosmodel/reoffending/detail/rates-inl.hpp"
