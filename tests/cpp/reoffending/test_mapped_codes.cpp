// Keys read through code maps (a chunk's own dictionary, integers of a moderate span, a
// reordered key) counted by the kernel: the same counts as the same keys with their codes
// written out, and as groups summed by hand, for every index width, chunking, slicing, missing
// rows, thread count and table.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "../core/arrow_builder.hpp"
#include "yosmodel/core/detail/code_maps.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/grouper.hpp"
#include "yosmodel/reoffending/grouped_columns.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;
using namespace test_arrow;

namespace {

using Value = std::optional<std::string>;  // a key's value, none when missing

// A key column of several chunks, each with a dictionary of its own (rotated, with entries no
// row uses), some with missing rows whose indices are junk, each a slice past `offset` rows.
template <class I>
struct DictionaryKey {
    DictionaryColumn data;
    std::vector<Value> values;  // by row
};

template <class I>
DictionaryKey<I> dictionary_key(const std::string& format, const std::string& name,
                                const std::vector<std::string>& names,
                                const std::vector<std::size_t>& chunk_rows, bool missing,
                                std::int64_t offset, unsigned seed) {
    std::mt19937_64 rng(seed);
    DictionaryKey<I> out;
    std::vector<std::vector<std::string>> dictionaries;
    std::vector<std::vector<I>> indices;
    std::vector<std::vector<bool>> valid;
    for (std::size_t c = 0; c < chunk_rows.size(); ++c) {
        std::vector<std::string> dictionary(names.begin(), names.end());
        std::rotate(dictionary.begin(),
                    dictionary.begin() + static_cast<std::ptrdiff_t>((3 * c) % names.size()),
                    dictionary.end());
        dictionary.push_back("unused " + std::to_string(c));
        // Missing rows in every other chunk (those are the ones rewritten).
        const bool nulls_here = missing && c % 2 == 1;
        std::vector<I> idx(static_cast<std::size_t>(offset), static_cast<I>(99));
        std::vector<bool> ok(static_cast<std::size_t>(offset), false);
        for (std::size_t r = 0; r < chunk_rows[c]; ++r) {
            const bool present = !nulls_here || rng() % 5 != 0;
            const auto at = static_cast<std::size_t>(rng() % names.size());
            idx.push_back(static_cast<I>(present ? at : 99));  // junk under a missing row
            ok.push_back(present);
            out.values.push_back(present ? Value(dictionary[at]) : std::nullopt);
        }
        dictionaries.push_back(std::move(dictionary));
        indices.push_back(std::move(idx));
        valid.push_back(std::move(ok));
    }
    out.data =
        dictionary_column<I>(format, dictionaries, indices,
                             missing ? valid : std::vector<std::vector<bool>>{}, offset, name);
    return out;
}

// The value of code `code` of a key of strings (the missing group last).
Value value_of(const GroupedKey& key, std::uint64_t code) {
    if (key.null_group && code == key.cardinality - 1) return std::nullopt;
    return std::string(key.categories.string(code));
}

// The same key with its codes written out as four-byte codes of its own: the path before maps.
struct Written {
    std::vector<std::uint32_t> codes;
    GroupedKey key;
};

Written written(const GroupedKey& mapped) {
    Written out;
    out.codes.resize(mapped.rows);
    EXPECT_EQ(detail::write_codes(mapped, out.codes.data()), 0U);
    out.key = key_from_codes(ColumnView(mapped.name, std::span<const std::uint32_t>(out.codes)),
                             mapped.cardinality);
    return out;
}

template <class I>
void expect_counts_by_hand_and_written(const std::string& format) {
    SCOPED_TRACE("index format " + format);
    const std::vector<std::string> services{"Leeds", "Bury",   "Hackney", "Wigan", "Bolton",
                                            "Derby", "Camden", "Luton",   "Poole"};
    const std::vector<std::string> sexes{"Female", "Male"};
    const std::vector<std::size_t> cuts{2'500, 40, 7'000, 4'461};  // not multiples of a block
    std::size_t rows = 0;
    for (std::size_t n : cuts)
        rows += n;
    for (const bool missing : {false, true}) {
        for (const std::int64_t offset : {std::int64_t{0}, std::int64_t{3}}) {
            SCOPED_TRACE(std::string(missing ? "missing rows" : "no missing rows") + ", offset " +
                         std::to_string(offset));
            const auto yjs = dictionary_key<I>(format, "yjs", services, cuts, missing, offset, 1);
            const auto sex = dictionary_key<I>(format, "sex", sexes, {rows}, false, offset, 2);
            // Quarters as integers spanning more than the grouper reads as they are, less than
            // its map limit: read in place through a map.
            std::mt19937_64 rng(3);
            std::vector<std::int64_t> quarter(rows);
            std::vector<std::uint8_t> reoffences(rows);
            std::vector<std::int64_t> previous(rows);
            for (std::size_t i = 0; i < rows; ++i) {
                quarter[i] = 20'000 + 1'000 * static_cast<std::int64_t>(rng() % 8);
                reoffences[i] = static_cast<std::uint8_t>(rng() % 3 == 0 ? rng() % 6 : 0);
                previous[i] = static_cast<std::int64_t>(rng() % 9);
            }
            std::map<std::tuple<Value, Value, std::int64_t>, GroupCounts> by_hand;
            for (std::size_t i = 0; i < rows; ++i) {
                auto& g = by_hand[{yjs.values[i], sex.values[i], quarter[i]}];
                g.offenders += 1;
                g.reoffenders += reoffences[i] != 0;
                g.reoffences += reoffences[i];
                g.previous_offences += static_cast<std::uint64_t>(previous[i]);
            }
            const auto quarter_column = primitive_column("l", quarter);
            const CountColumn r =
                count_column(ColumnView("reoffences", std::span<const std::uint8_t>(reoffences)));
            const CountColumn p = count_column(
                ColumnView("previous_offences", std::span<const std::int64_t>(previous)));
            for (unsigned threads : {1U, 2U, 3U}) {
                GrouperOptions o;
                o.threads = threads;
                o.nulls = NullKeys::group;
                const std::vector<GroupedKey> keys{group_key(yjs.data.column, o),
                                                   group_key(sex.data.column, o),
                                                   group_key(quarter_column, o)};
                ASSERT_EQ(keys[0].segments.size(), cuts.size());
                for (std::size_t c = 0; c < cuts.size(); ++c)  // only chunks with missing rows
                    EXPECT_EQ(keys[0].segments[c].map.empty(), missing && c % 2 == 1) << c;
                EXPECT_FALSE(keys[2].segments[0].map.empty());
                std::vector<Written> plain;
                for (const GroupedKey& k : keys)
                    plain.push_back(written(k));
                for (std::size_t n_keys = 1; n_keys <= 3; ++n_keys) {
                    for (const std::uint64_t table_limit :
                         {std::uint64_t{1} << 18, std::uint64_t{4}}) {
                        AggregateOptions a;
                        a.threads = threads;
                        a.direct_table_limit = table_limit;  // 4: the hash grouper
                        const std::span<const GroupedKey> some(keys.data(), n_keys);
                        const PartialTable mapped = aggregate_grouped(some, r, &p, a);
                        // Counts with the codes written out: the same table, group for group.
                        std::vector<GroupedKey> plain_keys;
                        for (std::size_t k = 0; k < n_keys; ++k)
                            plain_keys.push_back(plain[k].key);
                        const PartialTable rewritten = aggregate_grouped(plain_keys, r, &p, a);
                        EXPECT_EQ(mapped.groups(), rewritten.groups());
                        EXPECT_EQ(mapped.counts(), rewritten.counts());
                        // Counts by hand, summed over the keys left out.
                        std::map<std::tuple<Value, Value, std::int64_t>, GroupCounts> expected;
                        for (const auto& [group, counts] : by_hand) {
                            auto [y, s, q] = group;
                            expected[{y, n_keys > 1 ? s : std::nullopt,
                                      n_keys > 2 ? q : std::int64_t{0}}] += counts;
                        }
                        ASSERT_EQ(mapped.size(), expected.size());
                        const KeySpace& space = mapped.key_space();
                        for (std::size_t g = 0; g < mapped.size(); ++g) {
                            const std::uint64_t id = mapped.groups()[g];
                            const Value y = value_of(keys[0], space.code(id, 0));
                            const Value s =
                                n_keys > 1 ? value_of(keys[1], space.code(id, 1)) : std::nullopt;
                            const std::int64_t q =
                                n_keys > 2 ? keys[2].categories.integers[space.code(id, 2)] : 0;
                            const auto at = expected.find({y, s, q});
                            ASSERT_NE(at, expected.end());
                            EXPECT_EQ(mapped.counts()[g], at->second);
                        }
                    }
                }
            }
        }
    }
}

}  // namespace

TEST(MappedCodes, CountsEqualWrittenCodesAndHandSumsForEveryIndexWidth) {
    expect_counts_by_hand_and_written<std::int8_t>("c");
    expect_counts_by_hand_and_written<std::uint8_t>("C");
    expect_counts_by_hand_and_written<std::int16_t>("s");
    expect_counts_by_hand_and_written<std::uint16_t>("S");
    expect_counts_by_hand_and_written<std::int32_t>("i");
    expect_counts_by_hand_and_written<std::uint32_t>("I");
    expect_counts_by_hand_and_written<std::int64_t>("l");
    expect_counts_by_hand_and_written<std::uint64_t>("L");
}

TEST(MappedCodes, IndicesOutsideTheirOwnDictionaryAreReported) {
    // Chunk 0's dictionary (a, b) is a prefix of the whole one (a, b, c), so its indices could
    // pass for codes; index 2 is still outside it. Chunk 1 has a negative index and one past
    // its dictionary. Three rows, whichever key they are in and however many threads.
    const auto bad = dictionary_column<std::int16_t>("s", {{"a", "b"}, {"c", "a", "b"}},
                                                     {{0, 2, 1}, {-1, 0, 3}});
    const std::vector<std::uint8_t> reoffences(6, 1);
    const CountColumn r =
        count_column(ColumnView("reoffences", std::span<const std::uint8_t>(reoffences)));
    const std::vector<std::int64_t> ids{1, 2, 3, 4, 5, 6};
    const auto other = primitive_column("l", ids);
    for (unsigned threads : {1U, 2U}) {
        GrouperOptions o;
        o.threads = threads;
        const GroupedKey key = group_key(bad.column, o);
        ASSERT_FALSE(key.segments[0].map.empty());
        for (const bool first : {true, false}) {
            const std::vector<GroupedKey> keys =
                first ? std::vector<GroupedKey>{key}
                      : std::vector<GroupedKey>{group_key(other), key};
            AggregateOptions a;
            a.threads = threads;
            try {
                (void)aggregate_grouped(keys, r, nullptr, a);
                FAIL() << "indices outside their dictionary were counted";
            } catch (const InputError& e) {
                const std::string m = e.what();
                EXPECT_NE(m.find("'yjs'"), std::string::npos) << m;
                EXPECT_NE(m.find("3 rows"), std::string::npos) << m;
            }
        }
    }
}

TEST(MappedCodes, ReorderedMappedKeysCountUnderTheirNewCodes) {
    // Reordering permutes the maps; counts move with their categories, nothing else changes.
    const auto names = dictionary_column<std::int8_t>("c", {{"b", "a"}, {"c", "b", "a"}},
                                                      {{0, 1, 1, 0}, {0, 2, 1}});
    const std::vector<std::uint8_t> reoffences{1, 0, 2, 0, 3, 0, 1};
    const CountColumn r =
        count_column(ColumnView("reoffences", std::span<const std::uint8_t>(reoffences)));
    GroupedKey key = group_key(names.column);
    const PartialTable before = aggregate_grouped(std::span<const GroupedKey>(&key, 1), r);
    ASSERT_EQ(key.categories.string(0), "b");                      // b, a, c: first seen
    reorder_categories(key, std::vector<std::uint64_t>{1, 0, 2});  // a, b, c
    EXPECT_EQ(key.categories.string(0), "a");
    for (const CodeSegment& s : key.segments)
        EXPECT_FALSE(s.map.empty());
    const PartialTable after = aggregate_grouped(std::span<const GroupedKey>(&key, 1), r);
    ASSERT_EQ(after.size(), 3U);
    // a: rows 1, 2, 5 (reoffences 0, 2, 0); b: rows 0, 3, 6 (1, 0, 1); c: row 4 (3).
    EXPECT_EQ(after.groups(), (std::vector<std::uint64_t>{0, 1, 2}));
    EXPECT_EQ(after.counts()[0], (GroupCounts{3, 1, 2, 0}));
    EXPECT_EQ(after.counts()[1], (GroupCounts{3, 2, 2, 0}));
    EXPECT_EQ(after.counts()[2], (GroupCounts{1, 1, 3, 0}));
    EXPECT_EQ(before.counts()[0], after.counts()[1]);
    EXPECT_EQ(before.counts()[1], after.counts()[0]);
}

namespace {

// The same key twice: once with null entries in its chunks' dictionaries (as pyarrow builds
// them), some rows pointing at one, and once with those rows plain missing rows and the null
// entries left out. Chunk 0 has a null entry no row points at, chunk 2 plain missing rows too.
struct NullEntryPair {
    DictionaryColumn with_null_entries;
    DictionaryColumn with_missing_rows;
    std::size_t missing = 0;
};

template <class I>
NullEntryPair null_entry_pair(const std::string& format, std::int64_t offset, unsigned seed) {
    const std::vector<std::string> names{"Leeds", "Bury", "Hackney", "Wigan", "Bolton"};
    const std::vector<std::size_t> chunk_rows{3'000, 41, 6'500, 2'222};
    std::mt19937_64 rng(seed);
    NullEntryPair out;
    std::vector<std::vector<std::string>> dict_a, dict_b;
    std::vector<std::vector<I>> idx_a, idx_b;
    std::vector<std::vector<bool>> valid_a, valid_b, entries_a;
    for (std::size_t c = 0; c < chunk_rows.size(); ++c) {
        std::vector<std::string> plain(names.begin(), names.end());
        std::rotate(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(c), plain.end());
        // The null entry's bytes are a name, so that reading it as a value would show.
        const std::size_t null_at = (2 * c) % (plain.size() + 1);
        std::vector<std::string> with_null = plain;
        with_null.insert(with_null.begin() + static_cast<std::ptrdiff_t>(null_at), "Leeds");
        std::vector<bool> entries(with_null.size(), true);
        entries[null_at] = false;
        std::vector<I> a(static_cast<std::size_t>(offset), static_cast<I>(null_at));
        std::vector<I> b(static_cast<std::size_t>(offset), static_cast<I>(99));
        std::vector<bool> va(static_cast<std::size_t>(offset), true);
        std::vector<bool> vb(static_cast<std::size_t>(offset), false);
        for (std::size_t r = 0; r < chunk_rows[c]; ++r) {
            const auto pick = rng() % 8;
            if (c != 0 && pick == 0) {  // a row pointing at the null entry
                a.push_back(static_cast<I>(null_at));
                va.push_back(true);
            } else if (c == 2 && pick == 1) {  // a plain missing row, junk under it
                a.push_back(static_cast<I>(77));
                va.push_back(false);
            } else {
                const auto at = static_cast<std::size_t>(rng() % plain.size());
                a.push_back(static_cast<I>(at < null_at ? at : at + 1));
                va.push_back(true);
                b.push_back(static_cast<I>(at));
                vb.push_back(true);
                continue;
            }
            b.push_back(static_cast<I>(99));
            vb.push_back(false);
            ++out.missing;
        }
        dict_a.push_back(with_null);
        dict_b.push_back(plain);
        idx_a.push_back(std::move(a));
        idx_b.push_back(std::move(b));
        valid_a.push_back(std::move(va));
        valid_b.push_back(std::move(vb));
        entries_a.push_back(std::move(entries));
    }
    out.with_null_entries =
        dictionary_column<I>(format, dict_a, idx_a, valid_a, offset, "yjs", entries_a);
    out.with_missing_rows = dictionary_column<I>(format, dict_b, idx_b, valid_b, offset, "yjs");
    return out;
}

template <class I>
void expect_null_entries_as_missing_rows(const std::string& format) {
    for (const std::int64_t offset : {std::int64_t{0}, std::int64_t{5}}) {
        SCOPED_TRACE("index format " + format + ", offset " + std::to_string(offset));
        const NullEntryPair pair = null_entry_pair<I>(format, offset, 7);
        const arrow::Column& entries = pair.with_null_entries.column;
        const arrow::Column& rows = pair.with_missing_rows.column;
        EXPECT_EQ(entries.null_count(), static_cast<std::int64_t>(pair.missing));
        EXPECT_EQ(entries.chunks()[0].null_count, 0);  // its null entry is no row's
        for (std::size_t c = 0; c < entries.chunks().size(); ++c)
            EXPECT_EQ(entries.chunks()[c].null_count, rows.chunks()[c].null_count) << c;
        std::vector<std::uint8_t> reoffences(static_cast<std::size_t>(rows.length()));
        for (std::size_t i = 0; i < reoffences.size(); ++i)
            reoffences[i] = static_cast<std::uint8_t>((i * 7) % 5);
        const CountColumn r =
            count_column(ColumnView("reoffences", std::span<const std::uint8_t>(reoffences)));
        for (unsigned threads : {1U, 3U}) {
            GrouperOptions o;
            o.threads = threads;
            // Refused as missing keys, with the same count and words.
            std::string refused_entries, refused_rows;
            try {
                (void)group_key(entries, o);
            } catch (const InputError& e) {
                refused_entries = e.what();
            }
            try {
                (void)group_key(rows, o);
            } catch (const InputError& e) {
                refused_rows = e.what();
            }
            EXPECT_FALSE(refused_rows.empty());
            EXPECT_EQ(refused_entries, refused_rows);
            // Grouped: the same categories, codes and counts.
            o.nulls = NullKeys::group;
            const GroupedKey a = group_key(entries, o);
            const GroupedKey b = group_key(rows, o);
            ASSERT_EQ(a.cardinality, b.cardinality);
            ASSERT_TRUE(a.null_group);
            ASSERT_EQ(a.categories.size(), 5U);
            for (std::size_t k = 0; k < a.categories.size(); ++k)
                EXPECT_EQ(a.categories.string(k), b.categories.string(k));
            for (std::size_t i = 0; i < a.rows; ++i)
                ASSERT_EQ(a.code(i), b.code(i)) << i;
            AggregateOptions options;
            options.threads = threads;
            const PartialTable counted_a =
                aggregate_grouped(std::span<const GroupedKey>(&a, 1), r, nullptr, options);
            const PartialTable counted_b =
                aggregate_grouped(std::span<const GroupedKey>(&b, 1), r, nullptr, options);
            EXPECT_EQ(counted_a.groups(), counted_b.groups());
            EXPECT_EQ(counted_a.counts(), counted_b.counts());
            std::uint64_t missing_offenders = 0;
            for (std::size_t g = 0; g < counted_a.size(); ++g)
                if (counted_a.groups()[g] == a.cardinality - 1)
                    missing_offenders = counted_a.counts()[g].offenders;
            EXPECT_EQ(missing_offenders, pair.missing);
        }
    }
}

}  // namespace

TEST(MappedCodes, RowsPointingAtANullDictionaryEntryAreMissingRows) {
    expect_null_entries_as_missing_rows<std::int8_t>("c");
    expect_null_entries_as_missing_rows<std::uint16_t>("S");
    expect_null_entries_as_missing_rows<std::int32_t>("i");
    expect_null_entries_as_missing_rows<std::uint64_t>("L");
}
