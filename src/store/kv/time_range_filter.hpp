#pragma once
// Turns a domain::TimeRange (newest first; `after` → the newest `limit` items strictly newer,
// `before` → strictly older) into a reverse model filter, for lists keyed
// owner : created_at [: tie-breaking integer id] (followers, followings, news feeds).
#include <optional>

#include "domain/timeline.hpp"
#include "store/kv/model.hpp"

namespace chirp::store::kv {

// `owner` holds the first key field. nullopt when no row can lie in the range (limit 0, before
// <= 0, after beyond the largest encodable time).
std::optional<FilterArgs> newest_first_filter(const ModelSpec& spec, const Record& owner,
                                              const domain::TimeRange& range);

}  // namespace chirp::store::kv
