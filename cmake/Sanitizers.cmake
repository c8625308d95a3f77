# gp_sanitizers: address + undefined-behaviour sanitizers when GP_SANITIZE is on.
add_library(gp_sanitizers INTERFACE)
if(GP_SANITIZE)
  target_compile_options(gp_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(gp_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
# GP_FUZZ: the library instrumented for libFuzzer's coverage, with both sanitizers; each target of
# fuzz/ links the fuzzer's runtime (-fsanitize=fuzzer).
if(GP_FUZZ)
  target_compile_options(gp_sanitizers INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(gp_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
