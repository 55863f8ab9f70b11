#pragma once
// How RocksDbStore keeps a whole row in one RocksDB value, so that get and scan read a row with a
// single lookup: for each column in qualifier order, varint(length) qualifier varint(length) value.
#include <string>
#include <string_view>

#include "store/kv/wide_column_store.hpp"

namespace chirp::store::kv {

std::string encode_row_value(const Columns& columns);
// Throws std::runtime_error when `value` is not an encoding produced by encode_row_value.
Columns decode_row_value(std::string_view value);

}  // namespace chirp::store::kv
