#pragma once
// Query-string and application/x-www-form-urlencoded decoding ('+' is a space, %XX escapes).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chirp::http {

// Decodes %XX and '+'. Malformed escapes are kept literally (as browsers and Django do).
std::string url_decode(std::string_view s);

// Decodes %XX only ('+' stays '+'), as for URL paths. Malformed escapes are kept literally.
std::string percent_decode(std::string_view s);

class QueryParams {
 public:
  QueryParams() = default;
  explicit QueryParams(std::string_view raw_query);

  // The last value of `name`, as Django's QueryDict.get returns it.
  std::optional<std::string> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace chirp::http
