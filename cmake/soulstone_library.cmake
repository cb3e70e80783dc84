# soulstone_library(NAME name SOURCES ... DEPS ... [PRIVATE_DEPS ...])
#
# One module = one folder under src/ = one static library `soulstone_<name>`
# with the alias `soulstone::<name>`. Public headers are included as
# "<module>/<header>.hpp" because src/ is the include root.
function(soulstone_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target soulstone_${ARG_NAME})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(soulstone::${ARG_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wno-missing-field-initializers)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()
