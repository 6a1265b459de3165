#include "sync/applier.h"

namespace shefu::sync {

bool PlaceOfNewRecord(const DomainContext& ctx, const EntityTypeSpec& type, const Json& value,
                      Place* out) {
  if (!value.is_object()) return false;
  auto it = value.find(std::string(type.scope_field));
  if (it == value.end() || !it->is_string()) return false;
  return ctx.ResolvePlace(it->get_ref<const std::string&>(), out);
}

Result<StoredRecord*> Applier::Load(std::string_view entity, std::string_view id) {
  auto it = cache_.find(std::make_pair(entity, id));
  if (it != cache_.end()) return &it->second;
  auto rec = store_.LoadRecord(entity, id);
  if (!rec.ok()) return rec.status();
  return &cache_.emplace(std::make_pair(std::string(entity), std::string(id)), std::move(*rec))
              .first->second;
}

Status Applier::Put(std::string_view entity, std::string_view id, std::string_view group,
                    StoredCell c, StoredRecord* rec) {
  // A group this transaction has read is overwritten in place; any other is upserted.
  bool updated = false;
  if (rec->Find(group)) {
    auto u = store_.UpdateCell(entity, id, group, c);
    if (!u.ok()) return u.status();
    updated = *u;
  }
  if (!updated) SHEFU_RETURN_IF_ERROR(store_.PutCell(entity, id, group, c, rec->place));
  rec->exists = true;
  rec->groups.insert_or_assign(std::string(group), std::move(c));
  return Status::Ok();
}

Status Applier::Log(WriteContext& w, std::string_view entity, std::string_view id,
                    std::string_view group, const Place& place, Rule rule, const Cell* winner,
                    const Cell& loser, std::string detail, Text why) {
  Conflict c;
  c.entity = std::string(entity);
  c.record_id = std::string(id);
  c.group = std::string(group);
  c.rule = rule;
  c.detail = std::move(detail);
  c.message = why.zh.empty() ? RuleText(rule) : std::move(why);
  if (winner) c.winner = ConflictSide{winner->value, winner->hlc, winner->node, winner->seq};
  c.loser = ConflictSide{loser.value, loser.hlc, loser.node, loser.seq};
  c.detected_ms = w.now_ms;
  c.place = place;
  auto logged = log_.Add(w, std::move(c));
  return logged.ok() ? Status::Ok() : logged.status();
}

namespace {
void Report(ApplyResult* out, int64_t seq, Rule rule, std::string detail, Text why) {
  RecordResult r;
  r.seq = seq;
  r.outcome = RuleOutcome(rule);
  r.code = RuleCode(rule);
  r.detail = std::move(detail);
  r.message = why.zh.empty() ? RuleText(rule) : std::move(why);
  out->results.push_back(std::move(r));
}
}  // namespace

Status Applier::Refuse(WriteContext& w, const IncomingWrite& in, StoredRecord* rec, Rule rule,
                       std::string detail, Text why, ApplyResult* out) {
  const Change& ch = in.change;
  Cell loser{ch.value_text, ch.hlc, std::string(in.node), ch.seq};
  const StoredCell* current = rec ? rec->Find(ch.group) : nullptr;
  // A refused create has no place of its own: log it where its writer works.
  Place place = rec && rec->exists ? rec->place : PlaceOfScope(in.principal.scope);
  SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, ch.id, ch.group, place, rule,
                            current ? &current->cell : nullptr, loser, detail, why));
  // Compensating write: the authoritative row moves to a fresh feed position, so every device
  // (the writer included) downloads it again and drops whatever it showed instead.
  if (current) {
    StoredCell moved = *current;
    moved.sseq = w.NextSseq();
    SHEFU_RETURN_IF_ERROR(store_.Reemit(ch.entity, ch.id, ch.group, moved.sseq, moved.flags));
    rec->groups.insert_or_assign(ch.group, moved);
  }
  out->refused = true;
  Report(out, ch.seq, rule, std::move(detail), std::move(why));
  return Status::Ok();
}

