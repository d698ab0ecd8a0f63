// Links first.cpp and second.cpp (both include yosmodel.hpp) and checks that each works.
#include <cmath>

double first_rate();
double second_upper();

int main() {
    // Wilson 95% upper bound for 1 of 2 (hand-worked): 0.9055 to 4 places.
    const bool ok = first_rate() == 0.5 && std::fabs(second_upper() - 0.9055) < 1e-4;
    return ok ? 0 : 1;
}
