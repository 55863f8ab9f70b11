#include "domain/account_rules.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace chirp::domain {
namespace {

constexpr std::size_t kUsernameMin = 6, kUsernameMax = 20;
constexpr std::size_t kPasswordMin = 6, kPasswordMax = 20;
constexpr std::size_t kEmailMax = 254;

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_dot_atom_char(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-";
  return is_ascii_alnum(c) || kSpecials.find(c) != std::string_view::npos;
}

bool is_valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') return false;
  char prev = 0;
  for (char c : local) {
    if (c == '.' && prev == '.') return false;
    if (c != '.' && !is_dot_atom_char(c)) return false;
    prev = c;
  }
  return true;
}

bool is_valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t labels = 0;
  std::string_view last_label;
  while (!domain.empty()) {
    auto dot = domain.find('.');
    std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_ascii_alnum(c) || c == '-'; }))
      return false;
    ++labels;
    last_label = label;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
    if (domain.empty()) return false;  // trailing dot
  }
  // A top-level domain of at least two letters, like Django requires.
  return labels >= 2 && last_label.size() >= 2 &&
         std::all_of(last_label.begin(), last_label.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

void check_length(std::string_view value, std::size_t min, std::size_t max,
                  std::vector<std::string>& errors) {
  auto n = code_point_length(value);
  if (n < min) errors.push_back(min_length_message(min));
  if (n > max) errors.push_back(max_length_message(max));
}

}  // namespace

std::string min_length_message(std::size_t n) {
  return "Ensure this field has at least " + std::to_string(n) + " characters.";
}

std::string max_length_message(std::size_t n) {
  return "Ensure this field has no more than " + std::to_string(n) + " characters.";
}

bool is_valid_email(std::string_view email) {
  if (email.size() > kEmailMax) return false;
  auto at = email.rfind('@');
  if (at == std::string_view::npos) return false;
  return is_valid_local_part(email.substr(0, at)) && is_valid_domain(email.substr(at + 1));
}

std::vector<std::string> username_errors(std::string_view username) {
  std::vector<std::string> errors;
  if (username.empty()) return {std::string(kBlank)};
  check_length(username, kUsernameMin, kUsernameMax, errors);
  bool charset_ok = std::all_of(username.begin(), username.end(),
                                [](char c) { return is_ascii_alnum(c) || c == '_'; });
  if (!charset_ok) errors.emplace_back("Username may contain only letters, digits and underscores.");
  return errors;
}

std::vector<std::string> email_errors(std::string_view email) {
  if (email.empty()) return {std::string(kBlank)};
  if (!is_valid_email(email)) return {"Enter a valid email address."};
  return {};
}

std::vector<std::string> password_errors(std::string_view password) {
  std::vector<std::string> errors;
  if (password.empty()) return {std::string(kBlank)};
  check_length(password, kPasswordMin, kPasswordMax, errors);
  return errors;
}

}  // namespace chirp::domain
