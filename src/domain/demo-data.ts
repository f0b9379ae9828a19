/**
 * Realistic sample complaints for `demo`: a pure, seeded generator. The same seed, count, span
 * and as-of time give the same office every time, on every machine (no Math.random, no clock).
 *
 * Each ticket is a plan: what the clerk logged and the steps that followed, in time order. The
 * command replays the plan through the lifecycle operations, so demo data obeys every rule the
 * real commands do.
 */
import type { LogInput } from './lifecycle.js';
import {
  type CATEGORIES, type Category, type Channel, type CompensationKind, type Fault, type HoldReason, type ReplyChannel,
} from './model.js';
import type { Instant } from './time.js';
import { addClockTime, type OfficeCalendar } from './working-time.js';

// ---------------------------------------------------------------------------------------------
// Randomness: sfc32, seeded through splitmix32 so that nearby seeds give unrelated streams.

export interface Random {
  /** [0, 1) */
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
}

export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items) => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let x = next() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      return items.at(-1)![0];
    },
  };
  return random;
}

// ---------------------------------------------------------------------------------------------
// The office

export interface DemoUnit {
  name: string;
  staff: readonly string[];
  /** Chance that a surveyed complainant is satisfied: some units do worse (the bulletin flags them). */
  satisfaction: number;
  /** Chance that the first reply misses its deadline. */
  lateReply: number;
  categories: readonly (readonly [(typeof CATEGORIES)[number], number])[];
}

export const DEMO_UNITS: readonly DemoUnit[] = [
  { name: '客服中心', staff: ['张敏', '刘洋', '陈静'], satisfaction: 0.95, lateReply: 0.02, categories: [['service', 5], ['staff', 3], ['other', 2]] },
  { name: '物流部', staff: ['李磊', '王强', '赵刚'], satisfaction: 0.84, lateReply: 0.09, categories: [['delivery', 8], ['service', 1]] },
  { name: '售后服务部', staff: ['孙丽', '周杰', '吴芳'], satisfaction: 0.93, lateReply: 0.04, categories: [['product', 5], ['service', 3]] },
  { name: '质量部', staff: ['郑伟', '冯超'], satisfaction: 0.91, lateReply: 0.05, categories: [['product', 6]] },
  { name: '财务部', staff: ['何静', '高翔'], satisfaction: 0.9, lateReply: 0.03, categories: [['billing', 6], ['price', 4]] },
];

export const DEMO_CLERKS = ['前台-林雪', '前台-黄磊', '热线-马琳'] as const;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['芳', '伟', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '桂英', '建华', '志强', '海燕'];

const SUBJECTS: Record<(typeof CATEGORIES)[number], readonly string[]> = {
  product: ['产品开箱即损坏', '使用一周后出现故障', '产品与描述不符', '配件缺失', '质量问题要求更换'],
  service: ['客服态度冷淡', '多次来电无人处理', '承诺回电未回', '维修上门迟到', '售后流程繁琐'],
  price: ['价格与宣传不一致', '优惠券无法使用', '促销价未生效', '重复收取服务费'],
  delivery: ['快递延误两周', '包裹丢失', '送货上门被拒', '外包装破损', '配送地址错误'],
  staff: ['员工言语不当', '销售误导购买', '营业员拒绝开发票'],
  billing: ['账单金额有误', '退款迟迟未到账', '发票信息错误', '自动续费未告知'],
  other: ['网站无法登录', '会员积分丢失', '投诉建议'],
};

const DEMANDS = ['退款', '换货', '赔偿损失', '书面道歉', '尽快处理', '解释原因', '补发配件', '上门维修'];
const RESOLUTIONS = ['已为客户办理退款', '已更换新品并致歉', '已补发并承担运费', '已解释原因并获客户理解', '已上门维修完毕', '已更正账单并退还差额'];
const REPLY_TEXTS = ['已致电客户说明处理进度', '已告知客户正在核实', '已上门了解情况', '已短信告知处理结果预计时间'];

// ---------------------------------------------------------------------------------------------
// Plans

