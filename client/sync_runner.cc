#include "client/sync_runner.h"

#include "client/curl_transport.h"
#include "sync/device_store.h"
#include "sync/session.h"

namespace shefu::client {

SyncReport RunSync(LocalStore& store, HttpClient& http, Clock& clock, Rng& rng,
                   const SyncOptions& opt, const ProgressFn& progress) {
  CurlTransport transport(http, clock);
  sync::RealSleeper sleeper;
  sync::SessionOptions so;
  so.max_attempts = opt.attempts;
  so.upload_batch = opt.batch;
  so.backoff_base_ms = opt.backoff_base_ms;
  sync::SyncSession session(store.engine(), transport, rng, sleeper, so);

  auto pending = store.PendingCount();
  const int64_t total = pending.ok() ? *pending : -1;
  int retries = 0;
  if (progress) {
    session.set_progress([&](const sync::Progress& p) {
      switch (p.to) {
        case sync::SessionState::kUpload:
          if (p.from != sync::SessionState::kBackoff) retries = 0;
          progress("upload", p.summary.uploaded, total);
          break;
        case sync::SessionState::kUploadAnon:
          progress("anon", p.summary.anon_batches, -1);
          break;
        case sync::SessionState::kDownload:
          progress("download", p.summary.downloaded, -1);
          break;
        case sync::SessionState::kBackoff:
          progress("retry", ++retries, opt.attempts);
          break;
        case sync::SessionState::kDone:
          progress("done", p.summary.uploaded, total);
          break;
        default:
          break;
      }
    });
  }
  sync::SyncSummary s = session.Run();

  SyncReport r;
  r.uploaded = s.uploaded;
  r.downloaded = s.downloaded;
  r.conflicts = s.conflicts;
  r.flagged = s.flagged;
  r.anon_batches = s.anon_batches;
  r.clock_offset_ms = transport.clock_offset_ms();
  for (const sync::Rejection& j : s.rejected)
    r.rejected.push_back(SyncRejection{j.entity, j.id, j.group, j.code, j.detail, j.message});
  switch (s.final_state) {
    case sync::SessionState::kDone:
      r.result = r.rejected.empty() ? "ok" : "rejected";
      break;
    case sync::SessionState::kNeedsReenrolment:
      r.result = "reenrol";
      r.error =
          Status::Error("needs_reenrolment",
                        "此设备需要重新登记：请向镇街工作人员申请新的注册码，再运行 shefu enrol；"
                        "未上传的记录会保留并在重新登记后上传",
                        "this device must be enrolled again: ask town staff for a new code "
                        "and run shefu enrol; unsent records are kept and go up afterwards");
      break;
    case sync::SessionState::kUpgradeRequired:
      r.result = "upgrade";
      r.error = s.error;
      break;
    default:
      r.error = s.error;
      if (r.error.code() == "transport_error" && !transport.last_failure().ok())
        r.error = transport.last_failure();  // says what exactly failed
      r.result = r.error.code() == "device_revoked" ? "revoked" : "failed";
      break;
  }
  return r;
}

}  // namespace shefu::client
