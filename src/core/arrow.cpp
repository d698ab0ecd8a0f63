// Compiles the definitions declared in yosmodel/core/arrow.hpp into the library.
#include "yosmodel/core/detail/arrow-inl.hpp"
