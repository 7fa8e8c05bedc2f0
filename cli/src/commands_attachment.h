// Attachments in the CLI (docs/cli.md "Attachments"): sealing --attach
// files for send, saving received ones, and the reference blob store.
#ifndef CANDOR_CLI_COMMANDS_ATTACHMENT_H_
#define CANDOR_CLI_COMMANDS_ATTACHMENT_H_

#include <string>
#include <vector>

#include "args.h"
#include "candor/attachment/blob_store.h"
#include "candor/client/client.h"
#include "candor/protocol/json.h"

namespace candor::cli {

// Seals every --attach FILE (in order) with `device`, each blob written as
// a new file --blob-dir/<blob id>.blob (to upload with `candor blob put`).
// None without --attach; a usage error for --attach without --blob-dir.
Result<std::vector<client::SealedAttachment>> SealAttachFlags(client::Client& device,
                                                              const Args& args);
// [{…, "blob_file"}] for what send sealed.
std::string SealedJson(const std::vector<client::SealedAttachment>& sealed, const Args& args);
// The reference blob store named by `flag` (--retention-days applies);
// only `create` makes a missing one.
Result<attachment::BlobStore> OpenBlobStore(const Args& args, std::string_view flag, bool create);
// `dir`, created 0700 if missing.
Result<void> CreatePrivateDirectory(const std::string& dir, std::string_view flag);
// For receive --attachments-dir DIR --blob-store STORE: fetches, opens and
// saves every attachment of `message_id` as DIR/<id>-<n>-<name>; the
// per-attachment results, or an error naming the first that failed.
Result<std::string> SaveReceivedAttachments(client::Client& device, const Args& args,
                                            int64_t message_id,
                                            const std::vector<protocol::AttachmentInfo>& list);

}  // namespace candor::cli

#endif  // CANDOR_CLI_COMMANDS_ATTACHMENT_H_
