// Private to storage/: what the store does to its files beside SQLite —
// create one exclusively, delete one with its companions, and the fsyncs
// SQLite's API does not reach (the WAL after a synced commit under NORMAL,
// the upgraded store before and after its rename).
#ifndef CANDOR_STORAGE_SRC_STORE_FILES_H_
#define CANDOR_STORAGE_SRC_STORE_FILES_H_

#include <string>

#include "candor/crypto/result.h"

namespace candor::storage::internal {

// Creates an empty file at `path`, mode 0600 (SQLite gives the -wal and -shm
// files the database file's mode), atomically: if anything exists there
// (even a store another process made a moment ago) this fails with
// kAlreadyExists and touches nothing.
Result<void> CreateExclusively(const std::string& path);

// Deletes the database file at `path` and its -wal, -shm and -journal
// files, ignoring any that are missing.
void RemoveDatabaseFiles(const std::string& path);

// fsync of the file at `path` through a descriptor of our own (fsync through
// any descriptor flushes the file). kNotFound if it does not exist.
Result<void> SyncFile(const std::string& path, const char* what);

// fsync of the directory holding `path`: a created or renamed file is durable
// only once its directory entry is.
Result<void> SyncDirectoryOf(const std::string& path);

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_STORE_FILES_H_
