// The Arrow importer against hand-built arrays: what it reads, what it refuses (a producer's
// data is untrusted) and that every release callback runs exactly once, whatever happens.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arrow_builder.hpp"
#include "yosmodel/core/arrow.hpp"
#include "yosmodel/core/error.hpp"

using namespace yosmodel;
using namespace yosmodel::arrow;
using namespace test_arrow;

TEST(ArrowImport, PrimitiveWithOffsetAndNulls) {
    int releases = 0;
    const std::vector<std::int32_t> values{9, 1, 2, 3, 4};
    // Rows 1..4 of the buffer (offset 1); row 2 of those (value 3) is null.
    const std::vector<bool> valid{true, true, true, false, true};
    ArrowArray a = make_array(4, 1, 1, {bitmap_of(valid), bytes_of(values)}, {}, &releases);
    ArrowSchema s = make_schema("i", "age", nullptr, {}, &releases);
    {
        auto columns = import_array(&s, &a);
        EXPECT_EQ(a.release, nullptr);  // taken over
        EXPECT_EQ(s.release, nullptr);
        ASSERT_EQ(columns.size(), 1U);
        const Column& c = columns[0];
        EXPECT_EQ(c.name(), "age");
        EXPECT_EQ(c.field().type, Type::int32);
        EXPECT_EQ(c.length(), 4);
        EXPECT_EQ(c.null_count(), 1);
        const Chunk& k = c.chunks()[0];
        EXPECT_EQ(k.typed<std::int32_t>()[0], 1);
        EXPECT_EQ(k.typed<std::int32_t>()[3], 4);
        EXPECT_TRUE(k.is_valid(1));
        EXPECT_FALSE(k.is_valid(2));
        EXPECT_EQ(releases, 0);
    }
    EXPECT_EQ(releases, 2);  // array and schema, once each
}

TEST(ArrowImport, EveryFormatString) {
    const std::vector<std::pair<std::string, Type>> formats{
        {"c", Type::int8},      {"C", Type::uint8},   {"s", Type::int16},
        {"S", Type::uint16},    {"i", Type::int32},   {"I", Type::uint32},
        {"l", Type::int64},     {"L", Type::uint64},  {"f", Type::float32},
        {"g", Type::float64},   {"b", Type::boolean}, {"tdD", Type::date32},
        {"tdm", Type::date64},  {"u", Type::utf8},    {"U", Type::large_utf8},
        {"vu", Type::utf8_view}};
    for (const auto& [format, type] : formats) {
        ArrowSchema s = make_schema(format);
        EXPECT_EQ(parse_field(s, "x").type, type) << format;
        s.release(&s);
    }
    const std::vector<std::pair<std::string, TimeUnit>> stamps{
        {"tss:", TimeUnit::second},
        {"tsm:", TimeUnit::millisecond},
        {"tsu:UTC", TimeUnit::microsecond},
        {"tsn:Europe/London", TimeUnit::nanosecond}};
    for (const auto& [format, unit] : stamps) {
        ArrowSchema s = make_schema(format);
        const Field f = parse_field(s, "x");
        EXPECT_EQ(f.type, Type::timestamp);
        EXPECT_EQ(f.unit, unit);
        s.release(&s);
    }
    EXPECT_EQ(ticks_per_day(TimeUnit::nanosecond), 86'400'000'000'000);
    for (const std::string bad : {"e", "z", "+l", "tsx:", "d:10,2", "", "tdX"}) {
        ArrowSchema s = make_schema(bad);
        EXPECT_THROW(parse_field(s, "x"), DtypeError) << bad;
        s.release(&s);
    }
}

