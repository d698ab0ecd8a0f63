// Compiles the definitions declared in yosmodel/disclosure/suppress.hpp into the library.
#include "yosmodel/disclosure/detail/suppress-inl.hpp"
