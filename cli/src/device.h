// Opening this device's store for a CLI command: the key from the
// environment, the system's randomness and clock.
#ifndef CANDOR_CLI_DEVICE_H_
#define CANDOR_CLI_DEVICE_H_

#include <string>

#include "candor/client/client.h"
#include "candor/crypto/result.h"
#include "egress_log.h"

namespace candor::cli {

client::Clock& CliClock();
// `egress_log` (may be null) receives the records of what the client hands out.
Result<client::Client> OpenDevice(const std::string& db_path, EgressLog* egress_log = nullptr);

}  // namespace candor::cli

#endif  // CANDOR_CLI_DEVICE_H_