TEST(ArrowImport, RefusedArraysAreStillReleasedOnce) {
    struct Case {
        const char* what;
        ArrowArray array;
        std::string format;
    };
    std::vector<int> releases(8, 0);
    const std::vector<std::int64_t> v{1, 2, 3};
    std::vector<Case> cases;
    cases.push_back({"negative length",
                     make_array(-1, 0, 0, {Bytes{}, bytes_of(v)}, {false, true}, &releases[0]),
                     "l"});
    cases.push_back({"three buffers for an int",
                     make_array(3, 0, 0, {Bytes{}, bytes_of(v), bytes_of(v)}, {false, true, true},
                                &releases[1]),
                     "l"});
    cases.push_back({"nulls without a bitmap",
                     make_array(3, 1, 0, {Bytes{}, bytes_of(v)}, {false, true}, &releases[2]),
                     "l"});
    cases.push_back(
        {"null count disagrees with the bitmap",
         make_array(3, 2, 0, {bitmap_of({true, false, true}), bytes_of(v)}, {}, &releases[3]),
         "l"});
    cases.push_back({"no values buffer",
                     make_array(3, 0, 0, {Bytes{}, bytes_of(v)}, {false, false}, &releases[4]),
                     "l"});
    cases.push_back(
        {"more nulls than rows",
         make_array(3, 4, 0, {bitmap_of({false, false, false}), bytes_of(v)}, {}, &releases[5]),
         "l"});
    const std::vector<std::int32_t> backwards{4, 5, 2};
    cases.push_back({"string offsets run backwards",
                     make_array(2, 0, 0, {Bytes{}, bytes_of(backwards), Bytes(8, 'a')},
                                {false, true, true}, &releases[6]),
                     "u"});
    cases.push_back({"unsupported type",
                     make_array(3, 0, 0, {Bytes{}, bytes_of(v)}, {false, true}, &releases[7]),
                     "e"});
    for (auto& c : cases) {
        ArrowSchema s = make_schema(c.format);
        EXPECT_THROW(import_array(&s, &c.array), Error) << c.what;
        EXPECT_EQ(c.array.release, nullptr) << c.what;
    }
    for (std::size_t i = 0; i < releases.size(); ++i)
        EXPECT_EQ(releases[i], 1) << cases[i].what;
}

TEST(ArrowImport, ErrorsNameTheColumnNotTheValues) {
    const std::vector<std::int64_t> v{424242, 2, 3};
    ArrowArray a = make_array(3, 1, 0, {Bytes{}, bytes_of(v)}, {false, true});
    ArrowSchema s = make_schema("l", "person_id");
    try {
        import_array(&s, &a);
        FAIL() << "no error";
    } catch (const InputError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("person_id"), std::string::npos) << message;
        EXPECT_EQ(message.find("424242"), std::string::npos) << message;
    }
}

TEST(ArrowImport, StringsAreCheckedOnTheirOwnRead) {
    const Column c = utf8_column({"Leeds", "", "Hackney"});
    std::string_view s;
    ASSERT_TRUE(c.chunks()[0].string_at(Type::utf8, 0, s));
    EXPECT_EQ(s, "Leeds");
    ASSERT_TRUE(c.chunks()[0].string_at(Type::utf8, 1, s));
    EXPECT_EQ(s, "");
    ASSERT_TRUE(c.chunks()[0].string_at(Type::utf8, 2, s));
    EXPECT_EQ(s, "Hackney");
    const Column large = utf8_column({"Leeds", "Hackney"}, "U");
    ASSERT_TRUE(large.chunks()[0].string_at(Type::large_utf8, 1, s));
    EXPECT_EQ(s, "Hackney");

    // Ends in order but a middle offset outside them: that row alone cannot be read.
    const std::vector<std::int32_t> offsets{0, 9, 4, 6};
    ArrowArray a =
        make_array(3, 0, 0, {Bytes{}, bytes_of(offsets), Bytes(6, 'a')}, {false, true, true});
    ArrowSchema schema = make_schema("u");
    const Column bad = std::move(import_array(&schema, &a)[0]);
    EXPECT_FALSE(bad.chunks()[0].string_at(Type::utf8, 0, s));
    EXPECT_FALSE(bad.chunks()[0].string_at(Type::utf8, 1, s));
    EXPECT_TRUE(bad.chunks()[0].string_at(Type::utf8, 2, s));
}

