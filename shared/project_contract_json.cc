// Wire form of the contract group and of payment records (shape only: the rules of 第二十二、
// 二十三条 are CheckContract / CheckPaymentPlan / CheckPayment in contract.h).
#include "shared/civil_time.h"
#include "shared/project_record.h"

namespace shefu {
namespace {

Result<Fen> GetFen(const Json& v, std::string_view key) {
  auto a = GetInt(v, key, 1, kMaxFen);
  if (!a.ok()) return a.status();
  return Fen{*a};
}

Result<Date> GetContractDate(const Json& v, std::string_view key) {
  auto d = OptDate(v, key);
  if (!d.ok()) return d.status();
  if (!d->has_value()) return FieldError(key, "缺失", "is missing");
  return **d;
}

Result<PaymentKind> GetKind(const Json& v) {
  auto k = GetString(v, "kind", 16, 1);
  if (!k.ok()) return k.status();
  auto kind = ParsePaymentKind(*k);
  if (!kind)
    return FieldError("kind", "取值无效（advance/progress/final）",
                      "must be advance, progress or final");
  return *kind;
}

Json OptDateJson(const std::optional<Date>& d) {
  return d ? Json(FormatDate(*d)) : Json();
}

}  // namespace

std::optional<PaymentKind> ParsePaymentKind(std::string_view code) {
  for (PaymentKind k : {PaymentKind::kAdvance, PaymentKind::kProgress, PaymentKind::kFinal})
    if (code == PaymentKindCode(k)) return k;
  return std::nullopt;
}

Result<ContractValue> ContractFromJson(const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v,
                                  "amount_fen,start,end,justification,year_amounts_fen,"
                                  "payment_plan,town_signed_on,so_signed_on,deduction"));
  ContractValue out;
  Contract& c = out.contract;
  auto amount = GetFen(v, "amount_fen");
  if (!amount.ok()) return amount.status();
  c.amount = *amount;
  auto start = GetContractDate(v, "start");
  if (!start.ok()) return start.status();
  auto end = GetContractDate(v, "end");
  if (!end.ok()) return end.status();
  c.start = *start;
  c.end = *end;
  if (v.contains("justification") && !v["justification"].is_null()) {
    const Json& j = v["justification"];
    SHEFU_RETURN_IF_ERROR(CheckKeys(j,
                                    "content_fixed,highly_continuous,stable_funding,"
                                    "small_price_change,budget_guaranteed"));
    StabilityJustification& s = c.justification;
    for (auto [key, field] : {std::pair{"content_fixed", &s.content_fixed},
                              {"highly_continuous", &s.highly_continuous},
                              {"stable_funding", &s.stable_funding},
                              {"small_price_change", &s.small_price_change},
                              {"budget_guaranteed", &s.budget_guaranteed}}) {
      auto b = OptBool(j, key);
      if (!b.ok()) return b.status();
      *field = b->value_or(false);
    }
  }
  if (v.contains("year_amounts_fen") && !v["year_amounts_fen"].is_null()) {
    const Json& ya = v["year_amounts_fen"];
    if (!ya.is_array() || ya.size() > 10)
      return FieldError("year_amounts_fen", "必须是不超过10项的数组",
                        "must be an array of at most 10 amounts");
    for (const auto& a : ya) {
      if (!a.is_number_integer() || a.get<int64_t>() < 0 || a.get<int64_t>() > kMaxFen)
        return FieldError("year_amounts_fen", "每项须为非负整数（分）",
                          "each must be a non-negative integer (fen)");
      c.year_amounts.push_back(a.get<int64_t>());
    }
  }
  if (!v.contains("payment_plan") || !v["payment_plan"].is_array() ||
      v["payment_plan"].size() > kMaxPaymentPlanItems)
    return FieldError("payment_plan", "必须是不超过120项的数组",
                      "must be an array of at most 120 installments");
  for (const auto& p : v["payment_plan"]) {
    SHEFU_RETURN_IF_ERROR(CheckKeys(p, "kind,amount_fen,due_on,milestone"));
    PlannedPayment pp;
    auto kind = GetKind(p);
    if (!kind.ok()) return kind.status();
    pp.kind = *kind;
    auto a = GetFen(p, "amount_fen");
    if (!a.ok()) return a.status();
    pp.amount = *a;
    auto due = GetContractDate(p, "due_on");
    if (!due.ok()) return due.status();
    pp.due_on = *due;
    auto m = OptString(p, "milestone", 200);
    if (!m.ok()) return m.status();
    pp.milestone = m->value_or("");
    out.plan.push_back(std::move(pp));
  }
  auto ts = OptDate(v, "town_signed_on");
  if (!ts.ok()) return ts.status();
  auto ss = OptDate(v, "so_signed_on");
  if (!ss.ok()) return ss.status();
  out.town_signed_on = *ts;
  out.so_signed_on = *ss;
  if (v.contains("deduction") && !v["deduction"].is_null()) {
    auto d = DeductionRuleFromJson(v["deduction"]);
    if (!d.ok()) return d.status();
    out.deduction = *d;
  }
  if (out.town_signed_on && out.so_signed_on)
    c.signed_on = std::max(*out.town_signed_on, *out.so_signed_on);
  return out;
}

