#pragma once
// Random keys for sessions, tokens and CSRF, and the one-way hash under which keys are stored.
#include <cstddef>
#include <string>
#include <string_view>

namespace chirp::domain {

// `bytes` random bytes from libsodium's CSPRNG, hex-encoded (so 2*bytes characters).
std::string random_hex(std::size_t bytes);

// BLAKE2b-256 of `key`, hex-encoded: what the session and token tables store.
std::string hash_key(std::string_view key);

// Constant-time equality for secrets compared against client input.
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace chirp::domain
