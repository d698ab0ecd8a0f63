// Compiles the definitions declared in yosmodel/core/take.hpp into the library.
#include "yosmodel/core/detail/take-inl.hpp"
