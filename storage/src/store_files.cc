#include "store_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace candor::storage::internal {
namespace {

Result<void> SyncOpened(const char* name, int flags, const std::string& what) {
  const int fd = ::open(name, flags | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error(Errc::kNotFound, what + ": no such file");
    return Error(Errc::kStorageFailed, "open " + what + " to sync it: " + std::strerror(errno));
  }
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return Error(Errc::kStorageFailed, "fsync of " + what + ": " + std::strerror(saved));
  return Ok();
}

}  // namespace

Result<void> CreateExclusively(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    // The file name only (the store's, or the upgrade's "-v4" copy): which
    // one failed, without the directory.
    const std::string name = std::filesystem::path(path).filename().string();
    if (errno == EEXIST) return Error(Errc::kAlreadyExists, "a file already exists: " + name);
    return Error(Errc::kStorageFailed, "cannot create " + name + ": " + std::strerror(errno));
  }
  ::close(fd);
  return Ok();
}

void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    std::filesystem::remove(path + suffix, ignored);
  }
}

Result<void> SyncFile(const std::string& path, const char* what) {
  return SyncOpened(path.c_str(), O_RDONLY, what);
}

Result<void> SyncDirectoryOf(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return SyncOpened(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY,
                    "the store's directory");
}

}  // namespace candor::storage::internal
