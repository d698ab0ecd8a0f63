// Some rows of a column as a column of their own: the person ids of the disposals that could make
// someone a cohort member, grouped without grouping every disposal's id (a key of the two
// million members rather than of ten million people). The new column owns its buffers, as an
// Arrow producer's array does, so whatever reads it in place (a key's borrowed codes) keeps it.
#pragma once

#include <cstdint>
#include <span>

#include "yosmodel/core/detail/config.hpp"

#include "yosmodel/core/arrow.hpp"

namespace yosmodel {

/// Rows `rows` of `column`, in that order, as a one-chunk column of the same name: strings in
/// any layout become large_utf8, every other type keeps its own; missing rows stay missing.
/// Throws InputError naming the column for a row outside it or a malformed string (never a
/// value), DtypeError for a dictionary-encoded column.
arrow::Column take_rows(const arrow::Column& column, std::span<const std::int64_t> rows);

}  // namespace yosmodel

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/core/detail/take-inl.hpp"
#endif