std::optional<Applier::Refusal> Applier::Check(const IncomingWrite& in, const EntityTypeSpec& type,
                                               const StoredRecord& rec, Place* place) const {
  const Change& ch = in.change;
  if (type.stream == Stream::kAnonymous) {
    return Refusal{Rule::kValidationReject,
                   "wrong_stream",
                   {type.label.zh + "只能通过匿名通道提交",
                    "a " + type.label.en + " travels only in the anonymous stream"}};
  }
  Status computed;
  const Status* valid = in.validated;
  if (!valid) {
    computed = ValidateGroupWrite(ctx_, type, ch.group, ch.value);
    valid = &computed;
  }
  if (!valid->ok())
    return Refusal{Rule::kValidationReject, valid->code(), {valid->zh(), valid->en()}};
  if (!rec.exists) {
    if (ch.group != type.scope_group) {
      return Refusal{Rule::kValidationReject,
                     "record_not_found",
                     {"记录不存在（新建记录须先写入“" + std::string(type.scope_group) + "”）",
                      "no such record (a new record starts with its '" +
                          std::string(type.scope_group) + "' group)"}};
    }
    if (!PlaceOfNewRecord(ctx_, type, ch.value, place)) {
      return Refusal{Rule::kValidationReject,
                     "unknown_place",
                     {"无法确定记录所在地", "cannot tell where the record lies"}};
    }
  } else {
    *place = rec.place;
  }
  AuthVerdict verdict = in.from_device ? auth_.CanWrite(in.principal, type, *place)
                                       : CheckScope(in.principal, type, *place);
  if (!verdict.ok()) {
    return Refusal{*verdict.refusal, *verdict.refusal == Rule::kPermissionReject ? "role" : "scope",
                   verdict.why};
  }
  if (type.guard) {
    RecordState current;
    current.exists = rec.exists;
    for (const auto& [g, cell] : rec.groups) {
      auto v = ParseJson(cell.cell.value, 64);
      if (v.ok()) current.groups.emplace(g, std::move(*v));
    }
    current.deleted =
        IsDeletedValue(rec.Find(kDeletedGroup) ? &rec.Find(kDeletedGroup)->cell : nullptr);
    Status g = type.guard(ctx_, current, ch.group, ch.value, in.from_device);
    if (!g.ok()) return Refusal{Rule::kValidationReject, g.code(), {g.zh(), g.en()}};
  }
  if (in.from_device) {
    const FieldGroupSpec* gs = type.FindGroup(ch.group);
    if (gs && gs->server_only) {
      return Refusal{Rule::kPermissionReject,
                     "server_only_group",
                     {"字段组“" + ch.group + "”只能由镇街工作人员在平台上修改",
                      "group '" + ch.group + "' is changed only by town staff on the platform"}};
    }
  }
  return std::nullopt;
}

Result<bool> Applier::TryCreate(WriteContext& w, const IncomingWrite& in,
                                const EntityTypeSpec& type, const Cell& incoming,
                                ApplyResult* out) {
  const Change& ch = in.change;
  StoredRecord fresh;  // as if no record had this id
  Place place;
  if (Check(in, type, fresh, &place)) return false;  // a refusal: the full path decides it
  fresh.place = place;
  StoredCell nc;
  nc.cell = incoming;
  nc.sseq = w.NextSseq();
  nc.version = nc.sseq;
  if (type.kind != MergeKind::kEditable) nc.rkey = in.rkey ? *in.rkey : RecordKey(type, ch.value);
  // Unique-key: the key's other records are read first, so a duplicate that does not count is
  // stored not counted at once, instead of stored counted and re-emitted a moment later.
  KeyRows key_rows;
  const bool keyed = type.kind == MergeKind::kUniqueKey && nc.rkey;
  if (keyed) {
    auto rows = store_.RecordsForKey(ch.entity, *nc.rkey);
    if (!rows.ok()) return rows.status();
    key_rows = std::move(*rows);
    for (const auto& [id, c] : key_rows)
      if (id != ch.id && CountsBefore(c.cell, id, incoming, ch.id)) nc.flags |= kFlagNotCounted;
  }
  auto inserted = store_.InsertCell(ch.entity, ch.id, ch.group, nc, place);
  if (!inserted.ok()) return inserted.status();
  if (!*inserted) {  // the record exists after all: give the server_seq back
    --w.meta.last_sseq;
    return false;
  }
  out->applied = true;
  out->version = nc.version;
  std::optional<std::string> rkey = nc.rkey;
  if (keyed && !key_rows.empty()) key_rows.emplace_back(ch.id, nc);
  // An editable record's other groups usually follow in the same upload: keep it at hand. A
  // record of the other kinds is one row, rarely written again in the same transaction; if it
  // is, it is read back from the store.
  if (type.kind == MergeKind::kEditable) {
    fresh.exists = true;
    fresh.groups.emplace(std::string(ch.group), std::move(nc));
    cache_.emplace(std::make_pair(ch.entity, ch.id), std::move(fresh));
  }
  // The first record of its key counts as inserted (flags 0): nothing to re-decide.
  if (!key_rows.empty())
    SHEFU_RETURN_IF_ERROR(CountOnce(w, ch, place, incoming, *rkey, std::nullopt, out, &key_rows));
  return true;
}

