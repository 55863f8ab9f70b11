#pragma once
// argon2id password hashing (libsodium). Verification of an unknown user runs against a dummy hash
// of the same cost, so a login takes the same time whether or not the user exists (SPEC §3.3).
#include <string>
#include <string_view>

namespace chirp::domain {

enum class PasswordCost { Min, Interactive, Moderate };

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost);
  std::string hash(std::string_view password) const;
  bool verify(std::string_view hash, std::string_view password) const;
  // Spends the time of one verification and returns false.
  bool verify_against_dummy(std::string_view password) const;

 private:
  unsigned long long opslimit_;
  std::size_t memlimit_;
  std::string dummy_hash_;
};

}  // namespace chirp::domain
