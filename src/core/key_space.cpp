// Compiles the definitions declared in yosmodel/core/key_space.hpp into the library.
#include "yosmodel/core/detail/key_space-inl.hpp"
