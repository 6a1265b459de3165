#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the end-to-end demo on the embedded
# SQLite store with the real binaries only:
#   a town server initialised with the Zhuhai reference data; two field devices enrolled; needs
#   recorded on both while the server is down; sync; a conflict shown on both devices and to
#   staff, resolved by staff; the merged result; a purchase project moving through its lifecycle
#   under the policy's rules (the 40 % advance refused at 40 % + 1 fen); CSV export; audit check.
#   a villagers' meeting voting offline on both tablets (one person on both), tallied by the server;
#   an anonymous satisfaction survey of the project's households on both tablets, indexed by the server.
# Re-runnable: every run works in a fresh directory (printed at the end, kept for inspection).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "构建中 / building ..."
bash scripts/build.sh plain >/dev/null

SERVER=$PWD/build/server/shefu-server
SHEFU=$PWD/build/client/shefu
WORK=$(mktemp -d /tmp/shefu-demo.XXXXXX)
DATA=$WORK/server
DEV_A=$WORK/device-wang
DEV_B=$WORK/device-li
export SHEFU_ADMIN_PASSWORD=demo-admin-password
export LANG=zh_CN.UTF-8 LC_ALL=
SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s#$WORK#\$DEMO#g; s#$PWD/build/[a-z]*/##g"; "$@"; }

