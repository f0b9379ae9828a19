#!/usr/bin/env bash
# Makes test/fixtures/release1.db.gz: an office's file as the release-1 build left it (schema 3,
# events v1), for the storage-v2 upgrade test, and test/fixtures/release1-expected.json: what the
# release-1 build said about it (every ticket, the months' reports, the overdue list), which the
# upgraded file must still say.
#
#   scripts/release1-fixture/make.sh /path/to/release-1/checkout   # built (npm run build) at a83027e or 1de8ab7
#
# The same office made by a later build, for the next schema's upgrade test (issue 11: schema 4,
# storage v2, made by the build at 1ef44f5; issue 12: schema 5, the procedure as data, made by the
# build at 3dbee98):
#
#   scripts/release1-fixture/make.sh /path/to/checkout storage-v2
#   scripts/release1-fixture/make.sh /path/to/checkout procedure-v5
#   scripts/release1-fixture/make.sh /path/to/checkout office-v6      # issue 13: schema 6, made at a59af39
set -euo pipefail
old="${1:?the release-1 checkout (with dist/ built)}"
name="${2:-release1}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
db="$work/office.db"
export TZ=Asia/Shanghai COMPLAINTS_USER=clerk1 NO_COLOR=1 LANG=en_US.UTF-8
c() { node "$old/dist/main.js" --db "$db" "$@"; }

c demo --tickets 40 --seed 11 --months 3 --as-of "2026-11-20 12:00" >/dev/null
# Every other kind of event release 1 wrote, by hand: settings changes with their recomputes, a
# Chinese note, a complaint with every personal field, and a restore that skipped numbers.
c calendar hours set mon-fri 09:00-12:00,13:00-17:30 >/dev/null
c sla set resolve general 4wd >/dev/null
# A build with the procedure as data (issue 11, schema 5: procedure-v5 made by the build at 3dbee98)
# also writes an office list item, an office stage and a phone kept as typed before the phone rules
# (issue 12 backfills its search key from it).
if c stages show >/dev/null 2>&1; then
  c lists add channel fax --label-en Fax --label-zh 传真 >/dev/null
  c stages add acknowledge --start receipt --sla 0.5wd --label-en Acknowledgement >/dev/null
  c log --name 赵六 --phone "+86 (138) 0013-8001" --email Zhao.Liu@Example.CN --channel fax --category product --subject 传真投诉 \
    --received-at "2026-11-19 08:30" --at "2026-11-19 08:40" --yes >/dev/null
fi
c log --name 王芳 --phone 13800138000 --email wang@example.cn --address "上海市浦东新区世纪大道1号" --org 某某公司 \
  --channel phone --category delivery --subject 包裹两周未到 --description "快递单号 SF123，客户王芳多次来电" --demand 退运费 \
  --received-at "2026-11-19 09:30" --at "2026-11-19 09:35" --yes >/dev/null
last="$(c list --limit 1 --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).tickets[0].no))')"
c note "$last" --message "客户王芳再次来电，电话13800138000" --at "2026-11-19 10:00" >/dev/null
c assign "$last" --unit 物流部 --to 李雷 --at "2026-11-19 10:30" >/dev/null
c hold "$last" --reason waiting-customer --note "等王芳提供照片" --at "2026-11-19 11:00" >/dev/null
c backup "$work/copy.db" >/dev/null
c log --name 李四 --phone 13900001111 --channel web --category service --subject 态度差 --received-at "2026-11-20 09:00" --at "2026-11-20 09:00" --yes >/dev/null
c restore "$work/copy.db" --at "2026-11-20 10:00" >/dev/null
c verify >/dev/null

node "$here/scripts/release1-fixture/expected.mjs" "$old/dist/main.js" "$db" > "$here/test/fixtures/$name-expected.json"
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE); VACUUM;'
gzip -9 -c "$db" > "$here/test/fixtures/$name.db.gz"
rm -rf "$work"
