// Compiles the definitions declared in yosmodel/inspection/readiness.hpp into the library.
#include "yosmodel/inspection/detail/readiness-inl.hpp"