Json ContractToJson(const ContractValue& cv) {
  const Contract& c = cv.contract;
  const StabilityJustification& s = c.justification;
  Json plan = Json::array();
  for (const auto& p : cv.plan) {
    Json j = {{"kind", PaymentKindCode(p.kind)},
              {"amount_fen", p.amount},
              {"due_on", FormatDate(p.due_on)}};
    if (!p.milestone.empty()) j["milestone"] = p.milestone;
    plan.push_back(std::move(j));
  }
  Json j = {{"amount_fen", c.amount},
            {"start", FormatDate(c.start)},
            {"end", FormatDate(c.end)},
            {"justification",
             {{"content_fixed", s.content_fixed},
              {"highly_continuous", s.highly_continuous},
              {"stable_funding", s.stable_funding},
              {"small_price_change", s.small_price_change},
              {"budget_guaranteed", s.budget_guaranteed}}},
            {"payment_plan", std::move(plan)}};
  if (!c.year_amounts.empty()) j["year_amounts_fen"] = c.year_amounts;
  if (cv.town_signed_on) j["town_signed_on"] = OptDateJson(cv.town_signed_on);
  if (cv.so_signed_on) j["so_signed_on"] = OptDateJson(cv.so_signed_on);
  if (cv.deduction) j["deduction"] = DeductionRuleToJson(*cv.deduction);
  return j;
}

Result<DeductionRule> DeductionRuleFromJson(const Json& v) {
  if (!v.is_object()) return FieldError("deduction", "必须是对象", "must be an object");
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "kind,threshold_tenths,deduct_permille,per_grade_permille"));
  auto kind = GetString(v, "kind", 32, 1);
  if (!kind.ok()) return kind.status();
  DeductionRule r;
  if (*kind == "none") {
    r.kind = DeductionRule::Kind::kNone;
  } else if (*kind == "below_threshold") {
    r.kind = DeductionRule::Kind::kBelowThreshold;
    auto t = GetInt(v, "threshold_tenths", 0, 1000);
    if (!t.ok()) return t.status();
    auto d = GetInt(v, "deduct_permille", 0, 1000);
    if (!d.ok()) return d.status();
    r.threshold_tenths = *t;
    r.deduct_permille = *d;
  } else if (*kind == "per_grade") {
    r.kind = DeductionRule::Kind::kPerGrade;
    const Json& g = v.value("per_grade_permille", Json::object());
    if (!g.is_object()) return FieldError("per_grade_permille", "必须是对象", "must be an object");
    for (Grade gr : {Grade::kExcellent, Grade::kGood, Grade::kFair, Grade::kPoor}) {
      auto x = OptInt(g, GradeCode(gr), 0, 1000);
      if (!x.ok()) return x.status();
      if (*x) r.per_grade_permille[gr] = **x;
    }
    SHEFU_RETURN_IF_ERROR(CheckKeys(g, "excellent,good,fair,poor"));
  } else {
    return FieldError("deduction.kind", "只能是 none、below_threshold 或 per_grade",
                      "must be none, below_threshold or per_grade");
  }
  return r;
}

Json DeductionRuleToJson(const DeductionRule& r) {
  switch (r.kind) {
    case DeductionRule::Kind::kNone:
      return {{"kind", "none"}};
    case DeductionRule::Kind::kBelowThreshold:
      return {{"kind", "below_threshold"},
              {"threshold_tenths", r.threshold_tenths},
              {"deduct_permille", r.deduct_permille}};
    case DeductionRule::Kind::kPerGrade: {
      Json g = Json::object();
      for (const auto& [grade, pm] : r.per_grade_permille) g[GradeCode(grade)] = pm;
      return {{"kind", "per_grade"}, {"per_grade_permille", std::move(g)}};
    }
  }
  return {{"kind", "none"}};
}

Result<PaymentValue> PaymentFromJson(const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "project,kind,amount_fen,paid_on,milestone,place"));
  PaymentValue out;
  auto project = GetString(v, "project", 64, 1);
  if (!project.ok()) return project.status();
  out.project = *project;
  auto kind = GetKind(v);
  if (!kind.ok()) return kind.status();
  out.payment.kind = *kind;
  auto a = GetFen(v, "amount_fen");
  if (!a.ok()) return a.status();
  out.payment.amount = *a;
  auto paid = GetContractDate(v, "paid_on");
  if (!paid.ok()) return paid.status();
  out.payment.paid_on = *paid;
  auto m = OptString(v, "milestone", 200);
  if (!m.ok()) return m.status();
  out.payment.milestone = m->value_or("");
  auto place = GetString(v, "place", 32, 1);
  if (!place.ok()) return place.status();
  out.place = *place;
  return out;
}

Json PaymentToJson(const PaymentValue& p) {
  Json j = {{"project", p.project},
            {"kind", PaymentKindCode(p.payment.kind)},
            {"amount_fen", p.payment.amount},
            {"paid_on", FormatDate(p.payment.paid_on)},
            {"place", p.place}};
  if (!p.payment.milestone.empty()) j["milestone"] = p.payment.milestone;
  return j;
}

}  // namespace shefu
