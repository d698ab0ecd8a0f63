// The other translation unit of the ODR test: it uses other entry points of the same headers.
#include "yosmodel/yosmodel.hpp"

double second_upper() {
    return yosmodel::stats::proportion_interval(1, 2, 0.95, yosmodel::stats::IntervalMethod::wilson)
        .upper;
}
