// The printed 表决结果记录 (zh) / vote result record (en). Plain text, one fact per line, so it can
// be printed on the chair's device, signed by the scrutineers and photographed.
#include <sstream>

#include "shared/tally.h"

namespace shefu {
namespace {

const char* InvalidReason(const std::string& code, Lang lang) {
  bool zh = lang == Lang::kZh;
  if (code == "over_filled") return zh ? "多选" : "over-filled";
  if (code == "unknown_option") return zh ? "无法识别的选项" : "unknown option";
  if (code == "duplicate_mark") return zh ? "重复标记" : "duplicate mark";
  if (code == "illegible") return zh ? "无法辨认" : "illegible";
  return code.c_str();
}

Text StatusName(OptionStatus s) {
  switch (s) {
    case OptionStatus::kSelected:
      return {"入选", "selected"};
    case OptionStatus::kTied:
      return {"并列", "tied"};
    case OptionStatus::kNotSelected:
      break;
  }
  return {"未入选", "not selected"};
}

std::string Line(const CheckLine& c, Lang lang) {
  std::string s = c.rule.in(lang) + " — " + c.inequality.in(lang);
  if (!c.source.empty()) s += "  [" + c.source + "]";
  return s;
}

}  // namespace

std::string RenderTallyRecord(const TallyRecord& r, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const bool households = r.roll_base == QuorumBase::kHouseholds;
  const std::string unit = zh ? (households ? " 户" : " 人") : "";
  std::ostringstream o;
  o << (zh ? "表决结果记录" : "Vote result record") << "\n";
  o << (zh ? "会议：" : "Meeting: ") << MeetingKindName(r.kind).in(lang) << "\n";
  o << (zh ? "事项：" : "Motion: ") << r.title << "\n";
  std::string how =
      r.secret ? (zh ? "无记名投票" : "secret ballot") : (zh ? "记名投票" : "open ballot");
  std::string where = r.mode == BallotMode::kPaperBox ? (zh ? "纸质票箱" : "paper ballot box")
                                                      : (zh ? "离线设备" : "offline devices");
  o << (zh ? "表决方式：" : "Method: ") << how << (zh ? "（" : " (") << where << (zh ? "）" : ")")
    << "\n";
  std::string ratio = r.attendance ? FormatPermilleAsPercent(r.attendance_permille) + " (" +
                                         FormatRatio(*r.attendance) + ")"
                                   : "—";
  if (zh) {
    o << "应到 " << r.roll.expected << unit << "，实到 " << r.roll.present << unit << "，比例 "
      << ratio << "\n";
  } else {
    o << "Roll " << r.roll.expected << (households ? " households" : "") << ", present "
      << r.roll.present << ", ratio " << ratio << "\n";
  }
  for (const auto& c : r.quorum.lines) o << Line(c, lang) << "\n";
  if (zh) {
    o << "表决时实到 " << r.present_at_vote << " 人，领票 " << r.voters << " 人，收回选票 "
      << r.count.returned << " 张：有效 " << r.count.valid << " 张，空白 " << r.count.blank
      << " 张，无效 " << r.count.invalid << " 张";
  } else {
    o << "Present at the vote " << r.present_at_vote << ", voters " << r.voters
      << ", ballots returned " << r.count.returned << ": valid " << r.count.valid << ", blank "
      << r.count.blank << ", invalid " << r.count.invalid;
  }
  if (!r.count.invalid_reasons.empty()) {
    o << (zh ? "（" : " (");
    bool first = true;
    for (const auto& [code, n] : r.count.invalid_reasons) {
      if (!first) o << (zh ? "，" : ", ");
      first = false;
      o << InvalidReason(code, lang) << " " << n;
    }
    o << (zh ? "）" : ")");
  }
  o << "\n";
  const bool choose_k = r.ballot_kind == BallotKind::kChooseK;
  for (const auto& opt : r.options) {
    o << opt.label.in(lang) << " " << opt.votes
      << (zh ? " 票" : (opt.votes == 1 ? " vote" : " votes"));
    if (choose_k) o << (zh ? "，" : ", ") << StatusName(opt.status).in(lang);
    o << "\n";
    if (opt.decision) o << "  " << Line(*opt.decision, lang) << "\n";
  }
  if (r.excess > 0) o << (zh ? "多出选票：" : "Extra ballots: ") << r.excess << "\n";
  for (const auto& f : r.findings.all()) o << (zh ? "说明：" : "Note: ") << f.text.in(lang) << "\n";
  o << (zh ? "结论：" : "Result: ") << TallyVerdictName(r.verdict).in(lang) << "\n";
  return o.str();
}

}  // namespace shefu
