// Compiles the definitions declared in yosmodel/core/key_lookup.hpp into the library.
#include "yosmodel/core/detail/key_lookup-inl.hpp"
