// Compiles the definitions declared in yosmodel/measures/live_status.hpp into
// the library.
#include "yosmodel/measures/detail/live_status-inl.hpp"
