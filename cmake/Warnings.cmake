# gp_warnings: every target of the project links it; GP_WERROR turns warnings into errors (CI).
add_library(gp_warnings INTERFACE)
target_compile_options(gp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
# GCC 12 reports std::string concatenation at -O3 as overlapping memcpy (GCC bug 105651).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
  target_compile_options(gp_warnings INTERFACE -Wno-restrict)
endif()
if(GP_WERROR)
  target_compile_options(gp_warnings INTERFACE -Werror)
endif()
