// The model layer's row-key encoding (no store involved): what repositories and HBase rely on.
#include "store/kv/model.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace chirp::store::kv::testing {
namespace {

const ModelSpec kFeed{"newsfeeds",
                      {{"user_id", FieldType::Integer, true},
                       {"created_at", FieldType::Timestamp},
                       {"tweet_id", FieldType::Integer}},
                      {{"author_id", FieldType::Integer}, {"note", FieldType::String}}};

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "no exception";
}

TEST(ModelEncodingTest, IntegersAreSixteenZeroPaddedDigits) {
  EXPECT_EQ(encode_integer(0), "0000000000000000");
  EXPECT_EQ(encode_integer(42), "0000000000000042");
  EXPECT_EQ(encode_integer(1'800'000'000'000'000), "1800000000000000");
  EXPECT_EQ(encode_integer(kMaxEncodedInteger), "9999999999999999");
  EXPECT_THROW(encode_integer(-1), std::invalid_argument);
  EXPECT_THROW(encode_integer(kMaxEncodedInteger + 1), std::invalid_argument);
  // Byte order is numeric order.
  EXPECT_LT(encode_integer(9), encode_integer(10));
  EXPECT_LT(encode_integer(99'999), encode_integer(100'000));
}

TEST(ModelEncodingTest, DecodeIntegerAcceptsOnlySixteenDigits) {
  EXPECT_EQ(decode_integer("0000000000000042"), 42);
  EXPECT_EQ(decode_integer("9999999999999999"), kMaxEncodedInteger);
  for (const char* bad : {"", "42", "00000000000000042", "000000000000004x", "-000000000000042",
                          " 000000000000042"}) {
    EXPECT_THROW(decode_integer(bad), std::invalid_argument) << bad;
  }
}

TEST(ModelEncodingTest, ReversedFieldsReverseTheEncodedText) {
  const Field reversed{"user_id", FieldType::Integer, true};
  EXPECT_EQ(encode_field(reversed, std::int64_t{42}), "2400000000000000");
  EXPECT_EQ(decode_field(reversed, "2400000000000000"), FieldValue{42});
  const Field name{"name", FieldType::String, true};
  EXPECT_EQ(encode_field(name, std::string("abc")), "cba");
  EXPECT_EQ(decode_field(name, "cba"), FieldValue{std::string("abc")});
}

TEST(ModelEncodingTest, FieldValuesMustFitTheirType) {
  EXPECT_THROW(encode_field({"n", FieldType::Integer}, std::string("1")), std::invalid_argument);
  EXPECT_THROW(encode_field({"s", FieldType::String}, std::int64_t{1}), std::invalid_argument);
  EXPECT_THROW(encode_field({"t", FieldType::Timestamp}, std::int64_t{-5}), std::invalid_argument);
  EXPECT_EQ(encode_field({"t", FieldType::Timestamp}, std::int64_t{5}), "0000000000000005");
}

TEST(ModelEncodingTest, KeyPartsAreJoinedWithColons) {
  const Record record{{"user_id", 7}, {"created_at", 1000}, {"tweet_id", 3}, {"author_id", 9}};
  EXPECT_EQ(encode_key(kFeed, record), "7000000000000000:0000000000001000:0000000000000003");
  EXPECT_EQ(encode_columns(kFeed, record), (Columns{{"author_id", "0000000000000009"}}));
}

TEST(ModelEncodingTest, MissingKeyFieldIsNamed) {
  EXPECT_EQ(message_of([] {
              encode_key(kFeed, {{"user_id", 7}, {"tweet_id", 3}});
            }),
            "missing row key field \"created_at\"");
  EXPECT_EQ(message_of([] { encode_key(kFeed, {}); }), "missing row key field \"user_id\"");
  EXPECT_THROW(encode_key(kFeed, {{"user_id", 7}, {"tweet_id", 3}}), BadRowKey);
}

TEST(ModelEncodingTest, PartialKeysStopAtTheFirstMissingField) {
  EXPECT_EQ(encode_partial_key(kFeed, {}), "");
  EXPECT_EQ(encode_partial_key(kFeed, {{"user_id", 7}}), "7000000000000000");
  EXPECT_EQ(encode_partial_key(kFeed, {{"user_id", 7}, {"created_at", 5}}),
            "7000000000000000:0000000000000005");
  EXPECT_EQ(message_of([] {
              encode_partial_key(kFeed, {{"user_id", 7}, {"tweet_id", 3}});
            }),
            "missing row key field \"created_at\"");
  EXPECT_THROW(encode_partial_key(kFeed, {{"tweet_id", 3}}), BadRowKey);
}

TEST(ModelEncodingTest, BadKeyValuesAreBadRowKey) {
  EXPECT_THROW(encode_key(kFeed, {{"user_id", -7}, {"created_at", 1}, {"tweet_id", 3}}), BadRowKey);
  EXPECT_THROW(encode_key(kFeed, {{"user_id", "7"}, {"created_at", 1}, {"tweet_id", 3}}),
               BadRowKey);
  const ModelSpec tags{"tags", {{"tag", FieldType::String}}, {{"n", FieldType::Integer}}};
  EXPECT_EQ(encode_key(tags, {{"tag", "cats"}}), "cats");
  EXPECT_THROW(encode_key(tags, {{"tag", "a:b"}}), BadRowKey);
}

TEST(ModelEncodingTest, DecodeKeyRoundTripsAndValidates) {
  const Record key{{"user_id", 7}, {"created_at", 1000}, {"tweet_id", 3}};
  EXPECT_EQ(decode_key(kFeed, encode_key(kFeed, key)), key);
  for (const char* bad :
       {"", "7000000000000000", "7000000000000000:0000000000001000",
        "7000000000000000:0000000000001000:0000000000000003:",
        "7000000000000000:0000000000001000:0000000000000003:0000000000000001",
        "7000000000000000:00000000000010x0:0000000000000003",
        "70000000000000:0000000000001000:0000000000000003", "7000000000000000::0000000000000003"}) {
    EXPECT_THROW(decode_key(kFeed, bad), BadRowKey) << bad;
  }
}

TEST(ModelEncodingTest, ColumnsUseTheSameEncodingAndUnknownFieldsAreRejected) {
  const Record record{
      {"user_id", 7}, {"created_at", 1}, {"tweet_id", 3}, {"author_id", 12}, {"note", "hi:there"}};
  const Columns columns = encode_columns(kFeed, record);
  EXPECT_EQ(columns, (Columns{{"author_id", "0000000000000012"}, {"note", "hi:there"}}));
  EXPECT_EQ(decode_row(kFeed, Row{encode_key(kFeed, record), columns}), record);
  EXPECT_THROW(encode_columns(kFeed, {{"auther_id", 12}}), std::invalid_argument);
  // Columns a newer version wrote are skipped on read.
  Columns with_extra = columns;
  with_extra["added_later"] = "x";
  EXPECT_EQ(decode_row(kFeed, Row{encode_key(kFeed, record), with_extra}), record);
}

}  // namespace
}  // namespace chirp::store::kv::testing
