// Compiles the definitions declared in yosmodel/stats/difference.hpp into the library.
#include "yosmodel/stats/detail/difference-inl.hpp"
