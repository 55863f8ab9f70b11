#pragma once
// Shared by the libFuzzer targets: a failed invariant aborts (libFuzzer saves the input), and the
// field readers every handler uses can be run over a parsed body.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "api/fields.hpp"
#include "common/text.hpp"
#include "domain/account_rules.hpp"
#include "http/body.hpp"

#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)

namespace chirp::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits `input` at the first '\n': the part before it and the rest.
inline std::pair<std::string_view, std::string_view> split_line(std::string_view input) {
  const auto eol = input.find('\n');
  if (eol == std::string_view::npos) return {input, {}};
  return {input.substr(0, eol), input.substr(eol + 1)};
}

// Reads the fields of SPEC's request bodies the way handlers do. Only ValidationError may escape
// (it becomes a 400 field-error envelope); any other exception is a finding.
inline void read_fields_like_handlers(const http::Input& input) {
  static constexpr std::string_view kTextFields[] = {
      "username", "email", "password", "content", "nickname", "content_type", "description"};
  static constexpr std::string_view kIntFields[] = {"tweet_id", "object_id", "percent"};
  static constexpr std::string_view kBoolFields[] = {"unread"};
  FieldErrors errors;
  for (const auto name : kTextFields) {
    if (const auto text = api::optional_text(input, name, errors)) {
      const http::FieldValue* value = input.get(name);
      FUZZ_CHECK(value != nullptr);
      if (value->kind == http::FieldKind::Text) {
        FUZZ_CHECK(is_valid_utf8(*text));
        FUZZ_CHECK(trim(*text) == *text);
      }
    }
    (void)api::optional_text(input, name, errors, api::Trim::No);
  }
  // Sign-up's request: the fields SPEC §3.2 validates, as the handler reads them.
  if (const auto username = api::required_text(input, "username", errors)) {
    (void)domain::username_errors(*username);
  }
  if (const auto email = api::optional_text(input, "email", errors)) {
    (void)domain::email_errors(*email);
  }
  if (const auto password = api::optional_text(input, "password", errors, api::Trim::No)) {
    (void)domain::password_errors(*password);
  }
  for (const auto name : kIntFields) (void)api::optional_int(input, name, errors);
  for (const auto name : kBoolFields) (void)api::optional_bool(input, name, errors);
  for (const auto& [name, messages] : errors) FUZZ_CHECK(!messages.empty());
  try {
    api::throw_if_any(errors);
  } catch (const ValidationError& error) {
    FUZZ_CHECK(!error.errors.empty());
  }
}

}  // namespace chirp::fuzz
