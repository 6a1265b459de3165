#include "shared/entity_types.h"

#include "shared/meeting_record.h"
#include "shared/need.h"
#include "shared/project_record.h"
#include "shared/survey_records.h"

namespace shefu {

Status CheckCommunityField(const DomainContext& ctx, const Json& v, const char* key) {
  auto c = GetString(v, key, 32, 1);
  if (!c.ok()) return c.status();
  Place p;
  if (!ctx.ResolvePlace(*c, &p) || p.community.empty())
    return Status::Error("unknown_community", "社区/村代码不存在：" + *c,
                         "unknown community code: " + *c);
  return Status::Ok();
}

namespace {

// A ballot's marks: one `choice` string, or (a choose-k ballot, whole — docs/voting.md §4.4.5)
// `marks`, an array of at most 50 option ids.
Status ValidateChoiceOrMarks(const Json& v) {
  if (v.contains("marks")) {
    if (v.contains("choice"))
      return FieldError("marks", "choice 与 marks 只能有一个", "give choice or marks, not both");
    const Json& m = v["marks"];
    if (!m.is_array() || m.size() > 50)
      return FieldError("marks", "必须是最多 50 项的数组", "must be an array of at most 50");
    for (const Json& x : m)
      if (!x.is_string() || x.get<std::string>().empty() || x.get<std::string>().size() > 64)
        return FieldError("marks", "每项必须是选项编号", "each mark must be an option id");
    return Status::Ok();
  }
  auto c = GetString(v, "choice", 64, 1);
  return c.ok() ? Status::Ok() : c.status();
}

// Open-ballot vote: {ballot, community, voter (roll entry id), choice}. Unique per
// (ballot, voter). The meeting module (issue 6) widens the checks.
Status ValidateVote(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group != kRecordGroup)
    return Status::Error("unknown_group", "投票记录只有 record 字段组",
                         "a vote has only the 'record' group");
  // proxy: the listed proxy who cast it for `voter`; marks: a choose-k ballot's marks.
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "ballot,community,voter,choice,marks,assisted_by,proxy"));
  for (const char* k : {"ballot", "voter"}) {
    auto s = GetString(v, k, 64, 1);
    if (!s.ok()) return s.status();
  }
  SHEFU_RETURN_IF_ERROR(ValidateChoiceOrMarks(v));
  for (const char* k : {"assisted_by", "proxy"}) {
    auto a = OptString(v, k, 64);
    if (!a.ok()) return a.status();
  }
  SHEFU_RETURN_IF_ERROR(CheckCommunityField(ctx, v));
  return Status::Ok();
}

// Secret-ballot choice: {ballot, community, choice} and nothing that identifies a voter.
Status ValidateSecretChoice(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group != kRecordGroup)
    return Status::Error("unknown_group", "无记名选票只有 record 字段组",
                         "a secret choice has only the 'record' group");
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "ballot,community,choice,marks"));
  auto b = GetString(v, "ballot", 64, 1);
  if (!b.ok()) return b.status();
  SHEFU_RETURN_IF_ERROR(ValidateChoiceOrMarks(v));
  SHEFU_RETURN_IF_ERROR(CheckCommunityField(ctx, v));
  return Status::Ok();
}

