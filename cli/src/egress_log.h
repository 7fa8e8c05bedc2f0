// --egress-log FILE: the egress guard's records of what a command handed
// out, appended as JSON lines (protocol::EgressRecordToJson) once the
// command's outputs are written. Records name channels, message types,
// fields and sizes — never values. `candor audit --log FILE` checks them.
#ifndef CANDOR_CLI_EGRESS_LOG_H_
#define CANDOR_CLI_EGRESS_LOG_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "candor/crypto/result.h"
#include "candor/protocol/egress.h"

namespace candor::cli {

class EgressLog {
 public:
  explicit EgressLog(std::optional<std::string> path) : path_(std::move(path)) {}
  EgressLog(const EgressLog&) = delete;
  EgressLog& operator=(const EgressLog&) = delete;

  // For ClientOptions::egress_observer; empty when no log was asked for.
  std::function<void(const protocol::EgressRecord&)> Observer();
  // For records made outside a client (the relay's).
  void Add(const protocol::EgressRecord& record) {
    if (path_) records_.push_back(record);
  }
  // Appends the records collected so far (the file is created 0600).
  Result<void> Flush();

 private:
  std::optional<std::string> path_;
  std::vector<protocol::EgressRecord> records_;
};

}  // namespace candor::cli

#endif  // CANDOR_CLI_EGRESS_LOG_H_
