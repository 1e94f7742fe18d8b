# Helpers for integration tests that talk to the real servers of tests/servers/.
#
# tests/CMakeLists.txt includes this module before its add_subdirectory() calls, so that
# every test directory sees the variables and the function:
#
#   include(${CMAKE_CURRENT_SOURCE_DIR}/servers/WharfIntegration.cmake)
#   add_subdirectory(servers)   # the fixtures: pki, dovecot, postfix, vsftpd, pyftpdlib
#   add_subdirectory(integration)
#
# Variables (normal, not cached):
#   WHARF_TEST_STATE_DIR  /tmp/wharf-<8 hex of MD5(CMAKE_BINARY_DIR)>: where the servers
#                         run and write <name>.env (short: Dovecot's sockets live below it)
#   WHARF_TEST_PKI_DIR    ${WHARF_TEST_STATE_DIR}/pki: ca.pem, server.pem, ... (see
#                         make-test-pki.sh)
#   WHARF_PYTHON3         Debian's python3 (the smoke tests use it)
#
# wharf_add_integration_test(NAME <name> COMMAND <cmd> [<arg>...]
#                            [FIXTURES <fixture>...] [KEYRING]
#                            [ENVIRONMENT <VAR=value>...] [LABELS <label>...]
#                            [RESOURCE_LOCK <lock>...] [TIMEOUT <seconds>]
#                            [WORKING_DIRECTORY <dir>])
#   Adds a ctest test labelled "integration" that requires the fixtures "pki;<fixtures>"
#   (dovecot, postfix, vsftpd, pyftpdlib) and runs with
#     WHARF_TEST_SERVERS=<state dir>  read <state dir>/<server>.env for ports/users
#     WHARF_TEST_PKI=<pki dir>        trust ca.pem; other-ca.pem for negative tests
#     QT_QPA_PLATFORM=offscreen LANG=C.UTF-8
#   KEYRING runs the command inside with-keyring.sh (private D-Bus session bus with an
#   unlocked gnome-keyring, temporary HOME).  A target name as first COMMAND word is
#   replaced by its executable, as add_test() does.  Default TIMEOUT: 300 s.

# The state dir is derived from the build dir, so that two build trees never share servers
# and every scope computes the same value.
function(wharf_test_state_dir out_var)
    string(MD5 hash "${CMAKE_BINARY_DIR}")
    string(SUBSTRING "${hash}" 0 8 hash)
    set(${out_var} "/tmp/wharf-${hash}" PARENT_SCOPE)
endfunction()

wharf_test_state_dir(WHARF_TEST_STATE_DIR)
set(WHARF_TEST_PKI_DIR "${WHARF_TEST_STATE_DIR}/pki")
# Prefer Debian's interpreter over shims (pyenv, venvs) that may come first in PATH.
find_program(WHARF_PYTHON3 NAMES python3 HINTS /usr/bin DOC "python3 for the server smoke tests")

function(wharf_add_integration_test)
    cmake_parse_arguments(PARSE_ARGV 0 arg "KEYRING"
        "NAME;TIMEOUT;WORKING_DIRECTORY"
        "COMMAND;FIXTURES;ENVIRONMENT;LABELS;RESOURCE_LOCK")
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "wharf_add_integration_test: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT arg_NAME OR NOT arg_COMMAND)
        message(FATAL_ERROR "wharf_add_integration_test: NAME and COMMAND are required")
    endif()

    wharf_test_state_dir(state_dir)
    set(servers_dir "${CMAKE_CURRENT_FUNCTION_LIST_DIR}")

    set(command ${arg_COMMAND})
    list(GET command 0 program)
    if(TARGET "${program}")
        list(REMOVE_AT command 0)
        list(PREPEND command "$<TARGET_FILE:${program}>")
    endif()
    if(arg_KEYRING)
        list(PREPEND command "${servers_dir}/with-keyring.sh")
    endif()

    set(working_directory)
    if(arg_WORKING_DIRECTORY)
        set(working_directory WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}")
    endif()
    add_test(NAME "${arg_NAME}" COMMAND ${command} ${working_directory})

    set(timeout 300)
    if(arg_TIMEOUT)
        set(timeout ${arg_TIMEOUT})
    endif()
    set(environment
        "WHARF_TEST_SERVERS=${state_dir}"
        "WHARF_TEST_PKI=${state_dir}/pki"
        "QT_QPA_PLATFORM=offscreen"
        "LANG=C.UTF-8"
        ${arg_ENVIRONMENT})
    set(labels integration ${arg_LABELS})
    set(fixtures pki ${arg_FIXTURES})
    set_tests_properties("${arg_NAME}" PROPERTIES
        LABELS "${labels}"
        FIXTURES_REQUIRED "${fixtures}"
        ENVIRONMENT "${environment}"
        TIMEOUT ${timeout})
    if(arg_RESOURCE_LOCK)
        set_tests_properties("${arg_NAME}" PROPERTIES RESOURCE_LOCK "${arg_RESOURCE_LOCK}")
    endif()
endfunction()
