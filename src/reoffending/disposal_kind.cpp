// Compiles the definitions declared in yosmodel/reoffending/disposal_kind.hpp into the library.
#include "yosmodel/reoffending/detail/disposal_kind-inl.hpp"
