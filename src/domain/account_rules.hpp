#pragma once
// Validation rules of SPEC §3.2 for sign-up fields. Inputs are already trimmed where SPEC says so;
// each function returns the messages for one field (empty when valid).
#include <string>
#include <string_view>
#include <vector>

namespace chirp::domain {

std::vector<std::string> username_errors(std::string_view username);
std::vector<std::string> email_errors(std::string_view email);
std::vector<std::string> password_errors(std::string_view password);

// Shape check for an e-mail address (what Django's EmailValidator accepts, minus IP-literal domains).
bool is_valid_email(std::string_view email);

// "Ensure this field has at least N characters." and its siblings, shared by every validator.
std::string min_length_message(std::size_t n);
std::string max_length_message(std::size_t n);

inline constexpr std::string_view kRequired = "This field is required.";
inline constexpr std::string_view kBlank = "This field may not be blank.";
inline constexpr std::string_view kNotAString = "Not a valid string.";

}  // namespace chirp::domain
