// Codes of a second column in a key's dictionary, without grouping it: the offences' person ids
// looked up among the disposals' (a person with no disposal is nobody a cohort holds). One table
// of the key's categories, read by every worker; no table of the column's own, no merge, no
// renumbering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "yosmodel/core/detail/config.hpp"

#include "yosmodel/core/arrow.hpp"
#include "yosmodel/core/column.hpp"
#include "yosmodel/core/grouper.hpp"

namespace yosmodel {

/// The two codes past a key's n categories: which one a value that is none of them gets.
enum class UnknownCode : std::uint8_t {
    after_missing,   ///< missing n, unknown n + 1
    before_missing,  ///< unknown n, missing n + 1: everyone else as one more value (a cohort's
                     ///< non-members as one person, with the missing id past them)
};

/// Row r's code: the code of its value among the key's categories, `missing_code` for a missing
/// value, `unknown_code` for a value that is none of them. Codes are of the narrowest unsigned
/// width that holds both.
struct KeyLookup {
    ColumnView codes{"", std::span<const std::uint8_t>{}};
    std::uint64_t missing_code = 0;       ///< n or n + 1 (see UnknownCode)
    std::uint64_t unknown_code = 0;       ///< n + 1 or n
    std::size_t missing = 0;              ///< rows with a missing value
    std::size_t unknown = 0;              ///< rows whose value is not a category
    std::shared_ptr<const void> storage;  ///< keeps the codes alive
};

/// The codes of `column`'s values among `key`'s categories, in parallel. The column holds the
/// same kind of values as the key's: strings (in any Arrow layout), integers of the same
/// signedness (any width), or the key's own type (dates, timestamps); never dictionary-encoded.
/// Throws DtypeError for another kind, InputError for a malformed string array (naming the
/// column and a count, never a value).
KeyLookup look_up(const GroupedKey& key, const arrow::Column& column, unsigned threads = 0,
                  UnknownCode unknown = UnknownCode::after_missing);

/// look_up of each of `columns` (every one checked before any is read), from one table of the
/// key's categories: a cohort's offences and its other disposals among its members, the table
/// (and its fresh memory) made once rather than once a column.
std::vector<KeyLookup> look_up(const GroupedKey& key, std::span<const arrow::Column> columns,
                               unsigned threads = 0,
                               UnknownCode unknown = UnknownCode::after_missing);

}  // namespace yosmodel

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/core/detail/key_lookup-inl.hpp"
#endif
