// Compiles the definitions declared in yosmodel/inspection/framework_reader.hpp into the
// library.
#include "yosmodel/inspection/detail/framework_reader-inl.hpp"
