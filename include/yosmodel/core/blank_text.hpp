// Rows of a text column that are empty or only white space: how spreadsheets and exports write a
// missing value (a person id of "" or "  "). Taken as a value, every such row would be one
// person. Found in the column's own Arrow buffers, in parallel, with no per-row output: only
// the few blank rows are listed.
#pragma once

#include <cstdint>
#include <vector>

#include "yosmodel/core/detail/config.hpp"

#include "yosmodel/core/arrow.hpp"

namespace yosmodel {

/// Whether code point `c` is white space as Python's str.isspace says (the characters
/// str.strip removes): ASCII tab to carriage return, the four separators U+001C-U+001F, space,
/// U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
bool is_space_code_point(std::uint32_t c);

/// The rows, in order, of a string column (utf8, large_utf8 or utf8_view) whose value is empty
/// or made only of white space (is_space_code_point); a row that is not valid UTF-8 is not
/// blank, and missing rows are not listed (they are missing already). Throws DtypeError for
/// another type, InputError for a malformed array (naming the column and a count, never a
/// value).
std::vector<std::int64_t> blank_text_rows(const arrow::Column& column, unsigned threads = 0);

}  // namespace yosmodel

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/core/detail/blank_text-inl.hpp"
#endif
