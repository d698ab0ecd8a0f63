// The disposal kinds' names and the published qualifying rule as CohortRules takes it
// (declared in reoffending/disposal_kind.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/disposal_kind.hpp"

namespace yosmodel::reoffending {

YOSMODEL_INLINE std::string_view disposal_kind_name(DisposalKind kind) {
    switch (kind) {
        case DisposalKind::custody_release:
            return "custody_release";
        case DisposalKind::court_conviction:
            return "court_conviction";
        case DisposalKind::caution:
            return "caution";
        case DisposalKind::custody_sentence:
            return "custody_sentence";
        case DisposalKind::remand:
            return "remand";
        case DisposalKind::community_resolution:
            return "community_resolution";
        case DisposalKind::other:
            return "other";
    }
    throw InputError("unknown disposal kind code");
}

YOSMODEL_INLINE DisposalKind parse_disposal_kind(std::string_view name) {
    std::string accepted;
    for (const DisposalKind kind : disposal_kinds) {
        if (disposal_kind_name(kind) == name) return kind;
        accepted += (accepted.empty() ? "" : ", ") + std::string(disposal_kind_name(kind));
    }
    // Kind words are a code list, not personal data: the message names the word.
    throw InputError("unknown disposal kind '" + std::string(name) + "'; the kinds are " +
                     accepted);
}

YOSMODEL_INLINE std::vector<bool> published_qualifying() {
    std::vector<bool> qualifying(disposal_kinds.size());
    for (const DisposalKind kind : disposal_kinds)
        qualifying[static_cast<std::size_t>(kind)] = qualifies_for_cohort(kind);
    return qualifying;
}

}  // namespace yosmodel::reoffending
