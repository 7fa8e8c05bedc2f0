# Third-party libraries, all from Debian packages (scripts/setup.sh installs
# them). Each becomes an imported target that modules link PRIVATE.

find_package(PkgConfig REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
find_package(Protobuf 3.21 REQUIRED)
# SQLCipher, never plain SQLite: sources include <sqlcipher/sqlite3.h> with
# SQLITE_HAS_CODEC defined (pkg-config does not define it).
pkg_check_modules(sqlcipher REQUIRED IMPORTED_TARGET sqlcipher)
