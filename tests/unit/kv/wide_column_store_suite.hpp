#pragma once
// One conformance suite for every WideColumnStore (DESIGN §6: "same behaviour on RocksDB and HBase,
// proven by one test suite run against both"): the store operations and the model layer on top.
//
// To run it against a backend, include this header in exactly ONE .cpp of that backend's test
// binary and instantiate it with a factory (called once per test; the shared_ptr's deleter may
// clean up, e.g. remove a temporary directory):
//
//   #include "../kv/wide_column_store_suite.hpp"
//   namespace chirp::store::kv::testing {
//   std::shared_ptr<WideColumnStore> open_hbase() { return std::make_shared<HBaseStore>(...); }
//   INSTANTIATE_TEST_SUITE_P(HBase, WideColumnStoreSuite,
//                            ::testing::Values(StoreFactory{"hbase", open_hbase}), factory_name);
//   }  // namespace chirp::store::kv::testing
//
// Every test works in fresh tables named <base>_<random suffix> and drops them afterwards, so the
// suite can run against a shared server. It never touches a table it did not create.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/kv/model.hpp"
#include "store/kv/wide_column_store.hpp"

namespace chirp::store::kv::testing {

struct StoreFactory {
  std::string name;  // the instantiation's parameter name: letters, digits, '_'
  std::function<std::shared_ptr<WideColumnStore>()> open;
};

inline void PrintTo(const StoreFactory& factory, std::ostream* out) {
  *out << factory.name;
}

inline std::string factory_name(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class WideColumnStoreSuite : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    for (const std::string& name : tables_) {
      try {
        store_->drop_table(name);
      } catch (const std::exception& error) {
        ADD_FAILURE() << "dropping " << name << ": " << error.what();
      }
    }
    store_.reset();
  }

  WideColumnStore& store() { return *store_; }

  // A new empty table, dropped after the test.
  std::string table(std::string_view base) {
    std::string name = std::string(base) + "_" + unique_suffix();
    store_->create_table(name);
    tables_.push_back(name);
    return name;
  }

  // user_id (reversed) : created_at → tweet_id, text
  ModelSpec post_spec() {
    return {table("posts"),
            {{"user_id", FieldType::Integer, true}, {"created_at", FieldType::Timestamp}},
            {{"tweet_id", FieldType::Integer}, {"text", FieldType::String}}};
  }

  // Rows with the given keys and one column "v" holding the key.
  void put_keys(const std::string& name, const std::vector<std::string>& keys) {
    for (const std::string& key : keys) store_->put(name, Row{key, {{"v", key}}});
  }

  static std::vector<std::string> keys_of(const std::vector<Row>& rows) {
    std::vector<std::string> keys;
    for (const Row& row : rows) keys.push_back(row.key);
    return keys;
  }

 private:
  static std::string unique_suffix() {
    static std::mt19937_64 random{std::random_device{}()};
    static std::uint64_t counter = 0;
    const std::uint64_t value = random() ^ ++counter;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string suffix;
    for (int shift = 0; shift < 64; shift += 4) suffix.push_back(kHex[(value >> shift) & 0xf]);
    return suffix;
  }

  std::shared_ptr<WideColumnStore> store_;
  std::vector<std::string> tables_;
};

using Keys = std::vector<std::string>;

// ---- the store ----

