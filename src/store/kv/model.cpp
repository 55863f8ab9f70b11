#include "store/kv/model.hpp"

#include <algorithm>

namespace chirp::store::kv {
namespace {

bool is_integer_type(FieldType type) {
  return type != FieldType::String;
}

const FieldValue* find_value(const Record& record, const Field& field) {
  const auto it = record.find(field.name);
  return it == record.end() ? nullptr : &it->second;
}

BadRowKey missing_key_field(const Field& field) {
  return BadRowKey("missing row key field \"" + field.name + "\"");
}

std::string encode_key_part(const Field& field, const FieldValue& value) {
  std::string part;
  try {
    part = encode_field(field, value);
  } catch (const std::invalid_argument& error) {
    throw BadRowKey(error.what());
  }
  if (part.find(kKeySeparator) != std::string::npos) {
    throw BadRowKey("row key field \"" + field.name + "\" must not contain ':'");
  }
  return part;
}

// The encoded first N key fields of `record` and N.
std::pair<std::string, std::size_t> leading_key_parts(const ModelSpec& spec, const Record& record) {
  std::string key;
  std::size_t count = 0;
  const Field* first_missing = nullptr;
  for (const Field& field : spec.key) {
    const FieldValue* value = find_value(record, field);
    if (value == nullptr) {
      if (first_missing == nullptr) first_missing = &field;
      continue;
    }
    if (first_missing != nullptr) throw missing_key_field(*first_missing);
    if (count != 0) key += kKeySeparator;
    key += encode_key_part(field, *value);
    ++count;
  }
  return {std::move(key), count};
}

// Narrows [low, high) (empty = unbounded) to also lie within [other_low, other_high).
void intersect(ScanRange& range, const std::string& other_low, const std::string& other_high) {
  if (other_low > range.low) range.low = other_low;
  if (!other_high.empty() && (range.high.empty() || other_high < range.high)) {
    range.high = other_high;
  }
}

// The smallest key greater than `key`: bounds that include `key` itself.
std::string just_after(std::string key) {
  key.push_back('\0');
  return key;
}

}  // namespace

std::string encode_integer(std::int64_t value) {
  if (value < 0) {
    throw std::invalid_argument("negative integer " + std::to_string(value) + " in a row key");
  }
  if (value > kMaxEncodedInteger) {
    throw std::invalid_argument("integer " + std::to_string(value) + " has more than 16 digits");
  }
  std::string digits = std::to_string(value);
  digits.insert(0, kIntegerDigits - digits.size(), '0');
  return digits;
}

std::int64_t decode_integer(std::string_view text) {
  if (text.size() != kIntegerDigits ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw std::invalid_argument("not a 16-digit integer: \"" + std::string(text) + "\"");
  }
  std::int64_t value = 0;
  for (const char c : text) value = value * 10 + (c - '0');
  return value;
}

std::string encode_field(const Field& field, const FieldValue& value) {
  std::string text;
  if (is_integer_type(field.type)) {
    const auto* number = std::get_if<std::int64_t>(&value);
    if (number == nullptr) {
      throw std::invalid_argument("field \"" + field.name + "\" takes an integer");
    }
    try {
      text = encode_integer(*number);
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument("field \"" + field.name + "\": " + error.what());
    }
  } else {
    const auto* string = std::get_if<std::string>(&value);
    if (string == nullptr) {
      throw std::invalid_argument("field \"" + field.name + "\" takes a string");
    }
    text = *string;
  }
  if (field.reverse) std::reverse(text.begin(), text.end());
  return text;
}

FieldValue decode_field(const Field& field, std::string_view text) {
  std::string plain(text);
  if (field.reverse) std::reverse(plain.begin(), plain.end());
  if (!is_integer_type(field.type)) return plain;
  try {
    return decode_integer(plain);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("field \"" + field.name + "\": " + error.what());
  }
}

std::string encode_key(const ModelSpec& spec, const Record& record) {
  std::string key;
  for (std::size_t i = 0; i < spec.key.size(); ++i) {
    const FieldValue* value = find_value(record, spec.key[i]);
    if (value == nullptr) throw missing_key_field(spec.key[i]);
    if (i != 0) key += kKeySeparator;
    key += encode_key_part(spec.key[i], *value);
  }
  return key;
}

std::string encode_partial_key(const ModelSpec& spec, const Record& record) {
  return leading_key_parts(spec, record).first;
}

Record decode_key(const ModelSpec& spec, std::string_view key) {
  Record record;
  std::size_t index = 0;
  while (true) {
    const std::size_t end = key.find(kKeySeparator);
    const std::string_view part = key.substr(0, end);
    if (index == spec.key.size()) {
      throw BadRowKey("row key \"" + std::string(key) + "\" has more parts than " + spec.table +
                      " declares");
    }
    const Field& field = spec.key[index++];
    try {
      record.emplace(field.name, decode_field(field, part));
    } catch (const std::invalid_argument& error) {
      throw BadRowKey(std::string("malformed row key: ") + error.what());
    }
    if (end == std::string_view::npos) break;
    key.remove_prefix(end + 1);
  }
  if (index != spec.key.size()) {
    throw BadRowKey("row key has " + std::to_string(index) + " parts, " + spec.table +
                    " declares " + std::to_string(spec.key.size()));
  }
  return record;
}

Columns encode_columns(const ModelSpec& spec, const Record& record) {
  Columns columns;
  for (const auto& [name, value] : record) {
    // An init-capture: clang before 16 cannot capture a structured binding.
    const auto is_named = [&name = name](const Field& field) { return field.name == name; };
    const auto column = std::find_if(spec.columns.begin(), spec.columns.end(), is_named);
    if (column != spec.columns.end()) {
      columns.emplace(name, encode_field(*column, value));
    } else if (std::none_of(spec.key.begin(), spec.key.end(), is_named)) {
      throw std::invalid_argument("model " + spec.table + " has no field \"" + name + "\"");
    }
  }
  return columns;
}

Record decode_row(const ModelSpec& spec, const Row& row) {
  Record record = decode_key(spec, row.key);
  for (const Field& field : spec.columns) {
    const auto cell = row.columns.find(field.name);
    if (cell != row.columns.end())
      record.insert_or_assign(field.name, decode_field(field, cell->second));
  }
  return record;
}

Row Model::encode_row(const Record& record) const {
  Row row{encode_key(spec_, record), encode_columns(spec_, record)};
  if (row.columns.empty()) {
    throw EmptyColumn("no column value to write in " + spec_.table + " row " + row.key);
  }
  return row;
}

const Field& Model::column_field(std::string_view column) const {
  for (const Field& field : spec_.columns) {
    if (field.name == column) return field;
  }
  throw std::invalid_argument("model " + spec_.table + " has no column \"" + std::string(column) +
                              "\"");
}

void Model::create(const Record& record) {
  store_.put(spec_.table, encode_row(record));
}

std::vector<Row> Model::encode_rows(const std::vector<Record>& records) const {
  std::vector<Row> rows;
  rows.reserve(records.size());
  for (const Record& record : records) rows.push_back(encode_row(record));
  return rows;
}

void Model::batch_create(const std::vector<Record>& records) {
  const auto rows = encode_rows(records);
  if (!rows.empty()) store_.put_many(spec_.table, rows);
}

void Model::bulk_load(const std::vector<Record>& records) {
  const auto rows = encode_rows(records);
  if (!rows.empty()) store_.load_many(spec_.table, rows);
}

bool Model::create_if_absent(const Record& record, std::string_view column) {
  column_field(column);
  return store_.check_and_put(spec_.table, encode_row(record), column, std::nullopt);
}

bool Model::update_if(const Record& record, std::string_view column, const FieldValue& expected) {
  return store_.check_and_put(spec_.table, encode_row(record), column,
                              encode_field(column_field(column), expected));
}

std::optional<Record> Model::get(const Record& key) {
  const std::string row_key = encode_key(spec_, key);
  std::optional<Columns> columns = store_.get(spec_.table, row_key);
  if (!columns) return std::nullopt;
  return decode_row(spec_, Row{row_key, std::move(*columns)});
}

std::vector<std::optional<Record>> Model::get_many(const std::vector<Record>& keys) {
  std::vector<std::string> row_keys;
  row_keys.reserve(keys.size());
  for (const Record& key : keys) row_keys.push_back(encode_key(spec_, key));
  if (row_keys.empty()) return {};
  std::vector<std::optional<Columns>> found = store_.get_many(spec_.table, row_keys);
  std::vector<std::optional<Record>> records;
  records.reserve(found.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i]) {
      records.emplace_back(decode_row(spec_, Row{row_keys[i], std::move(*found[i])}));
    } else {
      records.emplace_back(std::nullopt);
    }
  }
  return records;
}

