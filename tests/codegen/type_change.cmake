# cmake -DSOULSTONE=bin -DSCHEMA=file -DPROGRAM=file.cpp -DOUT=dir -DCXX=compiler -DINCLUDE=src -P type_change.cmake
#
# Issue 8, point 3: a program written against the schema compiles against
# its client; after Product.stock changes from Int to String in a copy of the
# schema and the client is regenerated, the same program must fail to
# compile, and the compiler must say where (the use of `stock`).
function(generate_and_compile schema folder result errors)
  execute_process(COMMAND ${SOULSTONE} generate --schema ${schema} --output ${folder}
    RESULT_VARIABLE status ERROR_VARIABLE generate_errors OUTPUT_QUIET)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "soulstone generate failed for ${schema}:\n${generate_errors}")
  endif()
  execute_process(
    COMMAND ${CXX} -std=c++20 -Wall -Wextra -Werror -fsyntax-only -I${folder} -I${INCLUDE} ${PROGRAM}
    RESULT_VARIABLE status ERROR_VARIABLE compile_errors)
  set(${result} ${status} PARENT_SCOPE)
  set(${errors} "${compile_errors}" PARENT_SCOPE)
endfunction()

generate_and_compile(${SCHEMA} ${OUT}/original status errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the program does not compile against the original schema's client:\n${errors}")
endif()

file(READ ${SCHEMA} text)
set(before "stock       Int            @default(0)")
set(after "stock       String         @default(\"0\")")
string(FIND "${text}" "${before}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "Product.stock is no longer declared as `${before}`: update this test")
endif()
string(REPLACE "${before}" "${after}" text "${text}")
file(WRITE ${OUT}/changed/schema.prisma "${text}")

generate_and_compile(${OUT}/changed/schema.prisma ${OUT}/changed status errors)
if(status EQUAL 0)
  message(FATAL_ERROR "the program still compiles after Product.stock became a String")
endif()
if(NOT errors MATCHES "product\\.stock")
  message(FATAL_ERROR "the compiler failed, but not at the use of stock:\n${errors}")
endif()
message(STATUS "the program fails to compile after the type change, at the use of stock, as it must")
