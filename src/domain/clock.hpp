#pragma once
#include "common/time.hpp"

namespace chirp::domain {

// The current time in microseconds, strictly greater than any value this process returned before:
// two tweets (or follows) made in the same microsecond still get distinct times (SPEC §1.6).
// Across processes the stores' unique indexes settle clashes the same way (one microsecond later).
Micros unique_now();

}  // namespace chirp::domain