Result<ApplyResult> Applier::Apply(WriteContext& w, const IncomingWrite& in) {
  const Change& ch = in.change;
  ApplyResult out;
  // The receive rule on every remote stamp; a stamp from the future is capped instead.
  Hlc effective = ch.hlc;
  bool capped = false;
  if (in.from_device) {
    out.ahead_ms = ch.hlc.ms() - clock_.PhysicalMs();
    if (clock_.BeyondBound(ch.hlc)) {
      EffectiveStamp e =
          Effective(ch.hlc, clock_.PhysicalMs(), clock_.options().max_future_ms, clock_.Now());
      effective = e.hlc;
      capped = e.capped;
    } else {
      clock_.Receive(ch.hlc);
    }
  }

  const EntityTypeSpec* type = FindEntityType(ch.entity);
  if (!type) {
    SHEFU_RETURN_IF_ERROR(
        Refuse(w, in, nullptr, Rule::kValidationReject, "unknown_entity",
               {"未知的记录类型：" + ch.entity, "unknown entity type: " + ch.entity}, &out));
    return out;
  }
  Cell incoming{ch.value_text, effective, std::string(in.node), ch.seq};
  // Most writes create a record. When the id is new to this transaction, the write is decided
  // as a create and stored with INSERT ... DO NOTHING, which also tells whether the id was new:
  // one statement instead of a read and a write. Anything else — a refusal, a capped stamp, an
  // id that exists — takes the full path below, which decides it from the stored record.
  if (!capped && ch.group == type->scope_group &&
      cache_.find(std::make_pair(std::string_view(ch.entity), std::string_view(ch.id))) ==
          cache_.end()) {
    auto created = TryCreate(w, in, *type, incoming, &out);
    if (!created.ok()) return created.status();
    if (*created) return out;
  }

  auto rec_or = Load(ch.entity, ch.id);
  if (!rec_or.ok()) return rec_or.status();
  StoredRecord* rec = *rec_or;
  Place place;
  if (auto refusal = Check(in, *type, *rec, &place)) {
    SHEFU_RETURN_IF_ERROR(Refuse(w, in, rec, refusal->rule, std::move(refusal->detail),
                                 std::move(refusal->why), &out));
    return out;
  }
  if (!rec->exists) rec->place = place;

  if (capped) {
    Cell original{ch.value_text, ch.hlc, std::string(in.node), ch.seq};
    int64_t ahead_min = out.ahead_ms / 60000;
    SHEFU_RETURN_IF_ERROR(Log(
        w, ch.entity, ch.id, ch.group, place, Rule::kClockSkew, &incoming, original, "clock_ahead",
        {"设备时间比服务器快约 " + std::to_string(ahead_min) + " 分钟",
         "device clock about " + std::to_string(ahead_min) + " min ahead of the server"}));
    Report(&out, ch.seq, Rule::kClockSkew, "clock_ahead", {});
  }
  if (type->kind == MergeKind::kEditable) {
    SHEFU_RETURN_IF_ERROR(ApplyEditable(w, in, *type, rec, place, incoming, &out));
  } else {
    SHEFU_RETURN_IF_ERROR(ApplyAppendLike(w, in, *type, rec, place, incoming, &out));
  }
  return out;
}

