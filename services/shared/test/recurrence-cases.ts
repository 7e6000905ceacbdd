/**
 * Series cases with their expected local dates and times, written by hand from a calendar (not by the
 * code under test). Used by the server module's tests and by the web preview's (the same cases).
 * DST dates: US 2027-03-14 / 2027-11-07; EU 2027-03-28 / 2027-10-31; Sydney (south) 2027-04-04 back /
 * 2027-10-03 forward; Kolkata (+05:30) has none.
 */
export interface ZoneCase {
  zone: string;
  rule: string;
  /** DTSTART as local wall clock (the first occurrence). */
  startLocal: string;
  /** The next occurrences, local wall clock. */
  expectLocal: string[];
}

export const zoneCases: ZoneCase[] = [
  // west: weekly by day across the US spring-forward and fall-back
  { zone: "America/Los_Angeles", rule: "FREQ=WEEKLY;BYDAY=MO", startLocal: "2027-03-08T20:00:00", expectLocal: ["2027-03-15T20:00:00", "2027-03-22T20:00:00"] },
  { zone: "America/Los_Angeles", rule: "FREQ=WEEKLY;BYDAY=SU", startLocal: "2027-10-31T01:30:00", expectLocal: ["2027-11-07T01:30:00", "2027-11-14T01:30:00"] },
  { zone: "America/Los_Angeles", rule: "FREQ=DAILY", startLocal: "2027-03-13T02:30:00", expectLocal: ["2027-03-14T03:30:00", "2027-03-15T02:30:00"] },
  // east: Berlin daily across both EU transitions, monthly on the 31st and the last Friday
  { zone: "Europe/Berlin", rule: "FREQ=DAILY", startLocal: "2027-10-30T09:00:00", expectLocal: ["2027-10-31T09:00:00", "2027-11-01T09:00:00"] },
  { zone: "Europe/Berlin", rule: "FREQ=MONTHLY;BYMONTHDAY=31", startLocal: "2027-01-31T23:30:00", expectLocal: ["2027-03-31T23:30:00", "2027-05-31T23:30:00"] },
  { zone: "Europe/Berlin", rule: "FREQ=MONTHLY;BYDAY=-1FR", startLocal: "2027-02-26T18:00:00", expectLocal: ["2027-03-26T18:00:00", "2027-04-30T18:00:00"] },
  // half-hour zone: the local day differs from UTC's around midnight
  { zone: "Asia/Kolkata", rule: "FREQ=WEEKLY;BYDAY=MO,TH", startLocal: "2027-03-25T00:15:00", expectLocal: ["2027-03-29T00:15:00", "2027-04-01T00:15:00"] },
  { zone: "Asia/Kolkata", rule: "FREQ=MONTHLY;BYDAY=-1FR", startLocal: "2027-10-29T05:00:00", expectLocal: ["2027-11-26T05:00:00", "2027-12-31T05:00:00"] },
  // south of the equator: Sydney falls back in April and springs forward in October
  { zone: "Australia/Sydney", rule: "FREQ=DAILY", startLocal: "2027-04-03T08:00:00", expectLocal: ["2027-04-04T08:00:00", "2027-04-05T08:00:00"] },
  { zone: "Australia/Sydney", rule: "FREQ=WEEKLY;BYDAY=SU", startLocal: "2027-09-26T02:30:00", expectLocal: ["2027-10-03T03:30:00", "2027-10-10T02:30:00"] },
  { zone: "Australia/Sydney", rule: "FREQ=MONTHLY;BYMONTHDAY=31", startLocal: "2027-08-31T07:00:00", expectLocal: ["2027-10-31T07:00:00", "2027-12-31T07:00:00"] },
  { zone: "America/Sao_Paulo", rule: "FREQ=WEEKLY;BYDAY=TU", startLocal: "2027-01-05T21:00:00", expectLocal: ["2027-01-12T21:00:00", "2027-01-19T21:00:00"] },
  // the acceptance sweep's cases. New York springs forward 2027-03-14 02:00: 02:30 is read with the
  // offset before the gap (EST), i.e. 03:30 EDT; at fall back (2027-11-07) 01:30 is the first (EDT) one
  { zone: "America/New_York", rule: "FREQ=DAILY", startLocal: "2027-03-13T02:30:00", expectLocal: ["2027-03-14T03:30:00", "2027-03-15T02:30:00"] },
  { zone: "America/New_York", rule: "FREQ=DAILY", startLocal: "2027-11-06T01:30:00", expectLocal: ["2027-11-07T01:30:00", "2027-11-08T01:30:00"] },
  // +05:45, no DST: a Monday just after local midnight is a Sunday in UTC
  { zone: "Asia/Kathmandu", rule: "FREQ=WEEKLY;BYDAY=MO", startLocal: "2027-03-29T00:10:00", expectLocal: ["2027-04-05T00:10:00", "2027-04-12T00:10:00"] },
  // Lord Howe: +10:30, DST of 30 minutes (02:00 → 02:30 on 2027-10-03, 02:00 → 01:30 on 2027-04-04)
  { zone: "Australia/Lord_Howe", rule: "FREQ=DAILY", startLocal: "2027-10-02T02:15:00", expectLocal: ["2027-10-03T02:45:00", "2027-10-04T02:15:00"] },
  { zone: "Australia/Lord_Howe", rule: "FREQ=DAILY", startLocal: "2027-04-03T09:00:00", expectLocal: ["2027-04-04T09:00:00", "2027-04-05T09:00:00"] },
  // a zone whose rules changed: Samoa skipped 30 December 2011 (UTC-10 → UTC+14); the missing day's
  // 09:00 is the same instant as 31 December's, one occurrence
  { zone: "Pacific/Apia", rule: "FREQ=DAILY", startLocal: "2011-12-29T09:00:00", expectLocal: ["2011-12-31T09:00:00", "2012-01-01T09:00:00"] },
  // Moscow went to permanent +04 in 2011 and to +03 in 2014: 09:00 stays 09:00
  { zone: "Europe/Moscow", rule: "FREQ=YEARLY", startLocal: "2013-06-01T09:00:00", expectLocal: ["2014-06-01T09:00:00", "2015-06-01T09:00:00"] },
  // 29 February: YEARLY keeps RFC semantics (leap years only); BYMONTHDAY=-1 is February's last day
  { zone: "Europe/Berlin", rule: "FREQ=YEARLY", startLocal: "2028-02-29T09:00:00", expectLocal: ["2032-02-29T09:00:00", "2036-02-29T09:00:00"] },
  { zone: "Europe/Berlin", rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", startLocal: "2028-02-29T09:00:00", expectLocal: ["2029-02-28T09:00:00", "2030-02-28T09:00:00"] },
];
