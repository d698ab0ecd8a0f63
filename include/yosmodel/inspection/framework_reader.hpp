// Reads a framework file (schema "yosmodel.framework", docs/frameworks.md): checks every known
// field's type and the required ones, then hands the values to the Framework constructor, which
// checks the rules between them. A wrong type is refused with the field's path ("themes[4].
// scored must be true or false, not a string"), never coerced; unknown keys are allowed.
#pragma once

#include <cstdint>
#include <string_view>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/framework.hpp"

namespace yosmodel::inspection {

inline constexpr std::string_view framework_schema = "yosmodel.framework";
inline constexpr std::int64_t framework_schema_version = 1;

/// The framework that `json_text` describes. Throws FrameworkError naming the field for a
/// malformed file (bad JSON, nesting past 64 levels, a wrong type, a missing required key, an
/// unknown theme rule) and for any rule the Framework constructor checks.
Framework read_framework(std::string_view json_text);

}  // namespace yosmodel::inspection

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/inspection/detail/framework_reader-inl.hpp"
#endif
