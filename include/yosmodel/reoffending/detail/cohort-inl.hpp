// The cohort builder's definition (declared in reoffending/cohort.hpp): index disposals by a
// parallel minimum, members numbered by a ranked bitmap, offences bucketed by member.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/dates.hpp"
#include "yosmodel/core/detail/buckets.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/detail/ranked_set.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/cohort.hpp"
#include "yosmodel/reoffending/cohort_rules.hpp"
#include "yosmodel/reoffending/detail/event_decoding.hpp"
#include "yosmodel/reoffending/event_columns.hpp"

namespace yosmodel::reoffending {

namespace detail {

inline constexpr std::uint64_t no_index = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::size_t event_chunk = bucket_chunk_rows;

// A bucketed record: a packed key ordered by date, plus the row identity when there is one.
struct PlainRecord {
    std::uint64_t key;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 on the defaulted comparison
    friend auto operator<=>(const PlainRecord&, const PlainRecord&) = default;
};
struct IdentifiedRecord {
    std::uint64_t key;
    std::uint64_t identity;
    // NOLINTNEXTLINE(modernize-use-nullptr): as above
    friend auto operator<=>(const IdentifiedRecord&, const IdentifiedRecord&) = default;
};

template <class Record>
void set_record(Record& r, std::uint64_t key, const std::int64_t* identity, std::size_t i) {
    r.key = key;
    if constexpr (std::is_same_v<Record, IdentifiedRecord>)
        r.identity = static_cast<std::uint64_t>(identity[i]);
    else
        (void)identity;
}

template <class Record>
void sort_small(std::span<Record> records) {
    if (records.size() <= 24) {
        for (std::size_t i = 1; i < records.size(); ++i) {
            const Record r = records[i];
            std::size_t j = i;
            for (; j > 0 && r < records[j - 1]; --j)
                records[j] = records[j - 1];
            records[j] = r;
        }
    } else {
        std::sort(records.begin(), records.end());
    }
}

// Counts the records that repeat the one before them (records must be sorted).
template <class Record>
std::size_t count_repeats(std::span<const Record> records) {
    std::size_t repeats = 0;
    for (std::size_t i = 1; i < records.size(); ++i)
        repeats += records[i] == records[i - 1];
    return repeats;
}

inline void check_length(const ColumnView& column, std::size_t rows, const char* table) {
    if (column.size() != rows)
        throw InputError("column '" + column.name + "' has " + std::to_string(column.size()) +
                         " rows but the " + table + " have " + std::to_string(rows) +
                         "; every column of a table must have the same length");
}

inline void check_inputs(const DisposalColumns& d, const OffenceColumns& o,
                         const PersonSpace& space) {
    const std::size_t disposals = d.person.size();
    check_integer_column(d.person, "person ids");
    check_date_column(d.date);
    check_integer_column(d.kind, "disposal kind codes");
    check_length(d.date.values, disposals, "disposals");
    check_length(d.kind, disposals, "disposals");
    if (d.identity) {
        check_integer_column(*d.identity, "row identities");
        check_length(*d.identity, disposals, "disposals");
    }
    const std::size_t offences = o.person.size();
    check_integer_column(o.person, "person ids");
    check_date_column(o.offence_date);
    check_date_column(o.proven_date);
    check_length(o.offence_date.values, offences, "offences");
    check_length(o.proven_date.values, offences, "offences");
    if (o.counts) {
        check_integer_column(*o.counts, "counts flags (0 or 1)");
        check_length(*o.counts, offences, "offences");
    }
    if (o.identity) {
        check_integer_column(*o.identity, "row identities");
        check_length(*o.identity, offences, "offences");
    }
    if (space.persons >= missing_person)
        throw InputError("the person space holds more than 4294967294 people");
    if (disposals >= no_bucket || offences >= no_bucket)
        throw InputError("at most 4294967294 disposal or offence rows can be read in one call");
}

struct DisposalChunk {
    std::array<std::uint32_t, event_chunk> person;
    std::array<std::int32_t, event_chunk> day;
    std::array<std::int64_t, event_chunk> kind;
    std::array<std::int64_t, event_chunk> identity;
};

struct OffenceChunk {
    std::array<std::uint32_t, event_chunk> person;
    std::array<std::int32_t, event_chunk> committed;
    std::array<std::int32_t, event_chunk> proven;
    std::array<std::int64_t, event_chunk> counts;
    std::array<std::int64_t, event_chunk> identity;
};

enum class DisposalStatus : std::uint8_t {
    valid,
    missing_person,
    unknown_person,
    missing_date,
    implausible,
    unknown_kind
};

// The first rule a disposal row breaks (or valid).
inline DisposalStatus classify(const DisposalChunk& c, std::size_t i, const CohortRules& rules) {
    if (c.person[i] == missing_person) return DisposalStatus::missing_person;
    if (c.person[i] == unknown_person) return DisposalStatus::unknown_person;
    if (c.day[i] == missing_day) return DisposalStatus::missing_date;
    if (c.day[i] < rules.earliest_plausible || c.day[i] > rules.latest_plausible)
        return DisposalStatus::implausible;
    if (c.kind[i] < 0 || static_cast<std::uint64_t>(c.kind[i]) >= rules.qualifying.size())
        return DisposalStatus::unknown_kind;
    return DisposalStatus::valid;
}

inline void read_disposal_chunk(const DisposalColumns& d, const PersonSpace& space,
                                std::size_t begin, std::size_t n, DisposalChunk& c) {
    read_persons(d.person, space, begin, n, c.person.data());
    read_days(d.date, begin, n, c.day.data());
    read_codes(d.kind, begin, n, c.kind.data());
    if (d.identity) read_codes(*d.identity, begin, n, c.identity.data());
}

// Offence keys pack (committed, proven, counts) so that they sort by offence date first.
struct OffenceKey {
    static std::uint64_t pack(std::int64_t committed, std::int64_t proven, bool counts,
                              std::int64_t origin) {
        return (static_cast<std::uint64_t>(committed - origin) << 32) |
               (static_cast<std::uint64_t>(proven - origin) << 1) | (counts ? 1U : 0U);
    }
    static std::int64_t committed(std::uint64_t key, std::int64_t origin) {
        return static_cast<std::int64_t>(key >> 32) + origin;
    }
    static std::int64_t proven(std::uint64_t key, std::int64_t origin) {
        return static_cast<std::int64_t>((key >> 1) & 0x7fffffffU) + origin;
    }
    static bool counts(std::uint64_t key) { return (key & 1U) != 0; }
};

// Phase 1: each person's first qualifying disposal in the period, as (day - origin) << 32 | row,
// kept by an atomic minimum so that workers need no partial tables. Ties on the date go to the
// earlier row.
inline std::vector<std::uint64_t> choose_index_disposals(const DisposalColumns& d,
                                                         const PersonSpace& space,
                                                         const CohortRules& rules, unsigned threads,
                                                         std::vector<DisposalDiagnostics>& diag) {
    std::vector<std::uint64_t> best(space.persons, no_index);
    const std::int64_t origin = rules.earliest_plausible;
    parallel_ranges(
        d.person.size(), threads, event_chunk,
        [&](unsigned worker, std::size_t first, std::size_t last) {
            auto chunk = std::make_unique<DisposalChunk>();
            DisposalDiagnostics& dd = diag[worker];
            for (std::size_t begin = first; begin < last; begin += event_chunk) {
                const std::size_t n = std::min(event_chunk, last - begin);
                read_disposal_chunk(d, space, begin, n, *chunk);
                for (std::size_t i = 0; i < n; ++i) {
                    switch (classify(*chunk, i, rules)) {
                        case DisposalStatus::missing_person:
                            ++dd.missing_person;
                            continue;
                        case DisposalStatus::unknown_person:
                            ++dd.unknown_person;
                            continue;
                        case DisposalStatus::missing_date:
                            ++dd.missing_date;
                            continue;
                        case DisposalStatus::implausible:
                            ++dd.implausible_date;
                            continue;
                        case DisposalStatus::unknown_kind:
                            ++dd.unknown_kind;
                            continue;
                        case DisposalStatus::valid:
                            break;
                    }
                    const std::int64_t day = chunk->day[i];
                    if (!rules.qualifying[static_cast<std::size_t>(chunk->kind[i])] ||
                        day < rules.period_start || day > rules.period_end)
                        continue;
                    ++dd.qualifying_in_period;
                    const std::uint64_t candidate =
                        (static_cast<std::uint64_t>(day - origin) << 32) | (begin + i);
                    std::atomic_ref<std::uint64_t> slot(best[chunk->person[i]]);
                    std::uint64_t seen = slot.load(std::memory_order_relaxed);
                    while (candidate < seen && !slot.compare_exchange_weak(
                                                   seen, candidate, std::memory_order_relaxed)) {
                    }
                }
            }
            dd.rows += last - first;
        });
    return best;
}

// Phase 2: the rows of cohort members, staged by the member's number (laid out per partition of
// members in phase 3).
template <class Record>
StagedBuckets<Record> stage_disposals(const DisposalColumns& d, const PersonSpace& space,
                                      const CohortRules& rules, const RankedSet& members,
                                      unsigned threads) {
    const std::int64_t origin = rules.earliest_plausible;
    std::vector<std::unique_ptr<DisposalChunk>> chunks(threads);
    return stage_rows<Record>(d.person.size(), members.size(), threads,
                              [&](unsigned worker, std::size_t begin, std::size_t n,
                                  std::uint32_t* keys, Record* records) -> std::size_t {
                                  if (!chunks[worker])
                                      chunks[worker] = std::make_unique<DisposalChunk>();
                                  DisposalChunk& c = *chunks[worker];
                                  read_disposal_chunk(d, space, begin, n, c);
                                  for (std::size_t i = 0; i < n; ++i)
                                      members.prefetch(c.person[i]);
                                  std::size_t kept = 0;
                                  for (std::size_t i = 0; i < n; ++i) {
                                      // Branches, not arithmetic: on the usual mostly-valid,
                                      // mostly-outside rows they are predicted, and skipping the
                                      // rank of non-members is the cheaper path.
                                      if (classify(c, i, rules) != DisposalStatus::valid) continue;
                                      const std::uint32_t slot = members.rank(c.person[i]);
                                      if (slot == RankedSet::absent) continue;
                                      keys[kept] = slot;
                                      set_record(
                                          records[kept],
                                          (static_cast<std::uint64_t>(c.day[i] - origin) << 32) |
                                              static_cast<std::uint64_t>(c.kind[i]),
                                          c.identity.data(), i);
                                      ++kept;
                                  }
                                  return kept;
                              });
}

// The offence columns of a chunk as datetime64 ticks (both dates int64 counts of one unit) and
// flags as bytes (or none): the shape pandas, numpy and Arrow hand over. Anything else is read
// through the general decoders.
struct TickChunk {
    const std::int64_t* committed;
    const std::int64_t* proven;
    const std::uint8_t* flags;  // null: every offence counts
    std::int64_t ticks_per_day;
};

inline std::optional<TickChunk> tick_chunk(const OffenceColumns& o, std::size_t begin) {
    using Ticks = std::span<const std::int64_t>;
    const auto* committed = std::get_if<Ticks>(&o.offence_date.values.values);
    const auto* proven = std::get_if<Ticks>(&o.proven_date.values.values);
    if (committed == nullptr || proven == nullptr || o.offence_date.unit != o.proven_date.unit)
        return std::nullopt;
    const std::uint8_t* flags = nullptr;
    if (o.counts) {
        const auto* bytes = std::get_if<std::span<const std::uint8_t>>(&o.counts->values);
        if (bytes == nullptr) return std::nullopt;
        flags = bytes->data() + begin;
    }
    return TickChunk{committed->data() + begin, proven->data() + begin, flags,
                     static_cast<std::int64_t>(o.offence_date.unit)};
}

// The first and last tick of a day, saturated to the int64 range; the first is never the
// missing mark (the int64 minimum), so a missing date fails a bounds test.
inline std::int64_t first_tick(std::int64_t day, std::int64_t ticks) {
    constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
    return day < lowest / ticks + 1 ? lowest + 1 : day * ticks;
}
inline std::int64_t last_tick(std::int64_t day, std::int64_t ticks) {
    constexpr std::int64_t highest = std::numeric_limits<std::int64_t>::max();
    return day >= highest / ticks ? highest : day * ticks + (ticks - 1);
}

// True when no row of the chunk breaks a date or flag rule: both dates present and plausible,
// proven on or after committed (in ticks, which implies it in days) and flags 0 or 1. Then only
// a row's person can set it aside, and only cohort members' dates need turning into days. One
// vectorised pass; a chunk that fails is read the general way, so the rules are never relaxed.
inline bool dates_and_flags_valid(const TickChunk& t, std::size_t n, std::int64_t lo,
                                  std::int64_t hi) {
    const std::int64_t* committed = t.committed;
    const std::int64_t* proven = t.proven;
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i)
        ok &= (committed[i] >= lo) & (committed[i] <= hi) & (proven[i] >= committed[i]) &
              (proven[i] <= hi);
    if (t.flags != nullptr) {
        std::uint8_t widest = 0;
        for (std::size_t i = 0; i < n; ++i)
            widest = std::max(widest, t.flags[i]);
        ok &= widest <= 1;
    }
    return ok;
}

template <std::int64_t Ticks>
std::int64_t floor_day(std::int64_t ticks) {
    if constexpr (Ticks == 1) {
        return ticks;
    } else {
        return ticks / Ticks - ((ticks % Ticks) < 0 ? 1 : 0);
    }
}

// A chunk that dates_and_flags_valid() passed: members' rows are kept, with their dates decoded
// here; missing and outside persons are counted.
template <std::int64_t Ticks, class Record>
std::size_t stage_members(const TickChunk& t, const std::uint32_t* person, std::size_t n,
                          const RankedSet& members, std::int64_t origin,
                          const std::int64_t* identity, std::uint32_t* keys, Record* records,
                          std::size_t& missing_person_rows, std::size_t& outside_rows) {
    const std::int64_t* committed_of = t.committed;
    const std::int64_t* proven_of = t.proven;
    const std::uint8_t* flags = t.flags;
    // First the rows of members, found without a branch: about one person in five is in the
    // cohort, at random, so a branch on membership mispredicted on every few rows. Sentinel
    // persons (missing, unknown) are tested as person 0 and dropped by `known`.
    std::array<std::uint16_t, event_chunk> rows;
    static_assert(event_chunk <= 65'536);
    std::size_t found = 0;
    std::size_t missing = 0;
    // Below missing_person (check_inputs), so every real person id compares in 32 bits.
    const auto universe = static_cast<std::uint32_t>(members.universe());
    if (universe == 0) {  // no one to test as person 0
        for (std::size_t i = 0; i < n; ++i)
            missing += person[i] == missing_person;
        missing_person_rows += missing;
        outside_rows += n - missing;
        return 0;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t p = person[i];
        missing += p == missing_person;
        const bool known = p < universe;
        rows[found] = static_cast<std::uint16_t>(i);
        found += static_cast<std::size_t>(known & members.contains(known ? p : 0));
    }
    missing_person_rows += missing;
    outside_rows += n - missing - found;
    std::size_t kept = 0;
    for (std::size_t f = 0; f < found; ++f) {
        const std::size_t i = rows[f];
        const std::uint32_t slot = members.rank(person[i]);
        const bool counts = flags == nullptr || flags[i] == 1;
        keys[kept] = slot;
        set_record(records[kept],
                   OffenceKey::pack(floor_day<Ticks>(committed_of[i]),
                                    floor_day<Ticks>(proven_of[i]), counts, origin),
                   identity, i);
        ++kept;
    }
    return kept;
}

template <class Record>
std::size_t stage_members(const TickChunk& t, const std::uint32_t* person, std::size_t n,
                          const RankedSet& members, std::int64_t origin,
                          const std::int64_t* identity, std::uint32_t* keys, Record* records,
                          std::size_t& missing_person_rows, std::size_t& outside_rows) {
    auto stage = [&]<std::int64_t Ticks>() {
        return stage_members<Ticks>(t, person, n, members, origin, identity, keys, records,
                                    missing_person_rows, outside_rows);
    };
    switch (static_cast<DateUnit>(t.ticks_per_day)) {
        case DateUnit::days:
            return stage.template operator()<1>();
        case DateUnit::seconds:
            return stage.template operator()<86'400>();
        case DateUnit::milliseconds:
            return stage.template operator()<86'400'000>();
        case DateUnit::microseconds:
            return stage.template operator()<86'400'000'000>();
        case DateUnit::nanoseconds:
            return stage.template operator()<86'400'000'000'000>();
    }
    return 0;  // unreachable: check_date_column refused other units
}

template <class Record>
StagedBuckets<Record> stage_offences(const OffenceColumns& o, const PersonSpace& space,
                                     const CohortRules& rules, const RankedSet& members,
                                     unsigned threads, std::vector<OffenceDiagnostics>& diag) {
    const std::int64_t origin = rules.earliest_plausible;
    const std::int64_t earliest = rules.earliest_plausible;
    const std::int64_t latest = rules.latest_plausible;
    std::vector<std::unique_ptr<OffenceChunk>> chunks(threads);
    return stage_rows<Record>(
        o.person.size(), members.size(), threads,
        [&](unsigned worker, std::size_t begin, std::size_t n, std::uint32_t* keys,
            Record* records) -> std::size_t {
            if (!chunks[worker]) chunks[worker] = std::make_unique<OffenceChunk>();
            OffenceChunk& c = *chunks[worker];
            read_persons(o.person, space, begin, n, c.person.data());
            // The member look-ups below miss the cache at random: ask for the chunk's blocks now,
            // so that the misses overlap instead of queueing one by one.
            for (std::size_t i = 0; i < n; ++i)
                members.prefetch(c.person[i]);
            OffenceDiagnostics& od = diag[worker];
            if (const auto ticks = tick_chunk(o, begin);
                ticks &&
                dates_and_flags_valid(*ticks, n, first_tick(earliest, ticks->ticks_per_day),
                                      last_tick(latest, ticks->ticks_per_day))) {
                if (o.identity) read_codes(*o.identity, begin, n, c.identity.data());
                od.rows += n;
                return stage_members(*ticks, c.person.data(), n, members, origin, c.identity.data(),
                                     keys, records, od.missing_person, od.outside_cohort);
            }
            read_days(o.offence_date, begin, n, c.committed.data());
            read_days(o.proven_date, begin, n, c.proven.data());
            if (o.counts)
                read_codes(*o.counts, begin, n, c.counts.data());
            else
                std::fill_n(c.counts.begin(), n, std::int64_t{1});
            if (o.identity) read_codes(*o.identity, begin, n, c.identity.data());
            // Counters in locals (registers), not in the diagnostics struct the stores below
            // might alias.
            std::size_t missing_person_rows = 0;
            std::size_t missing_offence_rows = 0;
            std::size_t missing_proven_rows = 0;
            std::size_t implausible_offence_rows = 0;
            std::size_t implausible_proven_rows = 0;
            std::size_t proven_before_rows = 0;
            std::size_t invalid_flag_rows = 0;
            std::size_t outside_rows = 0;
            std::size_t kept = 0;
            const std::uint32_t* person_of = c.person.data();
            const std::int32_t* committed_of = c.committed.data();
            const std::int32_t* proven_of = c.proven.data();
            const std::int64_t* flag_of = c.counts.data();
            // Branches on each rule, not arithmetic: real extracts are mostly valid, so they
            // are predicted, and the rank of the ~80% of people outside the cohort is skipped
            // (measured: a branch-free rank of every row was 1.7x slower here).
            for (std::size_t i = 0; i < n; ++i) {
                const std::int64_t committed = committed_of[i];
                const std::int64_t proven = proven_of[i];
                const std::int64_t flag = flag_of[i];
                const std::uint32_t person = person_of[i];
                if (person == missing_person) {
                    ++missing_person_rows;
                    continue;
                }
                if (committed == missing_day) {
                    ++missing_offence_rows;
                    continue;
                }
                if (proven == missing_day) {
                    ++missing_proven_rows;
                    continue;
                }
                if (committed < earliest || committed > latest) {
                    ++implausible_offence_rows;
                    continue;
                }
                if (proven < earliest || proven > latest) {
                    ++implausible_proven_rows;
                    continue;
                }
                if (proven < committed) {
                    ++proven_before_rows;
                    continue;
                }
                if (static_cast<std::uint64_t>(flag) > 1) {
                    ++invalid_flag_rows;
                    continue;
                }
                const std::uint32_t slot =
                    person == unknown_person ? RankedSet::absent : members.rank(person);
                if (slot == RankedSet::absent) {
                    ++outside_rows;
                    continue;
                }
                keys[kept] = slot;
                set_record(records[kept], OffenceKey::pack(committed, proven, flag == 1, origin),
                           c.identity.data(), i);
                ++kept;
            }
            od.rows += n;
            od.missing_person += missing_person_rows;
            od.missing_offence_date += missing_offence_rows;
            od.missing_proven_date += missing_proven_rows;
            od.implausible_offence_date += implausible_offence_rows;
            od.implausible_proven_date += implausible_proven_rows;
            od.proven_before_committed += proven_before_rows;
            od.invalid_counts_flag += invalid_flag_rows;
            od.outside_cohort += outside_rows;
            return kept;
        });
}

// Phase 3: per member, the index disposal's dates and the counts of their offences. Each worker
// lays out one partition of members at a time in buffers it reuses (they stay warm in cache),
// so no array of every member's rows is ever written.
template <class OffenceRecord, class DisposalRecord>
void count_per_person(const CohortRules& rules, std::span<const std::uint64_t> index_of,
                      const StagedBuckets<OffenceRecord>& offences,
                      const StagedBuckets<DisposalRecord>& disposals, unsigned threads, Cohort& out,
                      std::vector<OffenceDiagnostics>& offence_diag,
                      std::vector<DisposalDiagnostics>& disposal_diag) {
    const std::int64_t origin = rules.earliest_plausible;
    parallel_ranges(
        offences.partitions(), threads, 1,
        [&](unsigned worker, std::size_t first_partition, std::size_t last_partition) {
            std::size_t offence_repeats = 0;
            std::size_t disposal_repeats = 0;
            std::size_t not_counting = 0;
            Buckets<OffenceRecord> partition_offences;
            Buckets<DisposalRecord> partition_disposals;
            std::vector<std::uint32_t> counters;
            for (std::size_t p = first_partition; p < last_partition; ++p) {
                offences.lay_out(p, partition_offences, counters);
                disposals.lay_out(p, partition_disposals, counters);
                const std::size_t first = StagedBuckets<OffenceRecord>::first_key(p);
                const std::size_t width = offences.width(p);
                for (std::size_t k = 0; k < width; ++k) {
                    const std::size_t slot = first + k;
                    const std::uint64_t index = index_of[slot];
                    const std::int64_t index_date = static_cast<std::int64_t>(index >> 32) + origin;
                    const std::int64_t follow_up_end =
                        dates::add_months(index_date, rules.follow_up_months);
                    const std::int64_t waiting_end =
                        dates::add_months(follow_up_end, rules.waiting_months);

                    auto own_disposals = partition_disposals.of(k);
                    if (own_disposals.size() > 1) {
                        sort_small(own_disposals);
                        disposal_repeats += count_repeats<DisposalRecord>(own_disposals);
                    }

                    auto own = partition_offences.of(k);
                    if (own.size() > 1) sort_small(own);
                    std::uint32_t reoffences = 0;
                    std::uint32_t previous = 0;
                    std::int64_t first_reoffence = -1;
                    for (std::size_t i = 0; i < own.size(); ++i) {
                        if (i > 0 && own[i] == own[i - 1]) {
                            ++offence_repeats;
                            continue;
                        }
                        const std::uint64_t key = own[i].key;
                        if (!OffenceKey::counts(key)) {
                            ++not_counting;
                            continue;
                        }
                        const std::int64_t committed = OffenceKey::committed(key, origin);
                        const std::int64_t proven = OffenceKey::proven(key, origin);
                        if (proven < index_date) ++previous;
                        if (committed > index_date && committed <= follow_up_end &&
                            proven <= waiting_end) {
                            // Sorted by offence date, so the first reoffence met is the earliest.
                            if (reoffences == 0) first_reoffence = committed - index_date;
                            ++reoffences;
                        }
                    }
                    out.index_row[slot] = static_cast<std::int64_t>(index & 0xffffffffU);
                    out.index_date[slot] = static_cast<std::int32_t>(index_date);
                    out.follow_up_end[slot] = static_cast<std::int32_t>(follow_up_end);
                    out.waiting_end[slot] = static_cast<std::int32_t>(waiting_end);
                    out.reoffences[slot] = reoffences;
                    out.days_to_first_reoffence[slot] = static_cast<std::int32_t>(first_reoffence);
                    out.previous_offences[slot] = previous;
                }
            }
            offence_diag[worker].duplicate_rows += offence_repeats;
            offence_diag[worker].not_counting += not_counting;
            disposal_diag[worker].duplicate_rows += disposal_repeats;
        });
}

template <class OffenceRecord, class DisposalRecord>
Cohort build(const DisposalColumns& d, const OffenceColumns& o, const PersonSpace& space,
             const CohortRules& rules, unsigned threads) {
    std::vector<DisposalDiagnostics> disposal_diag(threads);
    std::vector<OffenceDiagnostics> offence_diag(threads);
    const std::vector<std::uint64_t> best =
        choose_index_disposals(d, space, rules, threads, disposal_diag);

    const RankedSet members(best.size(), [&](std::size_t p) { return best[p] != no_index; });
    const std::uint32_t size = members.size();
    Cohort out;
    for (auto* v : {&out.index_date, &out.index_kind, &out.follow_up_end, &out.waiting_end,
                    &out.days_to_first_reoffence})
        v->resize(size);
    out.person.reserve(size);
    out.index_row.resize(size);
    out.reoffences.resize(size);
    out.previous_offences.resize(size);
    std::vector<std::uint64_t> index_of;
    index_of.reserve(size);
    for (std::size_t p = 0; p < best.size(); ++p) {
        if (best[p] == no_index) continue;
        out.person.push_back(static_cast<std::uint32_t>(p));
        index_of.push_back(best[p]);
    }

    const auto disposals = stage_disposals<DisposalRecord>(d, space, rules, members, threads);
    const auto offences =
        stage_offences<OffenceRecord>(o, space, rules, members, threads, offence_diag);
    count_per_person(rules, std::span<const std::uint64_t>(index_of), offences, disposals, threads,
                     out, offence_diag, disposal_diag);

    // The index kind: one read per member of the caller's kind column.
    for (std::size_t s = 0; s < size; ++s) {
        std::int64_t kind = 0;
        read_codes(d.kind, static_cast<std::size_t>(out.index_row[s]), 1, &kind);
        out.index_kind[s] = static_cast<std::int32_t>(kind);
    }
    for (const auto& x : disposal_diag)
        out.disposal_diagnostics += x;
    for (const auto& x : offence_diag)
        out.offence_diagnostics += x;
    return out;
}

}  // namespace detail

YOSMODEL_INLINE Cohort build_cohort(const DisposalColumns& disposals,
                                    const OffenceColumns& offences, const PersonSpace& space,
                                    const CohortRules& rules, const CohortOptions& options) {
    rules.check();
    detail::check_inputs(disposals, offences, space);
    const unsigned threads = resolve_threads(options.threads);
    using detail::IdentifiedRecord;
    using detail::PlainRecord;
    if (offences.identity)
        return disposals.identity ? detail::build<IdentifiedRecord, IdentifiedRecord>(
                                        disposals, offences, space, rules, threads)
                                  : detail::build<IdentifiedRecord, PlainRecord>(
                                        disposals, offences, space, rules, threads);
    return disposals.identity ? detail::build<PlainRecord, IdentifiedRecord>(disposals, offences,
                                                                             space, rules, threads)
                              : detail::build<PlainRecord, PlainRecord>(disposals, offences, space,
                                                                        rules, threads);
}

}  // namespace yosmodel::reoffending
