// Compiles the definitions declared in yosmodel/reoffending/partial_table.hpp into the library.
#include "yosmodel/reoffending/detail/partial_table-inl.hpp"
