// One of two translation units that both include the umbrella header. Linked into one program,
// a non-inline definition in a header would be defined twice and the link would fail.
#include "yosmodel/yosmodel.hpp"

double first_rate() {
    const std::vector<std::uint8_t> sex{0, 1, 0, 0, 1};
    const std::vector<std::uint32_t> reoffences{0, 2, 1, 0, 0};
    const std::vector<yosmodel::KeyColumn> keys{
        {yosmodel::ColumnView("sex", std::span<const std::uint8_t>(sex)), 2}};
    const auto table = yosmodel::reoffending::aggregate(
        keys, yosmodel::ColumnView("reoffences", std::span<const std::uint32_t>(reoffences)));
    return yosmodel::reoffending::finalize(table).binary_rate[1];
}
