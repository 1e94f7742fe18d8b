# FindMimetic
# -----------
# Debian's libmimetic-dev ships neither a CMake package nor a pkg-config file.
# Result: the imported target Mimetic::Mimetic and Mimetic_FOUND, Mimetic_INCLUDE_DIR,
# Mimetic_LIBRARY.

find_path(Mimetic_INCLUDE_DIR NAMES mimetic/mimetic.h)
find_library(Mimetic_LIBRARY NAMES mimetic)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Mimetic REQUIRED_VARS Mimetic_LIBRARY Mimetic_INCLUDE_DIR)

if(Mimetic_FOUND AND NOT TARGET Mimetic::Mimetic)
    add_library(Mimetic::Mimetic UNKNOWN IMPORTED)
    set_target_properties(Mimetic::Mimetic PROPERTIES
        IMPORTED_LOCATION "${Mimetic_LIBRARY}"
        # SYSTEM: warnings inside mimetic's headers are not ours to fix.
        INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${Mimetic_INCLUDE_DIR}"
        INTERFACE_INCLUDE_DIRECTORIES "${Mimetic_INCLUDE_DIR}")
endif()
mark_as_advanced(Mimetic_INCLUDE_DIR Mimetic_LIBRARY)
