// Compiles the definitions declared in yosmodel/evaluation/matching.hpp into the library.
#include "yosmodel/evaluation/detail/matching-inl.hpp"