start_server() {
  rm -f "$DATA/serve.json"
  "$SERVER" serve --data "$DATA" --listen "127.0.0.1:${PORT:-0}" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [[ -s "$DATA/serve.json" ]] && break; sleep 0.05; done
  PORT=$(jq -r .port "$DATA/serve.json")
  URL="http://127.0.0.1:$PORT"
  echo "shefu-server 在 $URL 运行（pid $SERVER_PID）/ running"
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# Staff API helpers (curl + jq).
api() {  # api METHOD PATH [JSON] -> prints the reply body; fails on an unexpected status
  local method=$1 path=$2 body=${3:-}
  curl -sS -X "$method" "$URL$path" -H "Authorization: Bearer $TOKEN" \
       ${body:+-H 'Content-Type: application/json' --data "$body"}
}
event() {  # event PROJECT EVENT [REASON]
  local r
  r=$(api POST "/v1/projects/$1/events" "{\"event\":\"$2\"${3:+,\"reason\":\"$3\"}}")
  printf '  %-22s → %s\n' "$2" "$(jq -r '.state // ("拒绝 refused: " + .message_zh)' <<<"$r")"
}

step "1. 初始化镇街服务器：载入珠海参考数据，创建市级管理员 / init with the Zhuhai reference data"
run "$SERVER" init --data "$DATA"
SHEFU_USER_PASSWORD=demo-town-password "$SERVER" user add --data "$DATA" --login town \
  --name 三灶镇工作人员 --role town_staff --place 440404100 >/dev/null
SHEFU_USER_PASSWORD=demo-district-password "$SERVER" user add --data "$DATA" --login district \
  --name 金湾区管理员 --role district_admin --place 440404 >/dev/null
SHEFU_USER_PASSWORD=demo-wang-password "$SERVER" user add --data "$DATA" --login wang \
  --name 王社工 --role community_worker --place 440404100204 >/dev/null
SHEFU_USER_PASSWORD=demo-lisi-password "$SERVER" user add --data "$DATA" --login lisi \
  --name 李社工 --role community_worker --place 440404100204 >/dev/null
run "$SERVER" user list --data "$DATA"

step "2. 启动服务，为两台平板生成一次性注册码并注册 / serve, enrol two field devices"
start_server
CODE_A=$("$SERVER" device enrol --data "$DATA" --user wang --label 王社工的平板 --url "$URL" | tee "$WORK/enrol-a.txt" | sed -n 's/^.*code=\([A-Z0-9-]*\).*$/\1/p')
sed -n '1,4p' "$WORK/enrol-a.txt"
CODE_B=$("$SERVER" device enrol --data "$DATA" --user lisi --label 李社工的平板 --url "$URL" --no-qr | sed -n 's/^.*code=\([A-Z0-9-]*\).*$/\1/p')
run "$SHEFU" --data "$DEV_A" enrol "$URL" "$CODE_A"
run "$SHEFU" --data "$DEV_B" enrol "$URL" "$CODE_B"

step "3. 王社工入户登记一条需求并同步；李社工同步后也看到它 / a shared need"
NEED=$("$SHEFU" --data "$DEV_A" need add --building 3栋 --room 502 --sub-item basic.elderly_care \
  --description "独居老人需要助餐和定期探访" --people 2 --urgency normal --phone 13812341234 --json | jq -r .id)
run "$SHEFU" --data "$DEV_A" sync
run "$SHEFU" --data "$DEV_B" sync
run "$SHEFU" --data "$DEV_B" need list

step "4. 服务器停机（离线）：两台设备各自登记新需求，并同时修改同一条需求 / offline edits"
stop_server
run "$SHEFU" --data "$DEV_A" need add --building 5栋 --room 101 --sub-item special_groups.disabled \
  --description "轮椅使用者需要无障碍坡道信息和出行陪同" --people 1 --urgency high
run "$SHEFU" --data "$DEV_B" need add --building 8栋 --room 303 --sub-item safety.mediation \
  --description "楼上漏水引发邻里纠纷，需要调解" --people 4
run "$SHEFU" --data "$DEV_A" need edit "$NEED" --people 4
run "$SHEFU" --data "$DEV_B" need edit "$NEED" --people 3 --urgency high
run "$SHEFU" --data "$DEV_B" sync || echo "（服务器不可达：同步失败，数据仍在设备上 / server unreachable; data stays on the device）"
run "$SHEFU" --data "$DEV_B" status

step "5. 服务器恢复，两台设备同步 / the server is back; both devices sync"
start_server
run "$SHEFU" --data "$DEV_A" sync
run "$SHEFU" --data "$DEV_B" sync
run "$SHEFU" --data "$DEV_A" sync

step "6. 冲突：不同字段的修改都保留，同一字段的修改进入冲突记录 / the conflict, in plain words"
run "$SHEFU" --data "$DEV_A" conflicts
run "$SHEFU" --data "$DEV_B" conflicts
echo "合并结果 / merged result:"
run "$SHEFU" --data "$DEV_B" need show "$NEED"

step "7. 镇街工作人员在服务器上看到并处理冲突 / staff review the conflict"
TOKEN=$(curl -sS "$URL/v1/login" -H 'Content-Type: application/json' \
  --data '{"login":"town","password":"demo-town-password"}' | jq -r .token)
CONFLICT=$(api GET "/v1/conflicts?status=open" | jq -r '.conflicts[] | select(.group=="people") | .id')
api GET "/v1/conflicts/$CONFLICT" | jq '{rule, group, winner: .winner.value, loser: .loser.value, message: .zh}'
echo "工作人员决定采用被覆盖的值 / staff take the losing value:"
api POST "/v1/conflicts/$CONFLICT/resolve" '{"action":"take_loser"}' | jq '{status, resolution}'
"$SHEFU" --data "$DEV_A" sync >/dev/null && "$SHEFU" --data "$DEV_B" sync >/dev/null
echo "两台设备再次同步后一致 / after the next sync both devices agree:"
printf '  王社工: %s 人 / 李社工: %s 人\n' \
  "$("$SHEFU" --data "$DEV_A" need show "$NEED" --json | jq .people)" \
  "$("$SHEFU" --data "$DEV_B" need show "$NEED" --json | jq .people)"
api GET "/v1/needs/summary?by=category" | jq -c '.groups // .'

step "8. 村民会议离线表决（第十九条“民主表决”）/ a villagers' meeting votes offline"
{ echo "ref,name,household,group,adult,rep,proxy_ref,proxy_written"
  i=0; for n in 张建国 王秀英 李志强 赵丽华 陈国梁 刘海燕 张伟 王芳 李明 赵静 陈强 刘洋; do
    i=$((i+1)); echo "$i,$n,户$(( (i+1)/2 )),一组,是,否,,"; done; } > "$WORK/roll.csv"
MEETING=$("$SERVER" meeting create --data "$DATA" --community 440404100204 --kind villagers_meeting \
  --title "社区长者饭堂项目是否提议" --date "$(TZ=Asia/Shanghai date +%F)" --ballot-kind yes_no_abstain --json | jq -r .id)
run "$SERVER" meeting roll --data "$DATA" "$MEETING" --csv "$WORK/roll.csv"
"$SHEFU" --data "$DEV_A" sync >/dev/null && "$SHEFU" --data "$DEV_B" sync >/dev/null
stop_server
echo "（会场没有网络：服务器不可达 / the hall has no network）"
run "$SHEFU" --data "$DEV_A" meeting open "$MEETING" --ballot b1
run "$SHEFU" --data "$DEV_A" meeting checkin "$MEETING" 1 2 3 4 5 6 7 8
"$SHEFU" --data "$DEV_B" meeting checkin "$MEETING" 9 10 >/dev/null
for e in 1 2 3 4 5 6; do "$SHEFU" --data "$DEV_A" meeting vote "$MEETING" --ballot b1 --entry $e --choice yes >/dev/null; done
"$SHEFU" --data "$DEV_A" meeting vote "$MEETING" --ballot b1 --entry 7 --choice abstain >/dev/null
run "$SHEFU" --data "$DEV_A" meeting vote "$MEETING" --ballot b1 --entry 8 --choice no
echo "同一人在本机再投一次被拒绝 / a second vote by the same person on this tablet is refused:"
run "$SHEFU" --data "$DEV_A" meeting vote "$MEETING" --ballot b1 --entry 8 --choice yes || true
"$SHEFU" --data "$DEV_B" meeting vote "$MEETING" --ballot b1 --entry 9 --choice yes >/dev/null
"$SHEFU" --data "$DEV_B" meeting vote "$MEETING" --ballot b1 --entry 10 --choice no >/dev/null
echo "3 号又在另一台平板上签到投票（两台设备互不知情）/ voter 3 also votes on the other tablet:"
"$SHEFU" --data "$DEV_B" meeting checkin "$MEETING" 3 >/dev/null
run "$SHEFU" --data "$DEV_B" meeting vote "$MEETING" --ballot b1 --entry 3 --choice no
run "$SHEFU" --data "$DEV_A" meeting close "$MEETING" --ballot b1
"$SHEFU" --data "$DEV_B" meeting close "$MEETING" --ballot b1 >/dev/null
start_server
"$SHEFU" --data "$DEV_A" sync >/dev/null; "$SHEFU" --data "$DEV_B" sync >/dev/null
echo "服务器合并两台平板后的正式计票 / the server's tally after both tablets synced:"
run "$SERVER" meeting result --data "$DATA" "$MEETING" --ballot b1
run "$SERVER" meeting finalize --data "$DATA" "$MEETING" --ballot b1

step "9. 一个购买服务项目走完生命周期（第十九至二十八条）/ a project through its lifecycle"
Y=$(( $(date -u +%Y) - 1 ))
DTOKEN=$(curl -sS "$URL/v1/login" -H 'Content-Type: application/json' \
  --data '{"login":"district","password":"demo-district-password"}' | jq -r .token)
SAVE=$TOKEN; TOKEN=$DTOKEN
api POST /v1/catalogues "{\"district\":\"440404\",\"year\":$Y,\"items\":[{\"sub_item\":\"basic.elderly_care\"}]}" >/dev/null
echo "金湾区公布 $Y 年项目清单（第七条）/ catalogue published:"
api POST "/v1/catalogues/440404/$Y/publish" '{}' | jq -c '{status: (.catalogue.status // .status), warnings: [.warnings[]?.code]}'
TOKEN=$SAVE
api PUT "/v1/towns/440404100/funds/$Y" '{"amount_fen":50000000}' >/dev/null
PROJECT=$(api POST /v1/projects "{\"place\":\"440404100\",\"proposal\":{\"title\":\"高龄独居长者助餐探访\",\"origin\":\"town_planned\",\"category\":\"basic\",\"sub_item\":\"basic.elderly_care\",\"year\":$Y,\"beneficiaries\":200,\"fee_mode\":\"free\"},\"funding\":{\"budget_fen\":10000000,\"lines\":[{\"source\":\"fiscal\",\"level\":\"district\",\"original_purpose\":\"居家养老服务专项\",\"amount_fen\":6000000},{\"source\":\"social\",\"subtype\":\"community_fund\",\"amount_fen\":4000000}]},\"evidence\":{\"planning_basis\":\"三灶镇民生实事计划\"},\"indicators\":{\"items\":[{\"name\":\"服务人次\",\"target\":\"不少于1200人次\"}]},\"prohibited\":{\"declared\":[],\"attested\":true}}" | jq -r .id)
echo "项目 / project $PROJECT (草拟 draft)"
event "$PROJECT" approve
event "$PROJECT" submit
event "$PROJECT" start_review
event "$PROJECT" approve
api PUT "/v1/projects/$PROJECT/procurement" '{"method":"inquiry"}' | jq -r '"  询价 inquiry: " + .message_zh'
api PUT "/v1/projects/$PROJECT/procurement" '{"method":"competitive_consultation"}' >/dev/null
event "$PROJECT" start_procurement
api PUT "/v1/projects/$PROJECT/procurement" "{\"method\":\"competitive_consultation\",\"award_notice_ref\":\"成交公告\",\"award_notice_on\":\"$((Y-1))-12-01\",\"provider_org\":\"so-demo\",\"provider_name\":\"珠海市某社工服务中心\"}" >/dev/null
event "$PROJECT" award
CONTRACT="{\"amount_fen\":10000000,\"start\":\"$Y-01-01\",\"end\":\"$Y-12-31\",\"payment_plan\":[{\"kind\":\"advance\",\"amount_fen\":4000000,\"due_on\":\"$Y-01-10\"},{\"kind\":\"progress\",\"amount_fen\":4000000,\"due_on\":\"$Y-07-01\",\"milestone\":\"上半年服务完成\"},{\"kind\":\"final\",\"amount_fen\":2000000,\"due_on\":\"$Y-12-31\"}]}"
api PUT "/v1/projects/$PROJECT/contract" "${CONTRACT/\"end\":\"$Y-12-31\"/\"end\":\"$((Y+3))-06-30\"}" | jq -r '"  合同期超过36个月 / 42-month term: " + .message_zh'
api PUT "/v1/projects/$PROJECT/contract" "$CONTRACT" >/dev/null
api POST "/v1/projects/$PROJECT/contract/sign" "{\"signed_on\":\"$((Y-1))-12-20\"}" >/dev/null
SHEFU_USER_PASSWORD=demo-so-password "$SERVER" user add --data "$DATA" --login shegong --name 社工机构 \
  --role social_org --org so-demo >/dev/null
STOKEN=$(curl -sS "$URL/v1/login" -H 'Content-Type: application/json' \
  --data '{"login":"shegong","password":"demo-so-password"}' | jq -r .token)
SAVE=$TOKEN; TOKEN=$STOKEN
api POST "/v1/projects/$PROJECT/contract/sign" "{\"signed_on\":\"$((Y-1))-12-22\"}" >/dev/null
event "$PROJECT" sign_contract
TOKEN=$SAVE
pay() { api POST "/v1/projects/$PROJECT/payments" "$1" | jq -r "\"  $2: \" + (if .payment then \"已支付 paid \" + .payment.amount_yuan + \" 元\" else \"拒绝 refused — \" + .message_zh end)"; }
pay "{\"kind\":\"advance\",\"amount_fen\":4000001,\"paid_on\":\"$Y-01-05\"}" "预付 40% + 1 分"
pay "{\"kind\":\"advance\",\"amount_fen\":4000000,\"paid_on\":\"$Y-01-05\"}" "预付 40%"
event "$PROJECT" start_service
pay "{\"kind\":\"progress\",\"amount_fen\":4000000,\"paid_on\":\"$Y-07-01\",\"milestone\":\"上半年服务完成\"}" "进度款"
echo "  服务对象满意度调查（第二十六条）：镇街发布问卷和抽样名单，两台平板入户询问 / satisfaction survey:"
SURVEY=$(api POST "/v1/projects/$PROJECT/surveys" '{"min_n":5,"template":{"format":"shefu-survey/1","id":"meals","version":1,"title":{"zh":"助餐探访满意度","en":"Meals and visits"},"anonymous":true,"questions":[{"id":"q1","type":"satisfaction5","text":{"zh":"您对助餐探访服务满意吗？"},"required":true},{"id":"q2","type":"text","text":{"zh":"不满意的原因"},"max_length":200,"show_if":{"question":"q1","any_of":["dissatisfied","very_dissatisfied"]}}]}}' | jq -r .survey.id)
RECIPIENTS=$(for i in 1 2 3 4 5 6; do printf '{"ref":"HH-%s","community":"440404100204","label":"%s号 张*"},' "$i" "$i"; done)
api POST "/v1/surveys/$SURVEY/frame" "{\"recipients\":[${RECIPIENTS%,}],\"sample_size\":6}" >/dev/null
"$SHEFU" --data "$DEV_A" sync >/dev/null && "$SHEFU" --data "$DEV_B" sync >/dev/null
mapfile -t ENTRIES < <("$SHEFU" --data "$DEV_A" survey show "$SURVEY" --json | jq -r '.frame[].entry')
ANSWERS=(very_satisfied satisfied satisfied very_satisfied neutral dissatisfied)
for i in 0 1 2 3 4 5; do
  dev=$DEV_A; (( i >= 3 )) && dev=$DEV_B
  a="{\"q1\":\"${ANSWERS[$i]}\"}"; [[ ${ANSWERS[$i]} == dissatisfied ]] && a="{\"q1\":\"dissatisfied\",\"q2\":\"送餐时间不固定\"}"
  "$SHEFU" --data "$dev" survey take "$SURVEY" --entry "${ENTRIES[$i]}" --answers "$a" >/dev/null
done
"$SHEFU" --data "$DEV_A" survey close "$SURVEY" >/dev/null; "$SHEFU" --data "$DEV_B" survey close "$SURVEY" >/dev/null
"$SHEFU" --data "$DEV_A" sync >/dev/null && "$SHEFU" --data "$DEV_B" sync >/dev/null
run "$SERVER" satisfaction --data "$DATA" --project "$PROJECT"
event "$PROJECT" start_evaluation
pay "{\"kind\":\"final\",\"amount_fen\":2000000,\"paid_on\":\"$Y-12-31\"}" "评估前的尾款"
api PUT "/v1/projects/$PROJECT/evaluation" '{"score_tenths":865,"passed":true,"survey_done":true,"two_committee_opinion":true,"resident_rep_opinion":true}' | jq -r '"  绩效评价 evaluation: 86.5 分 → " + ({"excellent":"优","good":"良","fair":"中","poor":"差"}[.project.groups.evaluation.grade]) + " (" + .project.groups.evaluation.grade + ")"'
event "$PROJECT" complete_evaluation
pay "{\"kind\":\"final\",\"amount_fen\":2000000,\"paid_on\":\"$Y-12-31\"}" "尾款"
event "$PROJECT" settle
api PUT "/v1/projects/$PROJECT/evaluation" "{\"score_tenths\":865,\"passed\":true,\"survey_done\":true,\"two_committee_opinion\":true,\"resident_rep_opinion\":true,\"result_notice_on\":\"$((Y+1))-01-05\"}" >/dev/null
event "$PROJECT" publish_result
event "$PROJECT" close
api GET "/v1/projects/$PROJECT" | jq -r '"  政策版本 policy: " + .groups.lifecycle.policy_version + (if .groups.lifecycle.assumed_extended then "（按原版本延续执行 / assumed extended）" else "" end)'

step "10. 导出（Excel 可直接打开，电话脱敏）与审计链校验 / export and audit"
run "$SERVER" export --data "$DATA" --out "$WORK/needs.csv"
head -c 600 "$WORK/needs.csv" | sed '1s/^\xEF\xBB\xBF//'; echo
run "$SERVER" audit verify --data "$DATA"
stop_server
echo
echo "演示完成，数据保留在 / demo finished; its data is kept in: $WORK"
