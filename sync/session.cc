#include "sync/session.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace shefu::sync {

const char* SessionStateName(SessionState s) {
  switch (s) {
    case SessionState::kStart:
      return "start";
    case SessionState::kUpload:
      return "upload";
    case SessionState::kRewind:
      return "rewind";
    case SessionState::kReset:
      return "reset";
    case SessionState::kUploadAnon:
      return "upload_anon";
    case SessionState::kDownload:
      return "download";
    case SessionState::kBackoff:
      return "backoff";
    case SessionState::kDone:
      return "done";
    case SessionState::kFailed:
      return "failed";
    case SessionState::kNeedsReenrolment:
      return "needs_reenrolment";
    case SessionState::kUpgradeRequired:
      return "upgrade_required";
  }
  return "unknown";
}

bool IsFinal(SessionState s) {
  return s == SessionState::kDone || s == SessionState::kFailed ||
         s == SessionState::kNeedsReenrolment || s == SessionState::kUpgradeRequired;
}

void RealSleeper::SleepMs(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void SyncSession::Move(SessionState to) {
  SessionState from = state_;
  state_ = to;
  ++summary_.transitions;
  summary_.final_state = to;
  if (progress_) progress_(Progress{from, to, summary_});
}

SessionState SyncSession::Fail(Status st) {
  summary_.error = std::move(st);
  return SessionState::kFailed;
}

SyncSession::Exchange SyncSession::Post(std::string_view route, const Json& body, Response* out) {
  auto r = transport_.Post(route, body);
  if (!r.ok()) {
    summary_.error = r.status();
    return Exchange::kRetry;
  }
  *out = std::move(*r);
  if (out->http_status >= 200 && out->http_status < 300) return Exchange::kOk;
  if (IsRetryableStatus(out->http_status)) {
    summary_.error = TransportError("HTTP " + std::to_string(out->http_status));
    return Exchange::kRetry;
  }
  return Exchange::kError;
}

SessionState SyncSession::OnError(const Response& resp) {
  auto e = DecodeErrorReply(resp.body);
  if (!e.ok() || !*e) {
    return Fail(
        Status::Error("bad_reply", "服务器回复无法识别",
                      "unrecognised server reply (HTTP " + std::to_string(resp.http_status) + ")"));
  }
  const ErrorReply& err = **e;
  Status st = Status::Error(err.code, err.message.zh, err.message.en);
  if (err.code == kExpectedSeq && err.expected_seq) {
    target_seq_ = *err.expected_seq;
    return SessionState::kRewind;
  }
  if (err.code == kResetRequired && err.expected_seq) {
    target_seq_ = *err.expected_seq;
    store_restored_ = err.reason != "scope";
    return SessionState::kReset;
  }
  if (err.code == kSeqReuse) {
    summary_.error = st;
    Status m = store_.MarkNeedsReenrolment(kSeqReuse);
    if (!m.ok()) return Fail(m);
    return SessionState::kNeedsReenrolment;
  }
  if (err.code == kProtocolUnsupported) {
    summary_.error = st;
    return SessionState::kUpgradeRequired;
  }
  if (err.action == Action::kRetry) {
    summary_.error = st;
    return SessionState::kBackoff;
  }
  return Fail(st);
}

SessionState SyncSession::DoUpload() {
  if (store_.health() != DeviceHealth::kOk) {
    summary_.error = Status::Error(store_.health_code(), "设备需要重新登记",
                                   "the device must be enrolled again");
    return SessionState::kNeedsReenrolment;
  }
  auto batch = store_.NextUploadBatch(opt_.upload_batch);
  if (!batch.ok()) return Fail(batch.status());
  if (!*batch) return SessionState::kUploadAnon;
  Response resp;
  switch (Post(kRouteUpload, Encode(**batch, opt_.versions), &resp)) {
    case Exchange::kRetry:
      return SessionState::kBackoff;
    case Exchange::kError:
      return OnError(resp);
    case Exchange::kOk:
      break;
  }
  auto reply = DecodeUploadReply(resp.body, opt_.versions);
  if (!reply.ok()) return Fail(reply.status());
  const UploadRequest& req = **batch;
  if (reply->acked_seq < req.first_seq || reply->acked_seq > req.last_seq)
    return Fail(Status::Error("bad_reply", "服务器确认的序号不在本批次内",
                              "the acknowledged seq is outside the batch"));
  Status st = store_.ApplyUploadReply(*reply);
  if (!st.ok()) return Fail(st);
  attempts_ = 0;
  summary_.error = Status::Ok();
  summary_.uploaded += reply->acked_seq - req.first_seq + 1;
  for (const RecordResult& r : reply->results) {
    if (r.outcome == Outcome::kConflict) ++summary_.conflicts;
    if (r.outcome == Outcome::kFlagged) ++summary_.flagged;
    if (r.outcome != Outcome::kRefused) continue;
    Rejection rej;
    rej.seq = r.seq;
    for (const Change& c : req.changes) {
      if (c.seq != r.seq) continue;
      rej.entity = c.entity;
      rej.id = c.id;
      rej.group = c.group;
    }
    rej.code = r.code;
    rej.detail = r.detail;
    rej.message = r.message;
    summary_.rejected.push_back(std::move(rej));
  }
  return SessionState::kUpload;
}

SessionState SyncSession::DoUploadAnon() {
  auto batch = store_.NextAnonBatch();
  if (!batch.ok()) return Fail(batch.status());
  if (!*batch) return SessionState::kDownload;
  Response resp;
  switch (Post(kRouteAnon, Encode(**batch, opt_.versions), &resp)) {
    case Exchange::kRetry:
      return SessionState::kBackoff;
    case Exchange::kError:
      return OnError(resp);
    case Exchange::kOk:
      break;
  }
  auto reply = DecodeAnonUploadReply(resp.body, opt_.versions);
  if (!reply.ok()) return Fail(reply.status());
  if (reply->batch_id != (*batch)->batch_id)
    return Fail(Status::Error("bad_reply", "服务器回复的批次不符", "reply for another batch"));
  Status st = store_.ApplyAnonReply(*reply);
  if (!st.ok()) return Fail(st);
  attempts_ = 0;
  summary_.error = Status::Ok();
  ++summary_.anon_batches;
  for (const RecordResult& r : reply->refused) {
    Rejection rej;
    rej.seq = r.seq;
    rej.entity = r.seq >= 0 && static_cast<size_t>(r.seq) < (*batch)->items.size()
                     ? (*batch)->items[static_cast<size_t>(r.seq)].entity
                     : "";
    rej.code = r.code;
    rej.detail = r.detail;
    rej.message = r.message;
    summary_.rejected.push_back(std::move(rej));
  }
  return SessionState::kUploadAnon;
}

SessionState SyncSession::DoDownload() {
  Response resp;
  switch (
      Post(kRouteDownload, Encode(store_.NextDownload(opt_.page_limit), opt_.versions), &resp)) {
    case Exchange::kRetry:
      return SessionState::kBackoff;
    case Exchange::kError:
      return OnError(resp);
    case Exchange::kOk:
      break;
  }
  auto page = DecodeDownloadReply(std::move(resp.body), opt_.versions);
  if (!page.ok()) return Fail(page.status());
  Status st = store_.ApplyDownloadPage(*page);
  if (!st.ok()) return Fail(st);
  attempts_ = 0;
  summary_.error = Status::Ok();
  summary_.downloaded += static_cast<int64_t>(page->changes.size());
  return page->has_more ? SessionState::kDownload : SessionState::kDone;
}

bool SyncSession::Step() {
  if (IsFinal(state_)) return false;
  if (summary_.transitions >= opt_.max_transitions) {
    Move(Fail(Status::Error("sync_loop", "同步步骤过多，已停止", "too many sync steps; stopped")));
    return false;
  }
  SessionState next = state_;
  switch (state_) {
    case SessionState::kStart:
      next = SessionState::kUpload;
      break;
    case SessionState::kUpload:
      next = DoUpload();
      break;
    case SessionState::kRewind: {
      Status st = store_.Rewind(target_seq_);
      if (st.ok()) {
        next = SessionState::kUpload;
      } else if (st.code() == "outbox_pruned") {
        summary_.error = st;
        next = SessionState::kNeedsReenrolment;
      } else {
        next = Fail(st);
      }
      break;
    }
    case SessionState::kReset: {
      ++summary_.resets;
      Status st = store_.Reset(target_seq_, store_restored_);
      if (st.ok()) {
        next = SessionState::kUpload;
      } else if (st.code() == "outbox_pruned") {
        summary_.error = st;
        next = SessionState::kNeedsReenrolment;
      } else {
        next = Fail(st);
      }
      break;
    }
    case SessionState::kUploadAnon:
      next = DoUploadAnon();
      break;
    case SessionState::kDownload:
      next = DoDownload();
      break;
    case SessionState::kBackoff: {
      if (++attempts_ >= opt_.max_attempts) {
        next = Fail(summary_.error.ok() ? TransportError("retries exhausted") : summary_.error);
        break;
      }
      int64_t cap = opt_.backoff_base_ms << std::min(attempts_ - 1, 20);
      cap = std::min(cap, opt_.backoff_max_ms);
      int64_t delay =
          cap / 2 + static_cast<int64_t>(rng_.Uniform(static_cast<uint64_t>(cap / 2 + 1)));
      sleeper_.SleepMs(delay);
      next = resume_;
      break;
    }
    default:
      return false;
  }
  if (next == SessionState::kBackoff) resume_ = state_;
  Move(next);
  return !IsFinal(state_);
}

SyncSummary SyncSession::Run() {
  while (Step()) {
  }
  return summary_;
}

}  // namespace shefu::sync
