// Compiles the definitions declared in yosmodel/evaluation/balance.hpp into the library.
#include "yosmodel/evaluation/detail/balance-inl.hpp"
