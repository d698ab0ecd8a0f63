// Compiles the definitions declared in yosmodel/disclosure/recoverable.hpp into the library.
#include "yosmodel/disclosure/detail/recoverable-inl.hpp"
