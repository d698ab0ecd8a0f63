// Compiles the definitions declared in yosmodel/evaluation/effect.hpp into the library.
#include "yosmodel/evaluation/detail/effect-inl.hpp"
