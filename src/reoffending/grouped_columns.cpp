// Compiles the definitions declared in yosmodel/reoffending/grouped_columns.hpp into the library.
#include "yosmodel/reoffending/detail/grouped_columns-inl.hpp"
