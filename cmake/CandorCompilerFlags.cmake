# Warning, sanitizer and fuzzing flags. Warnings are applied per candor target
# (candor_target_warnings) so third-party headers are not held to them;
# sanitizers apply to the whole build so every object is instrumented alike.

function(candor_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                         -Wshadow -Wconversion -Wno-sign-conversion)
  if(CANDOR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(CANDOR_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CANDOR_FUZZ needs clang (the fuzz preset uses clang-14)")
  endif()
  # fuzzer-no-link instruments every object; only fuzz targets link the
  # libFuzzer main (-fsanitize=fuzzer). CANDOR_FUZZING_BUILD is the single
  # switch for fuzz-only code paths and can only be set here.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(CANDOR_FUZZING_BUILD=1)
  set(CANDOR_SANITIZE ON)
elseif(CANDOR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()

# One library target per module: candor_<name> with alias candor::<name>,
# public headers in <module>/include, private ones in <module>/src.
function(candor_add_module name)
  add_library(candor_${name} ${ARGN})
  add_library(candor::${name} ALIAS candor_${name})
  target_include_directories(candor_${name}
    PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_features(candor_${name} PUBLIC cxx_std_20)
  candor_target_warnings(candor_${name})
endfunction()
