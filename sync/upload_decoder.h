// The upload request straight from its bytes: one pass from the body text to an UploadRequest,
// without building a JSON document of the whole request first.
//
// Why: the server's merge spent more time in nlohmann's DOM parse of upload bodies (about 40k
// instructions per change) than in the merge itself. An upload is a flat, machine-written
// message: one object, an array of change objects, each holding a small value object. This
// decoder reads exactly that shape and builds only what the merge keeps — each change's fields,
// its value (as a Json, for validation) and the value's canonical text, which is the input's own
// bytes whenever they are already canonical (what every device sends).
//
// Invariant: it never decides anything the two-step path (ParseMessage + DecodeUploadRequest,
// wire.h) would decide differently. The fast path accepts only well-formed requests in the form
// devices write; anything else — an error of any kind, an escape in a string, a fraction or a
// huge number, a repeated or unknown key, deep nesting — is handed to the two-step path, which
// gives the result or the typed error. So errors and their wording live in one place (wire.cc),
// and tests/sync/upload_decoder_test.cc checks that both paths agree on random and mutated
// bodies (also fuzzed: tests/fuzz/fuzz_entries.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/wire.h"

namespace shefu::sync {

struct DecodedUpload {
  UploadRequest request;
  VersionPolicy spoke;  // the versions the request spoke (to answer in), as ReplyVersions
  bool fast = false;    // decoded by the one-pass path (for tests and the benchmark)
  // Per change, filled by SyncServer::PrepareUpload before the write transaction (on the
  // request's own thread): its content hash and its value's validation. Empty: not prepared.
  std::vector<uint64_t> hashes;
  std::vector<Status> validated;
  std::vector<std::optional<std::string>> rkeys;  // unique key / counter target (RecordKey)
};

// Body text -> upload request, or the typed error of DecodeUploadRequest / ParseMessage.
Result<DecodedUpload> DecodeUploadBody(std::string_view body, const VersionPolicy& v = {});

}  // namespace shefu::sync
