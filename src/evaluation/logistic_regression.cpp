// Compiles the definitions declared in yosmodel/evaluation/logistic_regression.hpp into the
// library.
#include "yosmodel/evaluation/detail/logistic_regression-inl.hpp"
