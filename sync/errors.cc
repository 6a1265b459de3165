#include "sync/errors.h"

namespace shefu::sync {
namespace {

const ErrorSpec kErrors[] = {
    {kBadRequest,
     400,
     Action::kReject,
     {"请求格式错误，未保存任何内容", "malformed request; nothing was stored"}},
    {kProtocolUnsupported,
     426,
     Action::kReject,
     {"同步协议版本不受支持，请升级 shefu",
      "sync protocol or schema version not supported; upgrade shefu"}},
    {kUnauthenticated, 401, Action::kReject, {"未登录或设备凭证无效", "not authenticated"}},
    {kClientMismatch,
     403,
     Action::kReject,
     {"请求中的设备编号与凭证不符", "client id does not match the device credentials"}},
    {kBatchTooLarge, 413, Action::kReject, {"一批数据过多", "too many changes in one batch"}},
    {kExpectedSeq,
     409,
     Action::kRetry,
     {"服务器缺少此前的变更，请从指定序号重新发送",
      "the server is missing earlier changes; resend from expected_seq"}},
    {kSeqReuse,
     409,
     Action::kReset,
     {"序号已用于其他内容（设备可能从旧备份恢复），需要重新登记设备",
      "sequence numbers reused with different content (device restored from an old backup); "
      "re-enrol"}},
    {kResetRequired,
     409,
     Action::kReset,
     {"服务器数据已恢复或范围已变更，需要重新同步",
      "server store restored or scope changed; re-bootstrap"}},
    {kServerBusy, 503, Action::kRetry, {"服务器繁忙，请稍后重试", "server busy; retry later"}},
    {kInternal,
     500,
     Action::kRetry,
     {"服务器内部错误，未保存任何内容", "internal server error; nothing was stored"}},
};

}  // namespace

const char* ActionCode(Action a) {
  switch (a) {
    case Action::kRetry:
      return "retry";
    case Action::kReset:
      return "reset";
    case Action::kReject:
      return "reject";
    case Action::kReview:
      return "review";
  }
  return "reject";
}

std::optional<Action> ParseAction(std::string_view code) {
  for (Action a : {Action::kRetry, Action::kReset, Action::kReject, Action::kReview})
    if (code == ActionCode(a)) return a;
  return std::nullopt;
}

const ErrorSpec* FindError(std::string_view code) {
  for (const auto& e : kErrors)
    if (code == e.code) return &e;
  return nullptr;
}

const ErrorSpec* ErrorCatalogue(size_t* count) {
  *count = sizeof kErrors / sizeof kErrors[0];
  return kErrors;
}

Status ProtocolError(std::string_view code, std::string_view detail_zh,
                     std::string_view detail_en) {
  const ErrorSpec* e = FindError(code);
  if (!e) e = FindError(kInternal);
  std::string zh = e->message.zh, en = e->message.en;
  if (!detail_zh.empty()) zh += "：" + std::string(detail_zh);
  if (!detail_en.empty()) en += ": " + std::string(detail_en);
  return Status::Error(e->code, zh, en);
}

Action ActionFor(std::string_view code) {
  const ErrorSpec* e = FindError(code);
  return e ? e->action : Action::kReject;
}

}  // namespace shefu::sync