std::vector<Record> Model::filter(const FilterArgs& args) {
  ScanRange range;
  range.limit = args.limit;
  range.reverse = args.reverse;

  auto [prefix, prefix_fields] = leading_key_parts(spec_, args.prefix);
  if (prefix_fields == spec_.key.size()) {
    intersect(range, prefix, just_after(prefix));  // a whole key: that row only
  } else if (prefix_fields != 0) {
    range.prefix = prefix + kKeySeparator;  // so "12" cannot match a string part "123"
  }

  const auto [start, start_fields] = leading_key_parts(spec_, args.start);
  const auto [stop, stop_fields] = leading_key_parts(spec_, args.stop);
  if (!args.reverse) {
    if (start_fields != 0) intersect(range, start, "");
    if (stop_fields != 0) intersect(range, "", stop);
  } else {
    if (start_fields != 0) intersect(range, "", just_after(start));
    if (stop_fields != 0) intersect(range, just_after(stop), "");
  }
  if (!range.high.empty() && range.high <= range.low) return {};

  std::vector<Record> records;
  for (const Row& row : store_.scan(spec_.table, range)) records.push_back(decode_row(spec_, row));
  return records;
}

void Model::remove(const Record& key) {
  store_.remove(spec_.table, encode_key(spec_, key));
}

void Model::remove_many(const std::vector<Record>& keys) {
  std::vector<std::string> row_keys;
  row_keys.reserve(keys.size());
  for (const Record& key : keys) row_keys.push_back(encode_key(spec_, key));
  if (!row_keys.empty()) store_.remove_many(spec_.table, row_keys);
}

bool Model::remove_if(const Record& key, std::string_view column, const FieldValue& expected) {
  return store_.check_and_remove(spec_.table, encode_key(spec_, key), column,
                                 encode_field(column_field(column), expected));
}

}  // namespace chirp::store::kv
