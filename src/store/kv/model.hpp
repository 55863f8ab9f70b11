#pragma once
// The model layer over the wide-column store (DESIGN §6; the seed's "DRF-alike ORM for HBase"): a
// model is plain data naming its table, its row-key fields in order and its column fields; records
// are maps field name → value. It owns the row-key encoding, so every repository builds keys the
// same way on RocksDB and HBase:
//   - integers and timestamps (µs): 16 decimal digits, zero-padded, so byte order = numeric order;
//     negative values and values above 16 digits are rejected;
//   - a key field marked `reverse` has its encoded text reversed (spreads sequential ids over
//     regions; a reversed field is only good for equality, e.g. as a prefix);
//   - key parts joined by ':' (so string key parts must not contain ':').
// Column values use the same encoding without reversal.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/kv/wide_column_store.hpp"

namespace chirp::store::kv {

enum class FieldType { Integer, Timestamp, String };

struct Field {
  std::string name;
  FieldType type = FieldType::Integer;
  bool reverse = false;  // row-key fields only
};

struct ModelSpec {
  std::string table;
  std::vector<Field> key;  // in row-key order
  std::vector<Field> columns;
};

// int64_t for Integer and Timestamp fields, std::string for String fields.
using FieldValue = std::variant<std::int64_t, std::string>;
using Record = std::map<std::string, FieldValue, std::less<>>;

// A row key that cannot be built (a key field is missing or unusable) or decoded.
struct BadRowKey : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// A record to write holds no column value.
struct EmptyColumn : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

inline constexpr char kKeySeparator = ':';
inline constexpr std::size_t kIntegerDigits = 16;
inline constexpr std::int64_t kMaxEncodedInteger = 9'999'999'999'999'999;

// 42 → "0000000000000042". std::invalid_argument for negative values or more than 16 digits.
std::string encode_integer(std::int64_t value);
// The inverse; std::invalid_argument unless `text` is exactly 16 digits.
std::int64_t decode_integer(std::string_view text);
// One field's encoded text (reversed when the field says so). std::invalid_argument when the value
// does not fit the field's type.
std::string encode_field(const Field& field, const FieldValue& value);
FieldValue decode_field(const Field& field, std::string_view text);

// The full row key of `record`; BadRowKey naming the first missing key field.
std::string encode_key(const ModelSpec& spec, const Record& record);
// The key of the first N key fields present in `record`, joined by ':' (no trailing ':'), for
// start/stop bounds; empty for N = 0. BadRowKey when a key field is given after a missing one.
std::string encode_partial_key(const ModelSpec& spec, const Record& record);
// The key fields of `key`. BadRowKey on a malformed key (wrong part count, a non-digit in an
// integer part).
Record decode_key(const ModelSpec& spec, std::string_view key);
// The declared columns present in `record`, encoded. Unknown fields: std::invalid_argument.
Columns encode_columns(const ModelSpec& spec, const Record& record);
// Key fields and declared columns of a stored row (undeclared columns are skipped).
Record decode_row(const ModelSpec& spec, const Row& row);

// Which rows filter() returns. `prefix` gives the first N key fields: only rows whose first N
// fields equal them. `start`/`stop` are (partial) keys compared as encoded bytes, start inclusive
// and stop exclusive IN SCAN DIRECTION, as in HBase: with `reverse`, start is the HIGH bound and
// stop the low one. limit 0: no limit.
struct FilterArgs {
  Record prefix = {};
  Record start = {};
  Record stop = {};
  std::size_t limit = 0;
  bool reverse = false;
};

class Model {
 public:
  Model(WideColumnStore& store, ModelSpec spec) : store_(store), spec_(std::move(spec)) {}

  const ModelSpec& spec() const { return spec_; }
  void create_table() { store_.create_table(spec_.table); }

  // Writes the record's columns into its row (other columns of the row stay). BadRowKey,
  // EmptyColumn.
  void create(const Record& record);
  // All records in one round trip; nothing is written when one of them is invalid.
  void batch_create(const std::vector<Record>& records);
  // batch_create for bulk loads of empty tables (`chirp seed`): WideColumnStore::load_many.
  void bulk_load(const std::vector<Record>& records);
  // Writes the record only when its row has no `column` yet (atomic). True when it wrote.
  bool create_if_absent(const Record& record, std::string_view column);
  // Writes the record only when its row's `column` holds `expected` (atomic).
  bool update_if(const Record& record, std::string_view column, const FieldValue& expected);

  // Key fields and columns of the row, nullopt when absent. Only key fields of `key` are read.
  std::optional<Record> get(const Record& key);
  // One answer per key, in order, in one round trip.
  std::vector<std::optional<Record>> get_many(const std::vector<Record>& keys);
  std::vector<Record> filter(const FilterArgs& args);

  void remove(const Record& key);
  void remove_many(const std::vector<Record>& keys);
  // Deletes the row only when its `column` holds `expected` (atomic). True when it deleted.
  bool remove_if(const Record& key, std::string_view column, const FieldValue& expected);

 private:
  Row encode_row(const Record& record) const;
  // Every record encoded first, so an invalid one throws before anything is written.
  std::vector<Row> encode_rows(const std::vector<Record>& records) const;
  const Field& column_field(std::string_view column) const;

  WideColumnStore& store_;
  ModelSpec spec_;
};

}  // namespace chirp::store::kv
