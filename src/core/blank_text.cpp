// Compiles the definitions declared in yosmodel/core/blank_text.hpp into the library.
#include "yosmodel/core/detail/blank_text-inl.hpp"
