// Links yosmodel from an install tree and checks one grouped rate end to end.
#include <cstdint>
#include <iostream>
#include <vector>

#include <yosmodel/yosmodel.hpp>

int main() {
    const std::vector<std::uint8_t> sex{0, 1, 0, 0, 1};
    const std::vector<std::uint32_t> reoffences{0, 2, 1, 0, 0};
    const std::vector<yosmodel::KeyColumn> keys{
        {yosmodel::ColumnView("sex", std::span<const std::uint8_t>(sex)), 2}};
    const auto table = yosmodel::reoffending::aggregate(
        keys, yosmodel::ColumnView("reoffences", std::span<const std::uint32_t>(reoffences)));
    const auto rates = yosmodel::reoffending::finalize(table);
    // Group 0: 3 offenders, 1 reoffender, 1 reoffence. Group 1: 2 offenders, 1 reoffender, 2.
    const bool ok = rates.rows() == 2 && rates.offenders[0] == 3 && rates.reoffenders[0] == 1 &&
                    rates.reoffences[1] == 2 && rates.binary_rate[1] == 0.5;
    std::cout << "consumer: " << (ok ? "ok" : "WRONG") << " (yosmodel " << yosmodel::version_string
              << ")\n";
    return ok ? 0 : 1;
}
