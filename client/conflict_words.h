// Conflicts in plain words for the worker who made one of the two edits:
//   "王社工 5月3日 把人数改成 4；你改成 3（未被采用）"
// Device ids become names through the town's directory (cached at sync), dates are Shanghai
// local days, field groups get their Chinese (or English) names and values a few words.
// No anchor system shows conflicts to the field worker at all (see the field-collection notes,
// §5.4): here the worker learns, on the device, that a value of theirs did not stand and why.
#pragma once

#include <string>

#include "client/local_store.h"
#include "shared/json_util.h"

namespace shefu::client {

struct ConflictWordsContext {
  std::string me;           // this device's client id
  Json directory;           // {"c_…": "王社工"}
  std::string server_name;  // what to call staff writes
  Lang lang = Lang::kZh;
};

// "lost", "won", "refused" (this device's write was refused) or "none".
std::string ConflictRole(const StoredConflict& c, const std::string& me);
// The person behind a node id: 你 / you, a directory name, 镇街工作人员, or 另一台设备（c_…）.
std::string NodeName(const std::string& node, const ConflictWordsContext& ctx);
std::string ConflictText(const StoredConflict& c, const ConflictWordsContext& ctx);
// The C API's conflict object (include/shefu/shefu.h, shefu_conflicts).
Json ConflictJson(const StoredConflict& c, const ConflictWordsContext& ctx);

}  // namespace shefu::client