export type DemoStep =
  | { kind: 'assign'; at: Instant; unit: string; assignee: string | null; actor: string }
  | { kind: 'reply'; at: Instant; via: ReplyChannel; message: string; actor: string }
  | { kind: 'note'; at: Instant; message: string; actor: string }
  | { kind: 'hold'; at: Instant; reason: HoldReason; note: string | null; actor: string }
  | { kind: 'resume'; at: Instant; actor: string }
  | { kind: 'extend'; at: Instant; to: Instant; reason: string; actor: string }
  | {
    kind: 'close'; at: Instant; actor: string; resolution: string; fault: Fault | null;
    compensationCents: number | null; compensationKind: CompensationKind | null;
  }
  | { kind: 'survey'; at: Instant; score: number; comment: string | null; actor: string }
  | { kind: 'unreachable'; at: Instant; actor: string }
  | { kind: 'reopen'; at: Instant; reason: string; actor: string };

export interface DemoTicket {
  loggedAt: Instant;
  loggedBy: string;
  input: LogInput;
  /** In time order; each at or after the one before, none after the as-of time. */
  steps: DemoStep[];
}

export interface DemoOptions {
  tickets: number;
  months: number;
  seed: number;
  asOf: Instant;
  calendar: OfficeCalendar;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Where the demo's spread of `months` (of 30.44 days) before `asOf` begins. */
export function demoStart(asOf: Instant, months: number): Instant {
  return asOf - Math.round(months * 30.44 * DAY);
}

/**
 * The tickets, in order of receipt, spread over the `months` before `asOf` (demoStart), busier
 * on working days and in working hours.
 */
export function* demoTickets(options: DemoOptions): Generator<DemoTicket> {
  const random = seededRandom(options.seed);
  const start = demoStart(options.asOf, options.months);
  const span = options.asOf - start;
  // Arrival times: uniform draws, most nudged into office hours, then sorted so that receipt
  // order is ticket-number order.
  const times: number[] = new Array(options.tickets);
  for (let i = 0; i < options.tickets; i++) {
    const raw = start + Math.floor(random.next() * span);
    // Most complaints come in while the office is open; the rest (web, email) at any hour.
    times[i] = random.chance(0.75) ? Math.min(addClockTime(options.calendar, 'working', raw, 0) ?? raw, options.asOf - MINUTE) : raw;
  }
  times.sort((a, b) => a - b);
  for (const receivedAt of times) yield planTicket(random, receivedAt, options);
}

function planTicket(random: Random, receivedAt: Instant, options: DemoOptions): DemoTicket {
  const cal = options.calendar;
  const working = (from: Instant, minutes: number): Instant => addClockTime(cal, 'working', from, minutes) ?? from + minutes * MINUTE;
  const unit = random.weighted(DEMO_UNITS.map((u) => [u, u.name === '客服中心' ? 3 : u.name === '物流部' ? 3 : 2] as const));
  const category = random.weighted(unit.categories);
  const channel: Channel = random.weighted<Channel>([
    ['phone', 30], ['web', 18], ['email', 12], ['social', 10], ['visit', 8], ['letter', 5], ['forum', 4], ['internal', 3], ['other', 2],
  ]);
  const anonymous = random.chance(0.04);
  const amountCents = random.chance(0.45) ? random.weighted([[random.int(20, 499), 70], [random.int(500, 9_999), 27], [random.int(10_000, 50_000), 3]] as const) * 100 : null;
  const safety = category === 'product' && random.chance(0.02);
  const external = random.chance(0.01);
  const urgent = random.chance(0.03);
  const loggedBy = random.pick(DEMO_CLERKS);
  const staff = (): string => random.pick(unit.staff);
  // Letters are read and logged the next working morning; the rest as they come in.
  const loggedAt = Math.min(channel === 'letter' ? working(receivedAt, random.int(20, 200)) : receivedAt + random.int(1, 15) * MINUTE, options.asOf);
  const assignAtLog = random.chance(0.8);
  const input: LogInput = {
    complainant: {
      name: anonymous ? null : random.pick(SURNAMES) + random.pick(GIVEN),
      anonymous,
      phone: anonymous ? null : `13${random.int(0, 9)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
      email: null,
      address: null,
      org: null,
    },
    channel,
    category,
    subject: random.pick(SUBJECTS[category]),
    description: null,
    demand: random.pick(DEMANDS),
    amountCents,
    product: null,
    batch: null,
    receivedAt,
    customerDue: null,
    unit: assignAtLog ? unit.name : null,
    assignee: assignAtLog && random.chance(0.7) ? staff() : null,
    severity: null,
    urgent,
    safety,
    external,
    group: false,
  };

  const steps: DemoStep[] = [];
  let now = loggedAt;
  /** Adds a step at `at` (never before the last) unless it falls after the as-of time; false stops the plan. */
  const step = (s: DemoStep): boolean => {
    const at = Math.max(s.at, now);
    if (at > options.asOf) return false;
    now = at;
    steps.push({ ...s, at } as DemoStep);
    return true;
  };

  const plan = (): void => {
    if (!assignAtLog && !step({ kind: 'assign', at: working(now, random.int(10, 110)), unit: unit.name, assignee: staff(), actor: loggedBy })) return;
    for (let cycle = 0; cycle < 2; cycle++) {
      // First reply: usually within the 4 working hours, sometimes late.
      const late = random.chance(unit.lateReply);
      // Letters reach the handler only once logged; urgent tickets are answered round the clock.
      const firstReply = late ? working(now, random.int(250, 900)) : urgent ? now + random.int(5, 100) * MINUTE : working(now, random.int(5, channel === 'letter' ? 60 : 200));
      if (!step({ kind: 'reply', at: firstReply, via: random.pick(['phone', 'phone', 'sms', 'email', 'visit'] as const), message: random.pick(REPLY_TEXTS), actor: staff() })) return;
      if (random.chance(0.2) && !step({ kind: 'note', at: working(now, random.int(10, 300)), message: '已联系相关人员核实情况', actor: staff() })) return;
      if (random.chance(0.08)) {
        if (!step({ kind: 'hold', at: working(now, random.int(30, 480)), reason: random.pick(['waiting-customer', 'waiting-third-party'] as const), note: '等待客户提供凭证', actor: staff() })) return;
        if (!step({ kind: 'resume', at: working(now, random.int(240, 2400)), actor: staff() })) return;
      }
      if (random.chance(0.04)) {
        if (!step({ kind: 'extend', at: working(now, random.int(60, 600)), to: working(now, random.int(3000, 6000)), reason: '与客户协商延期', actor: staff() })) return;
      }
      // Updates every one to three working days while the work goes on.
      const updates = random.weighted([[0, 55], [1, 30], [2, 12], [3, 3]] as const);
      for (let u = 0; u < updates; u++) {
        if (!step({ kind: 'reply', at: working(now, random.int(240, random.chance(0.93) ? 1100 : 2000)), via: random.pick(['phone', 'sms', 'email'] as const), message: random.pick(REPLY_TEXTS), actor: staff() })) return;
      }
      const slow = random.chance(0.07);
      const compensated = random.chance(0.18);
      const compensationKind = compensated ? random.weighted<CompensationKind>([['cash', 5], ['goods', 3], ['service', 2]]) : null;
      if (!step({
        kind: 'close', at: working(now, slow ? random.int(2400, 4800) : random.int(60, 1000)), actor: staff(),
        resolution: random.pick(RESOLUTIONS), fault: random.pick(['company', 'customer', 'third-party', 'undetermined'] as const),
        compensationCents: compensationKind === 'cash' || compensationKind === 'goods' ? random.int(20, 800) * 100 : null,
        compensationKind,
      })) return;
      // The callback: most reached within a working day, some after failed attempts, a few never.
      const unreachable = random.chance(0.1) ? random.int(1, 2) : 0;
      for (let a = 0; a < unreachable; a++) {
        if (!step({ kind: 'unreachable', at: working(now, random.int(30, 300)), actor: staff() })) return;
      }
      if (random.chance(0.06)) return;
      const satisfied = random.chance(unit.satisfaction);
      const score = satisfied ? random.weighted([[5, 6], [4, 4]] as const) : random.weighted([[3, 5], [2, 3], [1, 2]] as const);
      if (!step({ kind: 'survey', at: working(now, random.int(15, random.chance(0.9) ? 460 : 900)), score, comment: satisfied ? '满意' : '处理太慢', actor: random.pick(DEMO_CLERKS) })) return;
      // A second complaint: mostly from the dissatisfied.
      if (cycle === 1 || !random.chance(satisfied ? 0.01 : 0.3)) return;
      if (!step({ kind: 'reopen', at: now + random.int(1, 5) * DAY, reason: '客户对处理结果不满意，再次投诉', actor: loggedBy })) return;
    }
  };
  plan();
  return { loggedAt, loggedBy, input, steps };
}
