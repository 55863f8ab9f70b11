// The one translation unit that compiles Boost.JSON's out-of-line definitions (DESIGN.md §2). Every
// other file, in any library linking chirp_http, includes only <boost/json.hpp> headers.
#include <boost/json/src.hpp>
