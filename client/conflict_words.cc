#include "client/conflict_words.h"

#include "client/need_form.h"
#include "shared/civil_time.h"

namespace shefu::client {
namespace {

bool Zh(const ConflictWordsContext& ctx) {
  return ctx.lang == Lang::kZh;
}

std::string ValueText(const StoredConflict& c, const Json& v, Lang lang) {
  if (c.entity == "need") return NeedValueText(c.group, v, lang);
  std::string s = DumpJson(v);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

std::string FieldName(const StoredConflict& c, Lang lang) {
  return NeedFieldName(c.group).in(lang);
}

std::string Date(int64_t ms, const ConflictWordsContext& ctx) {
  return ms > 0 ? FormatShortLocalDate(ms, ctx.lang) : "";
}

std::string Record(const StoredConflict& c, Lang lang) {
  if (c.entity == "need") return lang == Lang::kZh ? "这条需求" : "this need";
  return lang == Lang::kZh ? "这条记录" : "this record";
}

}  // namespace

std::string ConflictRole(const StoredConflict& c, const std::string& me) {
  if (me.empty()) return "none";
  bool refused =
      c.rule == "validation_reject" || c.rule == "permission_reject" || c.rule == "scope_reject";
  if (c.loser.node == me) return refused ? "refused" : "lost";
  if (c.winner && c.winner->node == me) return "won";
  return "none";
}

std::string NodeName(const std::string& node, const ConflictWordsContext& ctx) {
  if (!ctx.me.empty() && node == ctx.me) return Zh(ctx) ? "你" : "you";
  if (ctx.directory.is_object()) {
    auto it = ctx.directory.find(node);
    if (it != ctx.directory.end() && it->is_string()) return it->get<std::string>();
  }
  if (node == "server")
    return !ctx.server_name.empty() ? ctx.server_name : (Zh(ctx) ? "镇街工作人员" : "town staff");
  if (node == "anonymous") return Zh(ctx) ? "匿名提交" : "an anonymous submission";
  return (Zh(ctx) ? "另一台设备（" : "another device (") + node + (Zh(ctx) ? "）" : ")");
}

std::string ConflictText(const StoredConflict& c, const ConflictWordsContext& ctx) {
  const Lang lang = ctx.lang;
  const bool zh = Zh(ctx);
  const std::string field = FieldName(c, lang);
  const std::string lv = ValueText(c, c.loser.value, lang);
  const std::string loser = NodeName(c.loser.node, ctx);
  const std::string ld = Date(c.loser.stamp_ms, ctx);
  const bool i_lost = !ctx.me.empty() && c.loser.node == ctx.me;
  const bool deleted = c.group == "_deleted";
  const std::string losers = i_lost ? std::string("your") : loser + "'s";

  if (c.rule == "lww_concurrent" && c.winner) {
    const std::string winner = NodeName(c.winner->node, ctx);
    const std::string wd = Date(c.winner->stamp_ms, ctx);
    const std::string wv = ValueText(c, c.winner->value, lang);
    if (deleted) {
      if (zh)
        return winner + " " + wd + " 把" + Record(c, lang) + "标为“" + wv + "”；" + loser +
               "标为“" + lv + "”（未被采用）";
      return winner + " marked " + Record(c, lang) + " " + wv + " on " + wd + "; " + loser +
             " marked it " + lv + " (not kept)";
    }
    if (i_lost) {
      if (zh)
        return winner + " " + wd + " 把" + field + "改成 " + wv + "；你改成 " + lv + "（未被采用）";
      return winner + " changed the " + field + " to " + wv + " on " + wd + "; you changed it to " +
             lv + " (not kept)";
    }
    if (zh)
      return winner + " " + wd + " 把" + field + "改成 " + wv + "（已采用）；" + loser + " " + ld +
             " 改成 " + lv + "（未被采用）";
    return winner + " changed the " + field + " to " + wv + " on " + wd + " (kept); " + loser +
           " changed it to " + lv + " on " + ld + " (not kept)";
  }
  if (c.rule == "edit_vs_delete") {
    std::string who = c.winner ? NodeName(c.winner->node, ctx) : (zh ? "有人" : "someone");
    std::string wd = c.winner ? Date(c.winner->stamp_ms, ctx) : "";
    if (zh)
      return who + (wd.empty() ? "" : " " + wd) + " 删除了" + Record(c, lang) + "；" + loser +
             "对" + field + "的修改（" + lv + "）已保留，恢复后生效";
    return who + " deleted " + Record(c, lang) + (wd.empty() ? "" : " on " + wd) + "; " + losers +
           " change of the " + field + " (" + lv + ") is kept and returns if it is restored";
  }
  if (c.rule == "validation_reject" || c.rule == "permission_reject" || c.rule == "scope_reject") {
    if (zh)
      return loser + " " + ld + " 对" + field + "的修改（" + lv + "）被服务器拒绝：" + c.message.zh;
    return "the server refused " + losers + " change of the " + field + " (" + lv + ") made on " +
           ld + ": " + c.message.en;
  }
  if (c.rule == "clock_skew") {
    if (zh)
      return loser + "对" + field +
             "的修改时间比服务器快了 5 分钟以上（设备时钟不准），已按服务器收到的时间处理";
    return losers + " change of the " + field +
           " was stamped more than 5 minutes ahead of the server (wrong device clock); the "
           "server's time was used";
  }
  if (c.rule == "duplicate_key" && c.winner) {
    std::string winner = NodeName(c.winner->node, ctx);
    if (zh) return loser + " " + ld + " 登记的投票与 " + winner + " 登记的重复，只计先登记的一票";
    return "the vote " + loser + " recorded on " + ld + " duplicates one recorded by " + winner +
           "; only the earlier one counts";
  }
  return (zh ? c.message.zh : c.message.en) + (zh ? "（" : " (") + loser + ": " + lv +
         (zh ? "）" : ")");
}

Json ConflictJson(const StoredConflict& c, const ConflictWordsContext& ctx) {
  auto side = [&](const ConflictSideView& s) {
    return Json{{"by", s.node},
                {"by_name", NodeName(s.node, ctx)},
                {"date", s.stamp_ms > 0 ? FormatUtcIso(s.stamp_ms) : ""},
                {"value_text", ValueText(c, s.value, ctx.lang)}};
  };
  return Json{{"id", c.id},
              {"entity", c.entity},
              {"record_id", c.record_id},
              {"short_id", ShortId(c.record_id)},
              {"field", c.group},
              {"field_name", FieldName(c, ctx.lang)},
              {"rule", c.rule},
              {"status", c.status},
              {"mine", ConflictRole(c, ctx.me)},
              {"text", ConflictText(c, ctx)},
              {"winner", c.winner ? side(*c.winner) : Json(nullptr)},
              {"loser", side(c.loser)},
              {"detected", c.detected_ms > 0 ? FormatUtcIso(c.detected_ms) : ""}};
}

}  // namespace shefu::client