TEST(ArrowImport, StringViews) {
    const Column c = view_column({"short", "a string longer than twelve bytes", ""});
    EXPECT_EQ(c.field().type, Type::utf8_view);
    std::string_view s;
    ASSERT_TRUE(c.chunks()[0].string_at(Type::utf8_view, 0, s));
    EXPECT_EQ(s, "short");
    ASSERT_TRUE(c.chunks()[0].string_at(Type::utf8_view, 1, s));
    EXPECT_EQ(s, "a string longer than twelve bytes");
    ASSERT_TRUE(c.chunks()[0].string_at(Type::utf8_view, 2, s));
    EXPECT_EQ(s, "");

    // A view pointing past its data buffer, and one naming a buffer that does not exist.
    Bytes views(32, 0);
    const std::int32_t size = 20, buffer0 = 0, buffer7 = 7, past = 10;
    std::memcpy(views.data(), &size, 4);
    std::memcpy(views.data() + 8, &buffer0, 4);
    std::memcpy(views.data() + 12, &past, 4);
    std::memcpy(views.data() + 16, &size, 4);
    std::memcpy(views.data() + 24, &buffer7, 4);
    const std::vector<std::int64_t> sizes{25};
    ArrowArray a = make_array(2, 0, 0, {Bytes{}, views, Bytes(25, 'x'), bytes_of(sizes)},
                              {false, true, true, true});
    ArrowSchema schema = make_schema("vu");
    const Column bad = std::move(import_array(&schema, &a)[0]);
    EXPECT_FALSE(bad.chunks()[0].string_at(Type::utf8_view, 0, s));
    EXPECT_FALSE(bad.chunks()[0].string_at(Type::utf8_view, 1, s));
}

TEST(ArrowImport, RecordBatchGivesOneColumnPerField) {
    int releases = 0;
    const std::vector<std::int16_t> yjs{7, 1, 2, 3};
    const std::vector<std::uint8_t> counts{0, 4, 5, 6};
    ArrowArray* child0 = heap(make_array(4, 0, 0, {Bytes{}, bytes_of(yjs)}, {false, true}));
    ArrowArray* child1 = heap(make_array(4, 0, 0, {Bytes{}, bytes_of(counts)}, {false, true}));
    ArrowArray batch =
        make_array(3, 0, 1, {Bytes{}}, {false}, &releases, nullptr, {child0, child1});
    ArrowSchema schema =
        make_schema("+s", "", nullptr,
                    {heap_schema(make_schema("s", "yjs")), heap_schema(make_schema("C", "n"))});
    {
        const auto columns = import_array(&schema, &batch);
        ASSERT_EQ(columns.size(), 2U);
        EXPECT_EQ(columns[0].name(), "yjs");
        EXPECT_EQ(columns[1].name(), "n");
        EXPECT_EQ(columns[0].length(), 3);
        // The batch's offset of 1 applies to its children.
        EXPECT_EQ(columns[0].chunks()[0].typed<std::int16_t>()[0], 1);
        EXPECT_EQ(columns[1].chunks()[0].typed<std::uint8_t>()[2], 6);
    }
    EXPECT_EQ(releases, 1);
}

namespace {

// A stream of `batches` int64 arrays of 3 rows; fails on batch `fail_at` when it is set.
struct FakeStream {
    int batches = 3;
    int served = 0;
    int fail_at = -1;
    int* array_releases = nullptr;
    int* stream_releases = nullptr;

