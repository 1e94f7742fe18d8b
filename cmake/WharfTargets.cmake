# Compiler settings shared by every Wharf target.

option(WHARF_WERROR "Treat compiler warnings as errors (on by default in CI)" $ENV{CI})
option(WHARF_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(WHARF_FUZZ "Build the libFuzzer targets under tests/fuzz (needs clang)" OFF)

add_library(wharf_build_flags INTERFACE)
target_compile_options(wharf_build_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2
    -Wimplicit-fallthrough)
if(WHARF_WERROR)
    target_compile_options(wharf_build_flags INTERFACE -Werror)
endif()
# Bytes and text never mix by accident (as in Trojita's protocol code).
target_compile_definitions(wharf_build_flags INTERFACE QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII QT_NO_CAST_FROM_BYTEARRAY QT_NO_URL_CAST_FROM_STRING
    QT_NO_KEYWORDS)

if(WHARF_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

if(WHARF_FUZZ)
    # Instrument every library for coverage; the targets add the libFuzzer main.
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()

# wharf_add_library(NAME <target> SOURCES ... LINKS ...)
# One static library per layer; LINKS lists the only layers it may use.
function(wharf_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LINKS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_link_libraries(${name} PUBLIC ${ARG_LINKS} PRIVATE wharf_build_flags)
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()
