// The kinds of disposal a proven reoffending cohort is built from, and the Ministry of Justice's
// rule of which of them start a cohort membership. This enum is the one list of kinds: the
// Python package reads the names (and the qualifying default) from its binding.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::reoffending {

/// A disposal's kind; its value is the kind code CohortRules::qualifying is indexed by.
enum class DisposalKind : std::uint8_t {
    custody_release,       ///< release from a custodial sentence (qualifies)
    court_conviction,      ///< a non-custodial sentence at court (qualifies)
    caution,               ///< a youth caution or youth conditional caution (qualifies)
    custody_sentence,      ///< the custodial sentence itself: the release is the index event
    remand,                ///< remand in custody or to youth detention accommodation
    community_resolution,  ///< out-of-court, informal: not a proven offence
    other,                 ///< anything else the records hold
};

/// Every kind, in code order.
inline constexpr std::array<DisposalKind, 7> disposal_kinds{DisposalKind::custody_release,
                                                            DisposalKind::court_conviction,
                                                            DisposalKind::caution,
                                                            DisposalKind::custody_sentence,
                                                            DisposalKind::remand,
                                                            DisposalKind::community_resolution,
                                                            DisposalKind::other};

/// Whether the kind starts a cohort membership in the published definition: a release from
/// custody, a non-custodial conviction at court or a caution (Ministry of Justice, Proven
/// reoffending statistics: definitions and measurement).
constexpr bool qualifies_for_cohort(DisposalKind kind) {
    return kind == DisposalKind::custody_release || kind == DisposalKind::court_conviction ||
           kind == DisposalKind::caution;
}

/// The kind's name ("custody_release", ...), as the Python package spells it.
std::string_view disposal_kind_name(DisposalKind kind);

/// The kind named `name`; InputError naming the accepted kinds for any other name.
DisposalKind parse_disposal_kind(std::string_view name);

/// CohortRules::qualifying for kind codes that are DisposalKind values: the published rule.
std::vector<bool> published_qualifying();

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/disposal_kind-inl.hpp"
#endif
