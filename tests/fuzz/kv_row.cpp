// Wide-column rows as read back from the store: row keys decoded by the model layer (the shapes of
// the friendship and news-feed tables, plus a string key part) and RocksDB row values (row_codec).
// Input: byte 0 picks the table, byte 1 is the key length, then the key, then the row value.
// Invariants: whatever decodes encodes back to the same key, and row values round-trip.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "store/kv/model.hpp"
#include "store/kv/row_codec.hpp"

namespace {

using namespace chirp::store::kv;

// Mirrors kv_friendship_repository.cpp and kv_newsfeed_repository.cpp, plus a string key part.
const std::vector<ModelSpec>& specs() {
  static const std::vector<ModelSpec> all = {
      {"followings",
       {{"from_user_id", FieldType::Integer, true}, {"created_at", FieldType::Timestamp}},
       {{"to_user_id", FieldType::Integer}}},
      {"follow_index",
       {{"to_user_id", FieldType::Integer, true}, {"from_user_id", FieldType::Integer}},
       {{"created_at", FieldType::Timestamp}}},
      {"newsfeeds",
       {{"user_id", FieldType::Integer, true},
        {"created_at", FieldType::Timestamp},
        {"tweet_id", FieldType::Integer}},
       {{"tweet_id", FieldType::Integer}, {"author_id", FieldType::Integer}}},
      {"newsfeed_tweets",
       {{"tweet_id", FieldType::Integer, true}, {"user_id", FieldType::Integer}},
       {{"created_at", FieldType::Timestamp}, {"author_id", FieldType::Integer}}},
      {"string_keys", {{"name", FieldType::String, true}}, {{"value", FieldType::String}}},
  };
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const ModelSpec& spec = specs()[data[0] % specs().size()];
  std::string_view rest = chirp::fuzz::as_text(data + 2, size - 2);
  const std::string_view key = rest.substr(0, data[1]);
  const std::string_view value = rest.substr(key.size());

  try {
    const Record record = decode_key(spec, key);
    FUZZ_CHECK(record.size() == spec.key.size());
    FUZZ_CHECK(encode_key(spec, record) == key);
  } catch (const BadRowKey&) {
  }

  Columns columns;
  try {
    columns = decode_row_value(value);
  } catch (const std::runtime_error&) {
    return 0;
  }
  FUZZ_CHECK(decode_row_value(encode_row_value(columns)) == columns);

  try {
    const Record record = decode_row(spec, Row{std::string(key), columns});
    const Columns encoded = encode_columns(spec, record);
    for (const auto& [name, text] : encoded) {
      // A column named like a key field (newsfeeds' tweet_id) is encoded from the key when absent.
      if (const auto cell = columns.find(name); cell != columns.end()) {
        FUZZ_CHECK(cell->second == text);
      }
    }
  } catch (const std::invalid_argument&) {  // BadRowKey, or a column that is not its type
  }
  return 0;
}
