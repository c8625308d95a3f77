# gp_sanitizers: address + undefined-behaviour sanitizers when GP_SANITIZE is on.
add_library(gp_sanitizers INTERFACE)
if(GP_SANITIZE)
  target_compile_options(gp_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(gp_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
