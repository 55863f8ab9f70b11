#include "domain/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

namespace chirp::domain {
namespace {

void ensure_sodium() {
  // sodium_init is idempotent and thread-safe; it returns 1 when already initialised.
  if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordCost cost) {
  ensure_sodium();
  switch (cost) {
    case PasswordCost::Min:
      opslimit_ = crypto_pwhash_OPSLIMIT_MIN;
      memlimit_ = crypto_pwhash_MEMLIMIT_MIN;
      break;
    case PasswordCost::Interactive:
      opslimit_ = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      memlimit_ = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    case PasswordCost::Moderate:
      opslimit_ = crypto_pwhash_OPSLIMIT_MODERATE;
      memlimit_ = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
  }
  dummy_hash_ = hash("chirp-dummy-password");
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return out;
}

bool PasswordHasher::verify(std::string_view hash, std::string_view password) const {
  std::string stored(hash);  // crypto_pwhash_str_verify needs a NUL-terminated string
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::verify_against_dummy(std::string_view password) const {
  (void)verify(dummy_hash_, password);
  return false;
}

}  // namespace chirp::domain
