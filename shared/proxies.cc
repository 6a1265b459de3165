#include "shared/proxies.h"

#include <map>

namespace shefu {
namespace {

std::string Who(const ProxyGrant& g) {
  return g.principal + " → " + g.proxy;
}

}  // namespace

Findings ValidateProxyList(const std::vector<ProxyGrant>& grants, const std::set<std::string>& roll,
                           const ProxyPolicy& policy, int64_t listing_deadline_ms) {
  Findings f;
  const std::string art = kProxyRulesSource;
  if (policy.cap_per_proxy < 1 || policy.cap_per_proxy > 3) {
    f.Error("proxy_cap_out_of_range",
            {"每人受委托数上限应为 1 至 3", "the per-proxy cap must be 1 to 3"}, art);
    return f;
  }
  std::set<std::string> principals;
  for (const auto& g : grants) principals.insert(g.principal);
  std::set<std::string> seen_principal;
  std::map<std::string, int> carried;
  for (const auto& g : grants) {
    const std::string w = Who(g);
    if (!g.written)
      f.Error("proxy_not_written",
              {"委托未采用书面形式：" + w, "the proxy is not in writing: " + w}, art);
    if (g.listed_at_ms > listing_deadline_ms)
      f.Error(
          "proxy_listed_late",
          {"委托未在会前列入公布名单：" + w, "the proxy was not listed before the meeting: " + w},
          art);
    if (!roll.count(g.principal))
      f.Error("proxy_principal_not_on_roll",
              {"委托人不在本次名册中：" + g.principal, "principal not on the roll: " + g.principal},
              art);
    if (!roll.count(g.proxy))
      f.Error("proxy_not_on_roll",
              {"受委托人不在本次名册中：" + g.proxy, "proxy not on the roll: " + g.proxy}, art);
    if (g.principal == g.proxy)
      f.Error("proxy_self", {"不能委托本人：" + w, "a voter cannot be their own proxy: " + w}, art);
    if (!seen_principal.insert(g.principal).second)
      f.Error("proxy_principal_twice",
              {"同一委托人只能委托一人：" + g.principal,
               "a principal may entrust only one proxy: " + g.principal},
              art);
    if (principals.count(g.proxy))
      f.Error("proxy_chain",
              {"受委托人本身已委托他人，不能再接受委托：" + g.proxy,
               "the proxy has entrusted their own vote and cannot carry others: " + g.proxy},
              art);
    if (policy.close_relatives_only && !g.close_relative)
      f.Error("proxy_not_close_relative",
              {"只能委托近亲属：" + w, "only a close relative may be a proxy: " + w}, art);
    ++carried[g.proxy];
  }
  for (const auto& [proxy, n] : carried) {
    if (n > policy.cap_per_proxy)
      f.Error("proxy_over_cap",
              {"受委托人 " + proxy + " 接受了 " + std::to_string(n) + " 人委托，上限为 " +
                   std::to_string(policy.cap_per_proxy) + " 人",
               "proxy " + proxy + " carries " + std::to_string(n) + " principals; the cap is " +
                   std::to_string(policy.cap_per_proxy)},
              art);
  }
  return f;
}

std::vector<ProxyGrant> ActiveProxies(const std::vector<ProxyGrant>& grants,
                                      const std::set<std::string>& present_in_person) {
  std::vector<ProxyGrant> out;
  for (const auto& g : grants)
    if (!present_in_person.count(g.principal)) out.push_back(g);
  return out;
}

}  // namespace shefu
