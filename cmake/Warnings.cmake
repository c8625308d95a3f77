# gp_warnings: every target of the project links it; GP_WERROR turns warnings into errors (CI).
add_library(gp_warnings INTERFACE)
target_compile_options(gp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
if(GP_WERROR)
  target_compile_options(gp_warnings INTERFACE -Werror)
endif()
