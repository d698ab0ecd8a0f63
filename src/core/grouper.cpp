// Compiles the definitions declared in yosmodel/core/grouper.hpp into the library.
#include "yosmodel/core/detail/grouper-inl.hpp"
