# cmake -DSOULSTONE=bin -DSCHEMA=file -DOUT=dir -DCXX=compiler -DINCLUDE=src -P compile_client.cmake
#
# Generates the client of one schema and compiles it with -Wall -Wextra
# -Werror (issue 8, point 2). Fails with the generator's or the compiler's
# message. The compiler runs its full analysis (templates instantiated,
# every warning of -Wall -Wextra) but emits no code (-fsyntax-only): that
# keeps eight large clients within a minute or two of the suite; the
# Soulstone client is compiled to code and linked by the build itself.
execute_process(COMMAND ${SOULSTONE} generate --schema ${SCHEMA} --output ${OUT}
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "soulstone generate failed for ${SCHEMA} (exit ${status}):\n${errors}")
endif()
execute_process(
  COMMAND ${CXX} -std=c++20 -Wall -Wextra -Werror -fsyntax-only ${OUT}/client.cpp -I${INCLUDE}
  RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the client generated for ${SCHEMA} does not compile:\n${errors}")
endif()
message(STATUS "the client generated for ${SCHEMA} compiles")