TEST_P(WideColumnStoreSuite, PutThenGetAndMissingRowIsNullopt) {
  const std::string t = table("rows");
  store().put(t, Row{"k1", {{"a", "1"}, {"b", "2"}}});
  EXPECT_EQ(store().get(t, "k1"), (Columns{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(store().get(t, "k2"), std::nullopt);
  EXPECT_EQ(store().get(t, "k"), std::nullopt);
}

TEST_P(WideColumnStoreSuite, PutMergesColumnsIntoTheRow) {
  const std::string t = table("rows");
  store().put(t, Row{"k", {{"a", "1"}, {"b", "2"}}});
  store().put(t, Row{"k", {{"b", "3"}, {"c", "4"}}});
  EXPECT_EQ(store().get(t, "k"), (Columns{{"a", "1"}, {"b", "3"}, {"c", "4"}}));
}

TEST_P(WideColumnStoreSuite, PutWithoutColumnsWritesNothing) {
  const std::string t = table("rows");
  store().put(t, Row{"k", {}});
  EXPECT_EQ(store().get(t, "k"), std::nullopt);
  EXPECT_TRUE(store().scan(t, {}).empty());
}

TEST_P(WideColumnStoreSuite, BinaryKeysAndValuesRoundTripAndSortAsUnsignedBytes) {
  const std::string t = table("rows");
  const std::string zero_key("a\0b", 3);
  const std::string high_key = "a\xff";
  const std::string value("x\0y\xff", 4);
  store().put(t, Row{high_key, {{"v", value}}});
  store().put(t, Row{zero_key, {{"v", value}}});
  store().put(t, Row{"ab", {{"v", ""}}});
  EXPECT_EQ(store().get(t, zero_key), (Columns{{"v", value}}));
  EXPECT_EQ(store().get(t, "ab"), (Columns{{"v", ""}}));
  EXPECT_EQ(keys_of(store().scan(t, {})), (Keys{zero_key, "ab", high_key}));
}

TEST_P(WideColumnStoreSuite, TablesAreSeparate) {
  const std::string first = table("first");
  const std::string second = table("second");
  store().put(first, Row{"k", {{"v", "1"}}});
  EXPECT_EQ(store().get(second, "k"), std::nullopt);
  EXPECT_TRUE(store().scan(second, {}).empty());
}

TEST_P(WideColumnStoreSuite, CreateTableIsIdempotentAndDropRemovesRows) {
  const std::string t = table("rows");
  store().put(t, Row{"k", {{"v", "1"}}});
  store().create_table(t);
  EXPECT_EQ(store().get(t, "k"), (Columns{{"v", "1"}}));
  store().drop_table(t);
  store().drop_table(t);  // absent: no-op
  store().create_table(t);
  EXPECT_EQ(store().get(t, "k"), std::nullopt);
}

TEST_P(WideColumnStoreSuite, RemoveDeletesTheWholeRowAndAbsentIsNoop) {
  const std::string t = table("rows");
  store().put(t, Row{"k1", {{"a", "1"}, {"b", "2"}}});
  put_keys(t, {"k2", "k3", "k4"});
  store().remove(t, "k1");
  store().remove(t, "nothing");
  EXPECT_EQ(store().get(t, "k1"), std::nullopt);
  store().remove_many(t, {"k2", "k4", "nothing"});
  store().remove_many(t, {});
  EXPECT_EQ(keys_of(store().scan(t, {})), (Keys{"k3"}));
}

TEST_P(WideColumnStoreSuite, GetManyAnswersInTheOrderAsked) {
  const std::string t = table("rows");
  put_keys(t, {"a", "b", "c"});
  const auto rows = store().get_many(t, {"c", "missing", "a", "c"});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (Columns{{"v", "c"}}));
  EXPECT_EQ(rows[1], std::nullopt);
  EXPECT_EQ(rows[2], (Columns{{"v", "a"}}));
  EXPECT_EQ(rows[3], (Columns{{"v", "c"}}));
  EXPECT_TRUE(store().get_many(t, {}).empty());
}

TEST_P(WideColumnStoreSuite, PutManyWritesEveryRowAndMergesColumns) {
  const std::string t = table("rows");
  store().put(t, Row{"a", {{"old", "1"}}});
  store().put_many(
      t, {Row{"a", {{"new", "2"}}}, Row{"b", {{"x", "1"}}}, Row{"b", {{"y", "2"}}}, Row{"c", {}}});
  EXPECT_EQ(store().get(t, "a"), (Columns{{"new", "2"}, {"old", "1"}}));
  EXPECT_EQ(store().get(t, "b"), (Columns{{"x", "1"}, {"y", "2"}}));
  EXPECT_EQ(store().get(t, "c"), std::nullopt);
  store().put_many(t, {});
  EXPECT_EQ(store().scan(t, {}).size(), 2u);
}

// The seed's bulk writes: put_many's semantics, from two threads at once.
TEST_P(WideColumnStoreSuite, LoadManyWritesLikePutManyAlsoFromTwoThreads) {
  const std::string t = table("rows");
  store().put(t, Row{"a", {{"old", "1"}}});
  store().load_many(t, {Row{"a", {{"new", "2"}}}, Row{"c", {}}});
  EXPECT_EQ(store().get(t, "a"), (Columns{{"new", "2"}, {"old", "1"}}));
  EXPECT_EQ(store().get(t, "c"), std::nullopt);
  store().load_many(t, {});
  std::vector<Row> mine, theirs;
  for (int i = 0; i < 2000; ++i) {
    (i % 2 == 0 ? mine : theirs).push_back(Row{"n" + std::to_string(10000 + i), {{"i", "x"}}});
  }
  std::thread other([&] { store().load_many(t, theirs); });
  store().load_many(t, mine);
  other.join();
  const std::vector<Row> rows = store().scan(t, {});
  ASSERT_EQ(rows.size(), 2001u);
  EXPECT_EQ(rows[1].key, "n10000");
  EXPECT_EQ(rows[2000].key, "n11999");
}

TEST_P(WideColumnStoreSuite, ScanWholeTableBothWaysWithColumns) {
  const std::string t = table("rows");
  put_keys(t, {"c", "a", "e", "b", "d"});
  const std::vector<Row> rows = store().scan(t, {});
  EXPECT_EQ(keys_of(rows), (Keys{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(rows[1], (Row{"b", {{"v", "b"}}}));
  EXPECT_EQ(keys_of(store().scan(t, {.reverse = true})), (Keys{"e", "d", "c", "b", "a"}));
}

TEST_P(WideColumnStoreSuite, ScanLowIsInclusiveAndHighExclusiveInBothDirections) {
  const std::string t = table("rows");
  put_keys(t, {"a", "b", "c", "d", "e"});
  EXPECT_EQ(keys_of(store().scan(t, {.low = "b", .high = "d"})), (Keys{"b", "c"}));
  EXPECT_EQ(keys_of(store().scan(t, {.low = "b", .high = "d", .reverse = true})), (Keys{"c", "b"}));
  // Bounds between keys.
  EXPECT_EQ(keys_of(store().scan(t, {.low = "bb", .high = "dd"})), (Keys{"c", "d"}));
  EXPECT_EQ(keys_of(store().scan(t, {.low = "bb", .high = "dd", .reverse = true})),
            (Keys{"d", "c"}));
  // One side only.
  EXPECT_EQ(keys_of(store().scan(t, {.low = "d"})), (Keys{"d", "e"}));
  EXPECT_EQ(keys_of(store().scan(t, {.high = "b", .reverse = true})), (Keys{"a"}));
  EXPECT_EQ(keys_of(store().scan(t, {.high = "zzz", .reverse = true})),
            (Keys{"e", "d", "c", "b", "a"}));
  EXPECT_EQ(keys_of(store().scan(t, {.low = "0", .reverse = true})),
            (Keys{"e", "d", "c", "b", "a"}));
}

TEST_P(WideColumnStoreSuite, ScanEmptyRangesAndEmptyTable) {
  const std::string empty = table("empty");
  EXPECT_TRUE(store().scan(empty, {}).empty());
  EXPECT_TRUE(store().scan(empty, {.reverse = true}).empty());
  EXPECT_TRUE(store().scan(empty, {.low = "a", .high = "b", .reverse = true}).empty());
  const std::string t = table("rows");
  put_keys(t, {"a", "b", "c"});
  EXPECT_TRUE(store().scan(t, {.low = "b", .high = "b"}).empty());
  EXPECT_TRUE(store().scan(t, {.low = "c", .high = "a"}).empty());
  EXPECT_TRUE(store().scan(t, {.low = "c", .high = "a", .reverse = true}).empty());
  EXPECT_TRUE(store().scan(t, {.low = "d"}).empty());
  EXPECT_TRUE(store().scan(t, {.high = "a", .reverse = true}).empty());
  EXPECT_TRUE(store().scan(t, {.prefix = "x"}).empty());
  EXPECT_TRUE(store().scan(t, {.prefix = "x", .reverse = true}).empty());
}

TEST_P(WideColumnStoreSuite, ScanPrefixAloneAndWithBounds) {
  const std::string t = table("rows");
  put_keys(t, {"a", "u1:1", "u1:2", "u1:3", "u12:1", "u2:1", "z"});
  EXPECT_EQ(keys_of(store().scan(t, {.prefix = "u1:"})), (Keys{"u1:1", "u1:2", "u1:3"}));
  EXPECT_EQ(keys_of(store().scan(t, {.prefix = "u1:", .reverse = true})),
            (Keys{"u1:3", "u1:2", "u1:1"}));
  EXPECT_EQ(keys_of(store().scan(t, {.prefix = "u1"})),
            (Keys{"u12:1", "u1:1", "u1:2", "u1:3"}));  // '2' sorts before ':'
  // Bounds inside the prefix narrow it.
  EXPECT_EQ(keys_of(store().scan(t, {.low = "u1:2", .prefix = "u1:"})), (Keys{"u1:2", "u1:3"}));
  EXPECT_EQ(keys_of(store().scan(t, {.high = "u1:3", .prefix = "u1:", .reverse = true})),
            (Keys{"u1:2", "u1:1"}));
  EXPECT_EQ(keys_of(store().scan(t, {.low = "u1:2", .high = "u1:3", .prefix = "u1:"})),
            (Keys{"u1:2"}));
  // Bounds outside the prefix do not widen it.
  EXPECT_EQ(keys_of(store().scan(t, {.low = "a", .high = "z", .prefix = "u1:"})),
            (Keys{"u1:1", "u1:2", "u1:3"}));
  EXPECT_EQ(keys_of(store().scan(t, {.low = "a", .high = "z", .prefix = "u1:", .reverse = true})),
            (Keys{"u1:3", "u1:2", "u1:1"}));
  // Bounds that exclude the prefix entirely.
  EXPECT_TRUE(store().scan(t, {.low = "u2", .prefix = "u1:"}).empty());
  EXPECT_TRUE(store().scan(t, {.high = "u1:", .prefix = "u1:", .reverse = true}).empty());
}

TEST_P(WideColumnStoreSuite, ScanPrefixEndingInHighBytes) {
  const std::string t = table("rows");
  const std::string prefix = "p\xff";
  put_keys(t, {"p", prefix, prefix + "\xff", prefix + "a", "q"});
  EXPECT_EQ(keys_of(store().scan(t, {.prefix = prefix})),
            (Keys{prefix, prefix + "a", prefix + "\xff"}));
  EXPECT_EQ(keys_of(store().scan(t, {.prefix = prefix, .reverse = true})),
            (Keys{prefix + "\xff", prefix + "a", prefix}));
}

TEST_P(WideColumnStoreSuite, ScanLimitKeepsTheFirstRowsInScanDirection) {
  const std::string t = table("rows");
  put_keys(t, {"a", "b", "c", "d", "e"});
  EXPECT_EQ(keys_of(store().scan(t, {.limit = 2})), (Keys{"a", "b"}));
  EXPECT_EQ(keys_of(store().scan(t, {.limit = 2, .reverse = true})), (Keys{"e", "d"}));
  EXPECT_EQ(keys_of(store().scan(t, {.high = "d", .limit = 2, .reverse = true})), (Keys{"c", "b"}));
  EXPECT_EQ(keys_of(store().scan(t, {.low = "b", .limit = 10})), (Keys{"b", "c", "d", "e"}));
  EXPECT_EQ(store().scan(t, {.limit = 0}).size(), 5u);
}

TEST_P(WideColumnStoreSuite, CheckAndPutExpectingAbsentWritesOnlyWhenTheCellIsMissing) {
  const std::string t = table("rows");
  EXPECT_TRUE(store().check_and_put(t, Row{"k", {{"a", "1"}}}, "a", std::nullopt));
  EXPECT_FALSE(store().check_and_put(t, Row{"k", {{"a", "2"}}}, "a", std::nullopt));
  EXPECT_EQ(store().get(t, "k"), (Columns{{"a", "1"}}));
  // The row exists but that cell does not: it writes, keeping the other columns.
  EXPECT_TRUE(store().check_and_put(t, Row{"k", {{"b", "2"}}}, "b", std::nullopt));
  EXPECT_EQ(store().get(t, "k"), (Columns{{"a", "1"}, {"b", "2"}}));
}

TEST_P(WideColumnStoreSuite, CheckAndPutExpectingAValueWritesOnlyOnMatch) {
  const std::string t = table("rows");
  EXPECT_FALSE(store().check_and_put(t, Row{"k", {{"a", "2"}}}, "a", "1"));  // no row
  EXPECT_EQ(store().get(t, "k"), std::nullopt);
  store().put(t, Row{"k", {{"a", "1"}, {"b", "x"}}});
  EXPECT_FALSE(store().check_and_put(t, Row{"k", {{"a", "3"}}}, "a", "9"));
  EXPECT_FALSE(store().check_and_put(t, Row{"k", {{"a", "3"}}}, "missing", "1"));
  EXPECT_EQ(store().get(t, "k"), (Columns{{"a", "1"}, {"b", "x"}}));
  EXPECT_TRUE(store().check_and_put(t, Row{"k", {{"a", "2"}, {"c", "y"}}}, "a", "1"));
  EXPECT_EQ(store().get(t, "k"), (Columns{{"a", "2"}, {"b", "x"}, {"c", "y"}}));
  // The check may name another column than the ones written.
  EXPECT_TRUE(store().check_and_put(t, Row{"k", {{"a", "5"}}}, "b", "x"));
  EXPECT_EQ(store().get(t, "k")->at("a"), "5");
}

TEST_P(WideColumnStoreSuite, CheckAndRemoveDeletesTheWholeRowOnlyOnMatch) {
  const std::string t = table("rows");
  EXPECT_FALSE(store().check_and_remove(t, "k", "a", "1"));  // no row
  store().put(t, Row{"k", {{"a", "1"}, {"b", "2"}}});
  EXPECT_FALSE(store().check_and_remove(t, "k", "a", "2"));
  EXPECT_FALSE(store().check_and_remove(t, "k", "c", "1"));
  EXPECT_TRUE(store().get(t, "k").has_value());
  EXPECT_TRUE(store().check_and_remove(t, "k", "a", "1"));
  EXPECT_EQ(store().get(t, "k"), std::nullopt);
  EXPECT_FALSE(store().check_and_remove(t, "k", "a", "1"));
}

TEST_P(WideColumnStoreSuite, PingAnswers) {
  EXPECT_TRUE(store().ping());
}

// ---- the model layer ----

TEST_P(WideColumnStoreSuite, ModelCreateGetOverwriteAndMissing) {
  Model posts(store(), post_spec());
  posts.create({{"user_id", 42}, {"created_at", 1000}, {"tweet_id", 7}, {"text", "hello"}});
  const Record expected{{"user_id", 42}, {"created_at", 1000}, {"tweet_id", 7}, {"text", "hello"}};
  EXPECT_EQ(posts.get({{"user_id", 42}, {"created_at", 1000}}), expected);
  // Overwriting a column keeps the others.
  posts.create({{"user_id", 42}, {"created_at", 1000}, {"text", "edited"}});
  Record edited = expected;
  edited["text"] = std::string("edited");
  EXPECT_EQ(posts.get({{"user_id", 42}, {"created_at", 1000}}), edited);
  EXPECT_EQ(posts.get({{"user_id", 42}, {"created_at", 1001}}), std::nullopt);
  EXPECT_EQ(posts.get({{"user_id", 24}, {"created_at", 1000}}), std::nullopt);
  posts.remove({{"user_id", 42}, {"created_at", 1000}});
  EXPECT_EQ(posts.get({{"user_id", 42}, {"created_at", 1000}}), std::nullopt);
}

TEST_P(WideColumnStoreSuite, ModelStoresTheReversedEncodedKey) {
  const ModelSpec spec = post_spec();
  Model posts(store(), spec);
  posts.create({{"user_id", 42}, {"created_at", 1000}, {"tweet_id", 7}, {"text", "hi"}});
  const std::vector<Row> rows = store().scan(spec.table, {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].key, "2400000000000000:0000000000001000");
  EXPECT_EQ(rows[0].columns, (Columns{{"text", "hi"}, {"tweet_id", "0000000000000007"}}));
}

TEST_P(WideColumnStoreSuite, ModelMissingKeyFieldIsBadRowKeyNamingIt) {
  Model posts(store(), post_spec());
  try {
    posts.create({{"user_id", 1}, {"tweet_id", 7}});
    FAIL() << "no BadRowKey";
  } catch (const BadRowKey& error) {
    EXPECT_STREQ(error.what(), "missing row key field \"created_at\"");
  }
  EXPECT_THROW(posts.get({{"created_at", 1}}), BadRowKey);
  EXPECT_THROW(posts.remove({{"user_id", 1}}), BadRowKey);
  // A prefix may stop early but not skip a field.
  try {
    posts.filter({.prefix = {{"created_at", 5}}});
    FAIL() << "no BadRowKey";
  } catch (const BadRowKey& error) {
    EXPECT_STREQ(error.what(), "missing row key field \"user_id\"");
  }
  EXPECT_THROW(posts.filter({.start = {{"created_at", 5}}}), BadRowKey);
  EXPECT_THROW(posts.create({{"user_id", -1}, {"created_at", 1}, {"tweet_id", 7}}), BadRowKey);
  EXPECT_TRUE(store().scan(posts.spec().table, {}).empty());
}

TEST_P(WideColumnStoreSuite, ModelRecordWithoutColumnsIsEmptyColumn) {
  Model posts(store(), post_spec());
  EXPECT_THROW(posts.create({{"user_id", 1}, {"created_at", 2}}), EmptyColumn);
  // One bad record: nothing of the batch is written.
  EXPECT_THROW(posts.batch_create({{{"user_id", 1}, {"created_at", 1}, {"tweet_id", 1}},
                                   {{"user_id", 1}, {"created_at", 2}}}),
               EmptyColumn);
  EXPECT_TRUE(posts.filter({}).empty());
}

TEST_P(WideColumnStoreSuite, ModelBatchCreateAndPrefixFilter) {
  Model posts(store(), post_spec());
  std::vector<Record> records;
  for (const std::int64_t user : {1, 10, 2}) {
    for (std::int64_t t = 1; t <= 3; ++t) {
      records.push_back({{"user_id", user}, {"created_at", t * 100}, {"tweet_id", user * 10 + t}});
    }
  }
  posts.batch_create(records);
  EXPECT_EQ(posts.filter({}).size(), 9u);
  const std::vector<Record> mine = posts.filter({.prefix = {{"user_id", 1}}});
  ASSERT_EQ(mine.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(mine[i].at("user_id"), FieldValue{1});
    EXPECT_EQ(mine[i].at("created_at"), FieldValue{static_cast<std::int64_t>(i + 1) * 100});
    EXPECT_EQ(mine[i].at("tweet_id"), FieldValue{static_cast<std::int64_t>(11 + i)});
  }
  const std::vector<Record> newest_first =
      posts.filter({.prefix = {{"user_id", 10}}, .reverse = true});
  ASSERT_EQ(newest_first.size(), 3u);
  EXPECT_EQ(newest_first[0].at("created_at"), FieldValue{300});
  EXPECT_EQ(newest_first[2].at("created_at"), FieldValue{100});
  // A prefix of every key field: that row only.
  const auto one = posts.filter({.prefix = {{"user_id", 2}, {"created_at", 200}}});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].at("tweet_id"), FieldValue{22});
  EXPECT_TRUE(posts.filter({.prefix = {{"user_id", 3}}}).empty());
}

TEST_P(WideColumnStoreSuite, ModelBulkLoadWritesWhatBatchCreateWrites) {
  Model posts(store(), post_spec());
  posts.bulk_load({{{"user_id", 1}, {"created_at", 100}, {"tweet_id", 11}},
                   {{"user_id", 2}, {"created_at", 100}, {"tweet_id", 21}},
                   {{"user_id", 1}, {"created_at", 200}, {"tweet_id", 12}}});
  const std::vector<Record> mine = posts.filter({.prefix = {{"user_id", 1}}});
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].at("tweet_id"), FieldValue{11});
  EXPECT_EQ(mine[1].at("tweet_id"), FieldValue{12});
  EXPECT_EQ(posts.filter({}).size(), 3u);
  posts.bulk_load({});
  // One bad record: nothing of the load is written.
  EXPECT_THROW(posts.bulk_load({{{"user_id", 3}, {"created_at", 1}, {"tweet_id", 31}},
                                {{"user_id", 3}, {"created_at", 2}}}),
               EmptyColumn);
  EXPECT_TRUE(posts.filter({.prefix = {{"user_id", 3}}}).empty());
}

TEST_P(WideColumnStoreSuite, ModelStartInclusiveStopExclusiveInScanDirection) {
  Model posts(store(), post_spec());
  for (std::int64_t t = 1; t <= 5; ++t) {
    posts.create({{"user_id", 1}, {"created_at", t}, {"tweet_id", t}});
    posts.create({{"user_id", 2}, {"created_at", t}, {"tweet_id", 100 + t}});
  }
  const auto times = [](const std::vector<Record>& records) {
    std::vector<std::int64_t> out;
    for (const Record& r : records) out.push_back(std::get<std::int64_t>(r.at("created_at")));
    return out;
  };
  using Times = std::vector<std::int64_t>;
  const Record user{{"user_id", 1}};
  const Record at2{{"user_id", 1}, {"created_at", 2}};
  const Record at4{{"user_id", 1}, {"created_at", 4}};
  EXPECT_EQ(times(posts.filter({.prefix = user, .start = at2, .stop = at4})), (Times{2, 3}));
  // Reverse: start is the high bound (inclusive), stop the low one (exclusive).
  EXPECT_EQ(times(posts.filter({.prefix = user, .start = at4, .stop = at2, .reverse = true})),
            (Times{4, 3}));
  EXPECT_EQ(times(posts.filter({.prefix = user, .start = at4, .reverse = true})),
            (Times{4, 3, 2, 1}));
  EXPECT_EQ(times(posts.filter({.prefix = user, .stop = at2, .reverse = true})), (Times{5, 4, 3}));
  EXPECT_EQ(times(posts.filter({.prefix = user, .start = at4})), (Times{4, 5}));
  // Start after stop in scan direction: nothing.
  EXPECT_TRUE(posts.filter({.prefix = user, .start = at4, .stop = at2}).empty());
  EXPECT_TRUE(posts.filter({.prefix = user, .start = at2, .stop = at4, .reverse = true}).empty());
  // Limits count in scan direction.
  EXPECT_EQ(times(posts.filter({.prefix = user, .limit = 2})), (Times{1, 2}));
  EXPECT_EQ(times(posts.filter({.prefix = user, .limit = 2, .reverse = true})), (Times{5, 4}));
  EXPECT_EQ(times(posts.filter({.prefix = user, .start = at4, .limit = 2, .reverse = true})),
            (Times{4, 3}));
}

TEST_P(WideColumnStoreSuite, ModelGetManyAndRemoveMany) {
  Model posts(store(), post_spec());
  posts.batch_create({{{"user_id", 1}, {"created_at", 1}, {"tweet_id", 11}},
                      {{"user_id", 2}, {"created_at", 1}, {"tweet_id", 21}}});
  const auto found = posts.get_many({{{"user_id", 2}, {"created_at", 1}},
                                     {{"user_id", 3}, {"created_at", 1}},
                                     {{"user_id", 1}, {"created_at", 1}}});
  ASSERT_EQ(found.size(), 3u);
  ASSERT_TRUE(found[0].has_value());
  EXPECT_EQ(found[0]->at("tweet_id"), FieldValue{21});
  EXPECT_FALSE(found[1].has_value());
  ASSERT_TRUE(found[2].has_value());
  EXPECT_EQ(found[2]->at("tweet_id"), FieldValue{11});
  posts.remove_many({{{"user_id", 2}, {"created_at", 1}}, {{"user_id", 9}, {"created_at", 9}}});
  EXPECT_EQ(posts.filter({}).size(), 1u);
}

TEST_P(WideColumnStoreSuite, ModelConditionalWritesAndRemoves) {
  Model posts(store(), post_spec());
  const Record first{{"user_id", 1}, {"created_at", 1}, {"tweet_id", 11}};
  EXPECT_TRUE(posts.create_if_absent(first, "tweet_id"));
  EXPECT_FALSE(
      posts.create_if_absent({{"user_id", 1}, {"created_at", 1}, {"tweet_id", 12}}, "tweet_id"));
  EXPECT_FALSE(posts.update_if({{"user_id", 1}, {"created_at", 1}, {"tweet_id", 13}}, "tweet_id",
                               std::int64_t{12}));
  EXPECT_TRUE(posts.update_if({{"user_id", 1}, {"created_at", 1}, {"tweet_id", 13}}, "tweet_id",
                              std::int64_t{11}));
  EXPECT_FALSE(posts.remove_if(first, "tweet_id", std::int64_t{11}));
  EXPECT_TRUE(posts.get(first).has_value());
  EXPECT_TRUE(posts.remove_if(first, "tweet_id", std::int64_t{13}));
  EXPECT_FALSE(posts.get(first).has_value());
}

TEST_P(WideColumnStoreSuite, ModelStringKeyFields) {
  const ModelSpec spec{table("tags"),
                       {{"tag", FieldType::String}, {"tweet_id", FieldType::Integer}},
                       {{"author", FieldType::String}}};
  Model tags(store(), spec);
  tags.create({{"tag", "ab"}, {"tweet_id", 1}, {"author", "x"}});
  tags.create({{"tag", "abc"}, {"tweet_id", 2}, {"author", "y"}});
  const auto ab = tags.filter({.prefix = {{"tag", "ab"}}});
  ASSERT_EQ(ab.size(), 1u);
  EXPECT_EQ(ab[0].at("author"), FieldValue{std::string("x")});
  EXPECT_THROW(tags.create({{"tag", "a:b"}, {"tweet_id", 3}, {"author", "z"}}), BadRowKey);
}

}  // namespace chirp::store::kv::testing