    static int get_schema(ArrowArrayStream* s, ArrowSchema* out) {
        (void)s;
        *out = make_schema("l", "reoffences");
        return 0;
    }
    static int get_next(ArrowArrayStream* s, ArrowArray* out) {
        auto* self = static_cast<FakeStream*>(s->private_data);
        if (self->served == self->fail_at) return 5;
        if (self->served == self->batches) {
            out->release = nullptr;
            return 0;
        }
        const std::int64_t base = 10 * self->served++;
        const std::vector<std::int64_t> v{base, base + 1, base + 2};
        *out = make_array(3, 0, 0, {Bytes{}, bytes_of(v)}, {false, true}, self->array_releases);
        return 0;
    }
    static const char* last_error(ArrowArrayStream*) { return "person 424242 is broken"; }
    static void release(ArrowArrayStream* s) {
        ++*static_cast<FakeStream*>(s->private_data)->stream_releases;
        s->release = nullptr;
    }
    ArrowArrayStream stream() {
        return ArrowArrayStream{get_schema, get_next, last_error, release, this};
    }
};

}  // namespace

TEST(ArrowImport, StreamChunksAndReleases) {
    int arrays = 0, streams = 0;
    FakeStream fake;
    fake.array_releases = &arrays;
    fake.stream_releases = &streams;
    ArrowArrayStream stream = fake.stream();
    {
        const auto columns = import_stream(&stream);
        EXPECT_EQ(stream.release, nullptr);
        EXPECT_EQ(streams, 1);  // released as soon as every array is in
        ASSERT_EQ(columns.size(), 1U);
        EXPECT_EQ(columns[0].name(), "reoffences");
        ASSERT_EQ(columns[0].chunks().size(), 3U);
        EXPECT_EQ(columns[0].length(), 9);
        EXPECT_EQ(columns[0].chunks()[2].typed<std::int64_t>()[1], 21);
        EXPECT_EQ(arrays, 0);
    }
    EXPECT_EQ(arrays, 3);
}

TEST(ArrowImport, FailingStreamIsReleasedAndItsTextNotRepeated) {
    int arrays = 0, streams = 0;
    FakeStream fake;
    fake.fail_at = 2;
    fake.array_releases = &arrays;
    fake.stream_releases = &streams;
    ArrowArrayStream stream = fake.stream();
    try {
        import_stream(&stream);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).find("424242"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("reoffences"), std::string::npos);
    }
    EXPECT_EQ(streams, 1);
    EXPECT_EQ(arrays, 2);
}

TEST(ArrowImport, DictionaryColumns) {
    ArrowArray* dict = heap(make_array(2, 0, 0, utf8_buffers({"F", "M"}), {false, true, true}));
    const std::vector<std::int8_t> indices{1, 0, 1};
    ArrowArray a = make_array(3, 0, 0, {Bytes{}, bytes_of(indices)}, {false, true}, nullptr, dict);
    ArrowSchema s = make_schema("c", "sex", heap_schema(make_schema("u")));
    const auto columns = import_array(&s, &a);
    const Field& f = columns[0].field();
    EXPECT_TRUE(f.dictionary);
    EXPECT_EQ(f.index, Type::int8);
    EXPECT_EQ(f.type, Type::utf8);
    std::string_view v;
    ASSERT_TRUE(columns[0].chunks()[0].dictionary->string_at(Type::utf8, 1, v));
    EXPECT_EQ(v, "M");

    // Float indices and a dictionary missing from the array are refused.
    ArrowSchema floats = make_schema("g", "sex", heap_schema(make_schema("u")));
    EXPECT_THROW(parse_field(floats, "sex"), DtypeError);
    floats.release(&floats);
    ArrowArray no_dict = make_array(3, 0, 0, {Bytes{}, bytes_of(indices)}, {false, true});
    ArrowSchema s2 = make_schema("c", "sex", heap_schema(make_schema("u")));
    EXPECT_THROW(import_array(&s2, &no_dict), InputError);
}

TEST(ArrowImport, BorrowedNumpyColumn) {
    const std::vector<std::uint16_t> v{3, 4, 5};
    const std::vector<bool> valid{true, false, true};
    const Bytes bits = bitmap_of(valid);
    const Column c = Column::borrow("n", Field{Type::uint16}, v.data(), 3, bits.data());
    EXPECT_EQ(c.null_count(), 1);
    EXPECT_FALSE(c.chunks()[0].is_valid(1));
    EXPECT_EQ(c.chunks()[0].typed<std::uint16_t>()[2], 5);
}
