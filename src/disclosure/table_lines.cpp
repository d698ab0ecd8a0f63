// Compiles the definitions declared in yosmodel/disclosure/table_lines.hpp into the library.
#include "yosmodel/disclosure/detail/table_lines-inl.hpp"