Status Applier::ApplyEditable(WriteContext& w, const IncomingWrite& in, const EntityTypeSpec& type,
                              StoredRecord* rec, const Place&, const Cell& incoming,
                              ApplyResult* out) {
  const Change& ch = in.change;
  const FieldGroupSpec* spec = type.FindGroup(ch.group);
  const StoredCell* cur = rec->Find(ch.group);
  if (spec && spec->immutable && cur && cur->cell.value != incoming.value) {
    return Refuse(w, in, rec, Rule::kValidationReject, "immutable_group",
                  {"字段组“" + std::string(ch.group) + "”创建后不能修改",
                   "group '" + ch.group + "' cannot change after creation"},
                  out);
  }
  const StoredCell* del = rec->Find(kDeletedGroup);
  bool was_deleted = IsDeletedValue(del ? &del->cell : nullptr);
  Cell deleted_cell = del ? del->cell : Cell{};
  EditDecision d =
      DecideEdit(cur ? &cur->cell : nullptr, cur ? cur->version : 0, incoming, ch.base);
  out->applied = true;
  // Copy what the logs need before the row is overwritten.
  std::optional<Cell> previous;
  if (cur) previous = cur->cell;
  if (d.incoming_wins) {
    StoredCell nc;
    nc.cell = incoming;
    nc.sseq = w.NextSseq();
    nc.version = nc.sseq;
    out->version = nc.version;
    SHEFU_RETURN_IF_ERROR(Put(ch.entity, ch.id, ch.group, std::move(nc), rec));
  }
  if (d.log_loser) {
    if (d.incoming_wins) {
      SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, ch.id, ch.group, rec->place, Rule::kLwwConcurrent,
                                &incoming, *previous));
    } else {
      SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, ch.id, ch.group, rec->place, Rule::kLwwConcurrent,
                                &*previous, incoming));
      Report(out, ch.seq, Rule::kLwwConcurrent, "", {});
    }
  }
  if (ch.group != kDeletedGroup) {
    // Delete wins: an edit landing on a deleted record is kept in its field (a restore shows it)
    // and logged.
    if (was_deleted && d.incoming_wins) {
      SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, ch.id, ch.group, rec->place, Rule::kEditVsDelete,
                                &deleted_cell, incoming));
      Report(out, ch.seq, Rule::kEditVsDelete, "", {});
    }
    return Status::Ok();
  }
  // A delete that takes effect: log every edit the deleter had not seen.
  if (incoming.value == "true" && d.incoming_wins && !was_deleted) {
    for (const auto& [g, c] : rec->groups) {
      if (g == kDeletedGroup) continue;
      if (DeleteMissedEdit(c.version, c.cell.node, ch.base, incoming.node)) {
        SHEFU_RETURN_IF_ERROR(
            Log(w, ch.entity, ch.id, g, rec->place, Rule::kEditVsDelete, &incoming, c.cell));
      }
    }
  }
  return Status::Ok();
}

Result<std::string> Applier::Recount(WriteContext& w, std::string_view entity,
                                     const std::string& key) {
  auto rows = store_.RecordsForKey(entity, key);
  if (!rows.ok()) return rows.status();
  const std::pair<std::string, StoredCell>* best = nullptr;
  for (const auto& r : *rows)
    if (!best || CountsBefore(r.second.cell, r.first, best->second.cell, best->first)) best = &r;
  if (!best) return std::string();
  for (const auto& [id, c] : *rows) {
    int64_t want = &id == &best->first ? (c.flags & ~kFlagNotCounted) : (c.flags | kFlagNotCounted);
    if (want == c.flags) continue;
    SHEFU_RETURN_IF_ERROR(store_.Reemit(entity, id, kRecordGroup, w.NextSseq(), want));
    cache_.erase(std::make_pair(std::string(entity), id));
  }
  return best->first;
}

