// Worst-case cost of one next-occurrence search (`npx tsx scripts/bench/recurrence.ts`): rules that
// can never match are answered before any walk, rare ones walk the whole horizon; far-past starts show
// the rebase keeps the walk short. Prints one JSON line per case with the median and max of a few
// runs, in ms of wall time and of this process's CPU time (the machine may be shared: CPU time is the
// cost, wall time what a user waited).
import { firstSlotAfter, parseRule } from "#services/recurrence";

const cases: [string, string, string][] = [
  ["never: DAILY Feb 30 (answered by the 28-year probe)", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "2026-01-01T00:00:00Z"],
  ["rare: DAILY Feb 29 on a Monday", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "2026-01-01T00:00:00Z"],
  ["never: YEARLY day 1 in April", "FREQ=YEARLY;BYMONTH=4;BYYEARDAY=1", "2026-01-01T00:00:00Z"],
  ["never: MONTHLY BYSETPOS=-3 of 2", "FREQ=MONTHLY;BYMONTHDAY=1,2;BYSETPOS=-3", "2026-01-01T00:00:00Z"],
  ["never: WEEKLY Feb 30 by month", "FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYHOUR=1;BYMINUTE=0;BYSECOND=0;BYSETPOS=2", "2026-01-01T00:00:00Z"],
  ["never: YEARLY 60 times a day, BYSETPOS", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30,31;BYHOUR=0,1,2,3,4,5,6,7,8,9;BYMINUTE=0,10,20,30,40,50;BYSETPOS=1", "2026-01-01T00:00:00Z"],
  ["rare: HOURLY Feb 29 on a Monday", "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "2026-01-01T00:00:00Z"],
  ["never: HOURLY unreachable hour pattern", "FREQ=HOURLY;INTERVAL=5;BYMINUTE=0;BYMONTH=2;BYMONTHDAY=30", "2026-01-01T00:00:00Z"],
  ["far past: HOURLY from year 1", "FREQ=HOURLY", "0001-01-01T00:00:00Z"],
  ["far past: DAILY 60 times a day from year 1", "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9;BYMINUTE=0,10,20,30,40,50", "0001-01-01T00:00:00Z"],
  ["never: YEARLY BYSETPOS beyond any year's set", "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA;BYSETPOS=-366", "2026-01-01T00:00:00Z"],
  ["never: YEARLY ISO week 1 in June", "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", "2026-01-01T00:00:00Z"],
  ["never: DAILY every 7 days on another weekday", "FREQ=DAILY;INTERVAL=7;BYDAY=MO", "2026-12-01T00:00:00Z"],
  ["never: MONTHLY every 12 months in another month", "FREQ=MONTHLY;INTERVAL=12;BYMONTH=2;BYMONTHDAY=28", "2026-12-01T00:00:00Z"],
  ["rare: DAILY every 999 days in August", "FREQ=DAILY;INTERVAL=999;BYMONTH=8;BYMONTHDAY=-26;BYDAY=MO,TH", "2026-01-01T00:00:00Z"],
  ["rare: YEARLY every 4 years on a leap day", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "2027-01-01T00:00:00Z"],
  ["rare: YEARLY negative BYSETPOS, 60 times a day", "FREQ=YEARLY;BYDAY=MO;BYHOUR=0,1,2,3,4,5,6,7,8,9;BYMINUTE=0,10,20,30,40,50;BYSETPOS=-366", "2026-01-01T00:00:00Z"],
  ["rare: HOURLY day 217 on a Saturday, 8 minutes", "FREQ=HOURLY;BYYEARDAY=217;BYDAY=SA;BYMINUTE=3,4,8,9,16,22,47,53", "2026-01-01T00:00:00Z"],
  ["leap day YEARLY from 2096", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2096-03-01T00:00:00Z"],
];

for (const [name, text, start] of cases) {
  const rule = parseRule(text);
  const times: number[] = [];
  const cpu: number[] = [];
  let result = "";
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = firstSlotAfter(rule, "Europe/Berlin", new Date(start), new Date("2026-12-01T10:00:00Z"));
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    result = "slot" in r ? r.slot.toISOString() : r.ended;
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(JSON.stringify({ case: name, result, medianMs: +times[3]!.toFixed(2), maxMs: +times[6]!.toFixed(2), cpuMedianMs: +cpu[3]!.toFixed(2), cpuMaxMs: +cpu[6]!.toFixed(2) }));
}
