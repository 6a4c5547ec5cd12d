# Interface targets that carry warnings and sanitizer flags; every traitlab
# target links them PRIVATE so no global flag strings are needed.
add_library(traitlab_warnings INTERFACE)
target_compile_options(traitlab_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare>)

add_library(traitlab_sanitize INTERFACE)
if(TRAITLAB_SANITIZE)
  target_compile_options(traitlab_sanitize INTERFACE
    -fsanitize=${TRAITLAB_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(traitlab_sanitize INTERFACE -fsanitize=${TRAITLAB_SANITIZE})
endif()

# traitlab_library(name dir DEPS a b ...): a static library of every .cpp
# under dir (one concept per file, so a new file needs no CMake edit),
# linking its DEPS publicly. core's precompiled-header list is PUBLIC, so
# each target builds its own PCH with its own flags (REUSE_FROM is rejected
# by gcc when -fPIC or defines differ, and every file then re-parses torch).
# An empty folder gives an INTERFACE target, so the layer graph stays whole.
function(traitlab_library name dir)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE _srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(NOT _srcs)
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(${name} STATIC ${_srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE traitlab_warnings traitlab_sanitize)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