std::vector<EntityTypeSpec> BuildEntityTable() {
  std::vector<EntityTypeSpec> t;
  {
    EntityTypeSpec s;
    s.name = "need";
    s.label = {"需求", "need"};
    s.kind = MergeKind::kEditable;
    s.deletes = DeleteRule::kDeleteWins;
    s.stream = Stream::kAttributed;
    s.groups = {{"place", true, true},   {"category", true, false}, {"description", true, false},
                {"people", true, false}, {"urgency", false, false}, {"contact", false, false},
                {"status", false, false}};
    s.scope_group = "place";
    s.scope_field = "community";
    s.device_writers = {Role::kCommunityWorker, Role::kTownStaff, Role::kCityAdmin};
    s.validate = ValidateNeedGroup;
    t.push_back(std::move(s));
  }
  {
    EntityTypeSpec s;
    s.name = "need_support";
    s.label = {"附议", "need support"};
    s.kind = MergeKind::kCounter;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{kRecordGroup, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.counter_target = "need";
    s.counter_delta = "delta";
    s.device_writers = {Role::kCommunityWorker, Role::kTownStaff, Role::kCityAdmin};
    s.validate = ValidateNeedSupport;
    t.push_back(std::move(s));
  }
  {
    EntityTypeSpec s;
    s.name = "visit";
    s.label = {"走访记录", "visit"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{kRecordGroup, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.device_writers = {Role::kCommunityWorker, Role::kTownStaff, Role::kCityAdmin};
    s.validate = ValidateVisit;
    t.push_back(std::move(s));
  }
  {
    EntityTypeSpec s;
    s.name = "vote";
    s.label = {"记名投票", "open-ballot vote"};
    s.kind = MergeKind::kUniqueKey;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{kRecordGroup, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.unique_key = {"ballot", "voter"};
    s.device_writers = {Role::kCommunityWorker, Role::kKiosk, Role::kCityAdmin};
    s.validate = ValidateVote;
    t.push_back(std::move(s));
  }
  {
    EntityTypeSpec s;
    s.name = "secret_choice";
    s.label = {"无记名选票", "secret-ballot choice"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAnonymous;
    s.groups = {{kRecordGroup, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.device_writers = {Role::kCommunityWorker, Role::kKiosk, Role::kCityAdmin};
    s.validate = ValidateSecretChoice;
    t.push_back(std::move(s));
  }
  {
    // A purchase project (第十九至二十八条). Community workers draft proposals offline, so the
    // proposer's groups sync from devices; everything the town decides is server-only and
    // written through the lifecycle rules by the staff API.
    EntityTypeSpec s;
    s.name = "project";
    s.label = {"购买服务项目", "purchase project"};
    s.kind = MergeKind::kEditable;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{"place", true, true},
                {"proposal", true, false},
                {"funding", false, false},
                {"evidence", false, false},
                {"indicators", false, false},
                {"prohibited", false, false},
                {"lifecycle", false, false, true},
                {"review", false, false, true},
                {"procurement", false, false, true},
                {"contract", false, false, true},
                {"evaluation", false, false, true}};
    s.scope_group = "place";
    s.scope_field = "code";
    s.device_writers = {Role::kCommunityWorker};
    s.validate = ValidateProjectGroup;
    s.guard = GuardProjectWrite;
    t.push_back(std::move(s));
  }
  {
    // A payment made by the town (第二十三、二十七条): a fact, never edited; corrections are
    // new records. Written only by the staff API after CheckPaymentAllowed and CheckPayment.
    EntityTypeSpec s;
    s.name = "payment";
    s.label = {"付款记录", "payment"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{kRecordGroup, true, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "place";
    s.validate = ValidatePaymentRecord;
    t.push_back(std::move(s));
  }
  {
    // A district's annual catalogue (第七条), every version of one (district, year) in one
    // record. Devices in the district download it for the need form's category list.
    EntityTypeSpec s;
    s.name = "catalogue";
    s.label = {"项目清单", "annual catalogue"};
    s.kind = MergeKind::kEditable;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{"place", true, true, true}, {"book", true, false, true}};
    s.scope_group = "place";
    s.scope_field = "code";
    s.validate = ValidateCatalogueGroup;
    t.push_back(std::move(s));
  }
  {
    // What a town can pool in a year (第十五、二十条): the ceiling of its approved budgets.
    EntityTypeSpec s;
    s.name = "town_funds";
    s.label = {"镇街可统筹资金", "town funds"};
    s.kind = MergeKind::kEditable;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{"place", true, true, true}, {"funds", true, false, true}};
    s.scope_group = "place";
    s.scope_field = "code";
    s.validate = ValidateTownFundsGroup;
    t.push_back(std::move(s));
  }
  // ---- Satisfaction surveys (issue 7; shared/survey_records.h, docs/voting.md §2.1) ----
  {
    // A published template version attached to a project: server-only and append-only, so a
    // published version can never change (a change is a new record, version + 1).
    EntityTypeSpec s;
    s.name = "survey";
    s.label = {"满意度问卷", "satisfaction survey"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{kRecordGroup, true, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "place";
    s.validate = ValidateSurveyGroup;
    t.push_back(std::move(s));
  }
  {
    // The server-drawn sample of one community, shipped to that community's devices.
    EntityTypeSpec s;
    s.name = "survey_frame";
    s.label = {"受访抽样名单", "survey sample frame"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{kRecordGroup, true, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.validate = ValidateSurveyFrameGroup;
    t.push_back(std::move(s));
  }
  {
    // One interview's answers: anonymous stream, nothing that identifies the respondent.
    EntityTypeSpec s;
    s.name = "survey_answer";
    s.label = {"问卷答卷", "survey answer"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAnonymous;
    s.groups = {{kRecordGroup, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.device_writers = {Role::kCommunityWorker, Role::kTownStaff, Role::kKiosk, Role::kCityAdmin};
    s.validate = ValidateSurveyAnswerGroup;
    t.push_back(std::move(s));
  }
  {
    // "This frame entry was interviewed": the respondent token alone, never beside answers.
    EntityTypeSpec s;
    s.name = "survey_contact";
    s.label = {"受访登记", "survey contact"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAnonymous;
    s.groups = {{kRecordGroup, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.device_writers = {Role::kCommunityWorker, Role::kTownStaff, Role::kKiosk, Role::kCityAdmin};
    s.validate = ValidateSurveyContactGroup;
    t.push_back(std::move(s));
  }
  // ---- Meetings and ballots (issue 6, docs/voting.md §4) ----
  {
    // A community meeting: its ballots and its frozen voter roll package, written by town staff
    // through the staff API (server-only groups) and downloaded by the community's devices; the
    // final tallies and the chair's overrides are written by the server after sync.
    EntityTypeSpec s;
    s.name = "meeting";
    s.label = {"会议", "meeting"};
    s.kind = MergeKind::kEditable;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{"place", true, true, true},
                {"meeting", true, false, true},
                {"roll", false, false, true},
                {"overrides", false, false, true},
                {"final", false, false, true}};
    s.scope_group = "place";
    s.scope_field = "code";
    s.validate = ValidateMeetingGroup;
    t.push_back(std::move(s));
  }
  {
    // One entry of a device's meeting log: open, check-in, check-out, ballot issued (secret
    // ballots: participation only), close. Append-only; the origin device and its HLC stamp
    // are the record's, so "after this device's close" is decided on the device's own clock.
    EntityTypeSpec s;
    s.name = "meeting_event";
    s.label = {"会议登记", "meeting event"};
    s.kind = MergeKind::kAppendOnly;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{kRecordGroup, true, true}};
    s.scope_group = kRecordGroup;
    s.scope_field = "community";
    s.device_writers = {Role::kCommunityWorker, Role::kKiosk, Role::kCityAdmin};
    s.validate = ValidateMeetingEvent;
    t.push_back(std::move(s));
  }
  {
    // A 第二十八条 demonstration round of a town: the nominations (options of a meeting's
    // choose-k public vote), the weights as published, the opening, the experts and their
    // scores. Written by the staff API only; the ranking is computed on read
    // (RankDemonstrationProjects).
    EntityTypeSpec s;
    s.name = "demo_round";
    s.label = {"示范项目评选", "demonstration round"};
    s.kind = MergeKind::kEditable;
    s.deletes = DeleteRule::kNotDeletable;
    s.stream = Stream::kAttributed;
    s.groups = {{"place", true, true, true},     {"round", true, false, true},
                {"weights", false, false, true}, {"opened", false, false, true},
                {"experts", false, false, true}, {"scores", false, false, true}};
    s.scope_group = "place";
    s.scope_field = "code";
    s.validate = ValidateDemoRoundGroup;
    t.push_back(std::move(s));
  }
  return t;
}

}  // namespace

const FieldGroupSpec* EntityTypeSpec::FindGroup(std::string_view g) const {
  for (const auto& fg : groups)
    if (fg.name == g) return &fg;
  return nullptr;
}

bool EntityTypeSpec::AllowsWriter(Role r) const {
  for (Role w : device_writers)
    if (w == r) return true;
  return false;
}

const std::vector<EntityTypeSpec>& EntityTypes() {
  static const std::vector<EntityTypeSpec> table = BuildEntityTable();
  return table;
}

const EntityTypeSpec* FindEntityType(std::string_view name) {
  for (const auto& t : EntityTypes())
    if (t.name == name) return &t;
  return nullptr;
}

const char* MergeKindCode(MergeKind k) {
  switch (k) {
    case MergeKind::kEditable:
      return "editable";
    case MergeKind::kAppendOnly:
      return "append_only";
    case MergeKind::kUniqueKey:
      return "unique_key";
    case MergeKind::kCounter:
      return "counter";
  }
  return "unknown";
}

namespace {
// Empty principal fields mean "above this level": the city admin has all empty.
bool Within(const std::string& principal, const std::string& record) {
  return principal.empty() || principal == record;
}
bool Compatible(const std::string& principal, const std::string& record) {
  return principal.empty() || record.empty() || principal == record;
}
}  // namespace

bool ScopeContains(const Scope& p, const Place& r) {
  return Within(p.district, r.district) && Within(p.town, r.town) &&
         Within(p.community, r.community);
}

bool ScopeVisible(const Scope& p, const Place& r) {
  return Compatible(p.district, r.district) && Compatible(p.town, r.town) &&
         Compatible(p.community, r.community);
}

Status ValidateGroupWrite(const DomainContext& ctx, const EntityTypeSpec& type,
                          std::string_view group, const Json& value) {
  if (group == kDeletedGroup) {
    if (type.deletes == DeleteRule::kNotDeletable) {
      return Status::Error("not_deletable", type.label.zh + "不能删除，只能追加更正记录",
                           "a " + type.label.en + " cannot be deleted; append a correction");
    }
    if (!value.is_boolean())
      return FieldError("_deleted", "必须是 true 或 false", "must be true or false");
    return Status::Ok();
  }
  if (!type.FindGroup(group)) {
    return Status::Error(
        "unknown_group", type.label.zh + "没有字段组“" + std::string(group.substr(0, 40)) + "”",
        "a " + type.label.en + " has no field group '" + std::string(group.substr(0, 40)) + "'");
  }
  if (!value.is_object())
    return FieldError(group, "的值必须是 JSON 对象", "value must be a JSON object");
  return type.validate ? type.validate(ctx, group, value) : Status::Ok();
}

}  // namespace shefu
