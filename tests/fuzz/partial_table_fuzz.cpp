// libFuzzer target for the partial-table reader: its bytes come from other processes (Dask
// workers, files, pickles), so any byte string must either be refused with a yosmodel::Error or
// give a table that keeps every rule of the measures, round-trips and merges.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        const auto table = yosmodel::reoffending::PartialTable::deserialize(bytes);
        // Accepted bytes are exactly what the table writes: nothing is ignored or repaired.
        if (table.serialize() != bytes) __builtin_trap();
        for (const auto& counts : table.counts())
            if (counts.offenders == 0 || counts.reoffenders > counts.offenders) __builtin_trap();
        auto twice = table;
        twice.merge(table);  // may refuse to wrap (LimitError), never wraps silently
        for (std::size_t i = 0; i < twice.size(); ++i)
            if (twice.counts()[i].offenders < table.counts()[i].offenders) __builtin_trap();
    } catch (const yosmodel::Error&) {
        // refused with a message: the expected outcome for damaged bytes
    }
    return 0;
}