Status Applier::ApplyAppendLike(WriteContext& w, const IncomingWrite& in,
                                const EntityTypeSpec& type, StoredRecord* rec, const Place& place,
                                const Cell& incoming, ApplyResult* out) {
  const Change& ch = in.change;
  const StoredCell* cur = rec->Find(kRecordGroup);
  AppendDecision d = DecideAppend(cur ? &cur->cell : nullptr, incoming);
  out->applied = true;
  if (d == AppendDecision::kReplay) return Status::Ok();
  if (d == AppendDecision::kKeepExisting) {
    SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, ch.id, kRecordGroup, place, Rule::kAppendOnlyRewrite,
                              &cur->cell, incoming));
    Report(out, ch.seq, Rule::kAppendOnlyRewrite, "", {});
    return Status::Ok();
  }
  std::optional<StoredCell> previous;
  if (cur) previous = *cur;
  StoredCell nc;
  nc.cell = incoming;
  nc.sseq = w.NextSseq();
  nc.version = nc.sseq;
  nc.rkey = in.rkey ? *in.rkey : RecordKey(type, ch.value);
  out->version = nc.version;
  std::optional<std::string> rkey = nc.rkey;
  SHEFU_RETURN_IF_ERROR(Put(ch.entity, ch.id, kRecordGroup, std::move(nc), rec));
  if (d == AppendDecision::kReplaceExisting) {  // the earlier content stays, the later is logged
    SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, ch.id, kRecordGroup, place, Rule::kAppendOnlyRewrite,
                              &incoming, previous->cell));
  }
  if (type.kind != MergeKind::kUniqueKey || !rkey) return Status::Ok();
  std::optional<std::string> previous_rkey;
  if (previous) previous_rkey = previous->rkey;
  // `rec` may be dropped from the cache by CountOnce: it is not used after this.
  return CountOnce(w, ch, place, incoming, *rkey, previous_rkey, out);
}

Status Applier::CountOnce(WriteContext& w, const Change& ch, const Place& place,
                          const Cell& incoming, const std::string& rkey,
                          const std::optional<std::string>& previous_rkey, ApplyResult* out,
                          const KeyRows* known) {
  // One record counts per key: the earliest (stamp, node, id), whatever the arrival order.
  Result<KeyRows> read = known ? Result<KeyRows>(KeyRows{}) : store_.RecordsForKey(ch.entity, rkey);
  if (!read.ok()) return read.status();
  const KeyRows* rows = known ? known : &*read;
  const std::pair<std::string, StoredCell>* best = nullptr;
  const std::pair<std::string, StoredCell>* counted_before = nullptr;
  for (const auto& r : *rows) {
    if (!best || CountsBefore(r.second.cell, r.first, best->second.cell, best->first)) best = &r;
    if (r.first != ch.id && !(r.second.flags & kFlagNotCounted)) counted_before = &r;
  }
  if (!best) return Status::Ok();
  for (const auto& [id, c] : *rows) {  // re-emit every row whose counted flag changes
    int64_t want = &id == &best->first ? (c.flags & ~kFlagNotCounted) : (c.flags | kFlagNotCounted);
    if (want == c.flags) continue;
    SHEFU_RETURN_IF_ERROR(store_.Reemit(ch.entity, id, kRecordGroup, w.NextSseq(), want));
    cache_.erase(std::make_pair(ch.entity, id));
  }
  if (previous_rkey && *previous_rkey != rkey) {
    auto other = Recount(w, ch.entity, *previous_rkey);
    if (!other.ok()) return other.status();
  }
  if (best->first != ch.id) {
    SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, ch.id, kRecordGroup, place, Rule::kDuplicateKey,
                              &best->second.cell, incoming));
    Report(out, ch.seq, Rule::kDuplicateKey, "", {});
  } else if (counted_before) {
    // The incoming record is earlier than the one that counted so far: that one stops counting.
    SHEFU_RETURN_IF_ERROR(Log(w, ch.entity, counted_before->first, kRecordGroup, place,
                              Rule::kDuplicateKey, &incoming, counted_before->second.cell));
  }
  return Status::Ok();
}

}  // namespace shefu::sync
