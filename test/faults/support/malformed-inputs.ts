import { randomUUID } from "node:crypto";
import type { AppId } from "@todo/contracts/topology";
import type { SeededRandom } from "./seeded-random";

/** One generated bad input: where it goes and what it carries. */
export interface MalformedCase {
  kind: string;
  /** "gateway" = the public API; otherwise the app whose own port receives it (event routes). */
  target: "gateway" | AppId;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Event routes may answer 200 {"status":"DROP"} instead of a 4xx. */
  isEvent: boolean;
}

export interface Fixture {
  token: string;
  /** A token signed with another secret (well-formed, wrong signature). */
  forgedToken: string;
  userId: string;
  taskId: string;
  /** A valid event of each subscription topic, to be broken one field at a time. */
  validTaskEvent: Record<string, unknown>;
  validReminderEvent: Record<string, unknown>;
  validNotificationEvent: Record<string, unknown>;
}

const json = { "content-type": "application/json" };

// Classes of values that look valid to a plain string/date check but that PostgreSQL or UTF-8 JSON cannot
// hold (see services/contracts/src/safe-text.ts). Add a sample to a list and every case below that
// draws from it sends it too.
/** NUL (PostgreSQL text/jsonb reject it) and unpaired UTF-16 surrogates (not UTF-8; jsonb rejects them). */
export const unstorableStrings = ["\u0000", "a\u0000b", "title\u0000", "\ud800", "x\udbff", "\udc00y", "\udfff\ud800"];
/** ISO 8601 times whose UTC value leaves years 1–9999 (the offset counts). */
export const outOfRangeInstants = ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-12:00", "0000-12-31T23:59:59.999Z"];
/** Cursor time values that `Date.parse` accepts but PostgreSQL's timestamptz does not. */
export const unstorableCursorTimes = ["2020", "1", "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00Z", "2020-01-01", ...outOfRangeInstants];

const badDates = ["2024-13-45T00:00:00Z", "yesterday", "2024-02-30", "1700000000", "2024-01-01T25:61:00Z", "", "0000-00-00T00:00:00Z", "2024-01-01 10:00"];
const badRules = ["FREQ=SOMETIMES", "RRULE:FREQ=DAILY;COUNT=-1", "FREQ=DAILY;INTERVAL=0", "FREQ=WEEKLY;BYDAY=XX", "DTSTART:garbage", ";;;", "FREQ=DAILY;UNTIL=notadate", "FREQ=",
  // out of the RFC 5545 ranges, part by part (issue 12.5), unknown values (12.6), never-matching rules (12.1)
  "FREQ=YEARLY;BYMONTH=13", "FREQ=MONTHLY;BYMONTHDAY=32", "FREQ=YEARLY;BYYEARDAY=367", "FREQ=YEARLY;BYWEEKNO=54", "FREQ=DAILY;BYHOUR=25",
  "FREQ=DAILY;BYMINUTE=61", "FREQ=DAILY;BYSECOND=61", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "FREQ=WEEKLY;WKST=XX", "FREQ=YEARLY;BYDAY=XX",
  "FREQ=MONTHLY;BYDAY=9MO", "FREQ=DAILY;BYMONTHDAY=-0", "FREQ=DAILY;COUNT=99999999999", "FREQ=DAILY;UNTIL=20260230", "FREQ=SECONDLY",
  "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=1;BYSETPOS=-2", "FREQ=DAILY;BYMONTH=,",
  "FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9,10;BYMINUTE=1,2,3,4,5,6,7"];
const badZones = ["Mars/Olympus", "+01:00", "", "../../etc/passwd", "Europe/Berlin\u0000", "x".repeat(100)];
const badJson = ["{", '{"title":', "[1,2", "nul", "{'title':'x'}", '{"title":"x",}', "\u0000\u0001", '{"title":"\\ud800"', "]"];
const wrongTypes: unknown[] = [42, true, null, [], {}, ["a"], { $gt: "" }, -1, 1e308];

/** A value of the wrong type or shape for a string field. */
function wrongValue(r: SeededRandom): unknown {
  return r.pick(wrongTypes);
}

/** A long string; headers need an ASCII alphabet, bodies get any. */
function huge(r: SeededRandom, min: number, max: number, alphabet?: string): string {
  return "x".repeat(min + r.int(max - min)) + r.string(8, alphabet);
}

/** A keyset cursor as the API encodes it, with a value edited in. */
function editedCursor(r: SeededRandom): { sort: string; cursor: string } {
  const sort = r.pick(["createdAt", "dueAt", "title"] as const);
  const v = sort === "title" ? r.pick(unstorableStrings) : r.pick(unstorableCursorTimes);
  const order = sort === "createdAt" ? "desc" : "asc";
  return { sort: `${sort}&order=${order}`, cursor: Buffer.from(JSON.stringify({ s: sort, o: order, v, id: randomUUID() })).toString("base64url") };
}

/** A valid task event broken in exactly one way that its schema rejects. */
function brokenEvent(r: SeededRandom, valid: Record<string, unknown>): unknown {
  const e = structuredClone(valid) as Record<string, unknown>;
  const mutation = r.int(13);
  switch (mutation) {
    case 0:
      e.id = wrongValue(r);
      break;
    case 1:
      e.subject = r.pick(["not-a-uuid", "", "123", r.string(40)]);
      break;
    case 2:
      e.time = r.pick(badDates);
      break;
    case 3:
      e.type = r.pick(["task.exploded", "TASK.CREATED", "", "reminder", r.string(12)]);
      break;
    case 4:
      e.schemaVersion = r.pick([2, 0, "1", null]);
      break;
    case 5:
      e.data = r.pick([null, "data", 7, []]);
      break;
    case 6:
      e.id = huge(r, 201, 5000);
      break;
    case 7:
      delete e[r.pick(["id", "subject", "userId", "time", "correlationId", "data", "type"])];
      break;
    case 8:
      e.userId = r.pick(["nobody", "", 12, "00000000-0000-0000-0000-00000000000g"]);
      break;
    case 9:
      e.time = r.pick(outOfRangeInstants);
      break;
    case 10:
      e[r.pick(["id", "correlationId", "source"])] = r.pick(unstorableStrings);
      break;
    case 11: {
      // Inside the data: a task's title or due time, a reminder's or notification's title.
      const data = e.data as Record<string, unknown>;
      const task = data.task as Record<string, unknown> | undefined;
      if (task && r.next() < 0.5) task.dueAt = r.pick(outOfRangeInstants);
      else (task ?? data).title = r.pick(unstorableStrings);
      break;
    }
    default:
      return r.pick([[], "event", 42, null]);
  }
  return e;
}

/** How many kinds `malformedCase` draws from (the fault test checks that all of them ran). */
export const MALFORMED_CASE_KINDS = 21;

/** Generates one malformed request or event. Every case is invalid by construction. */
export function malformedCase(r: SeededRandom, f: Fixture): MalformedCase {
  const bearer = { authorization: `Bearer ${f.token}` };
  const api = (kind: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}): MalformedCase => ({
    kind,
    target: "gateway",
    method,
    path,
    headers: { ...json, ...bearer, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    isEvent: false,
  });
  const event = (kind: string, target: AppId, path: string, body: string, contentType = "application/cloudevents+json"): MalformedCase => ({
    kind,
    target,
    method: "POST",
    path,
    headers: { "content-type": contentType },
    body,
    isEvent: true,
  });

  switch (r.int(MALFORMED_CASE_KINDS)) {
    case 0: {
      // Values of a type each field refuses (null is allowed for dueAt, and any string array for tags).
      const field = r.pick(["title", "description", "priority", "tags", "dueAt"] as const);
      const value = field === "tags" ? r.pick([42, "a", {}, [1], [null], [""]]) : field === "dueAt" ? r.pick([42, true, {}, [], "soon"]) : wrongValue(r);
      return api("task: wrong type", "POST", "/api/tasks", { title: "ok", [field]: value });
    }
    case 1:
      return api("task: huge string", "POST", "/api/tasks", { title: r.next() < 0.5 ? huge(r, 201, 20_000) : "t", description: huge(r, 5001, 90_000) });
    case 2:
      return api("task: bad date", "POST", "/api/tasks", { title: "t", [r.pick(["dueAt", "remindAt"])]: r.pick(badDates) });
    case 3:
      if (r.next() < 0.2) return api("task: bad recurrence", "POST", "/api/tasks", { title: "t", recurrence: "FREQ=DAILY", timeZone: r.pick([...badZones, ...wrongTypes]) });
      return api("task: bad recurrence", r.pick(["POST", "PATCH"]), r.next() < 0.5 ? "/api/tasks" : `/api/tasks/${f.taskId}`, { title: "t", dueAt: new Date(Date.now() + 86_400_000).toISOString(), recurrence: r.pick([...badRules, huge(r, 501, 2000)]) });
    case 4:
      return { ...api("task: bad JSON", "POST", r.pick(["/api/tasks", `/api/tasks/${f.taskId}`, "/api/auth/login"]), undefined), method: r.pick(["POST", "PATCH"]), body: r.pick(badJson) };
    case 5:
      return { ...api("task: wrong content type", "POST", "/api/tasks", undefined, { "content-type": r.pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]) }), body: JSON.stringify({ title: "looks fine" }) };
    case 6: {
      const token = r.pick(["", "Bearer", "Bearer x", "Bearer a.b.c", `Bearer ${f.forgedToken}`, `Basic ${Buffer.from("a:b").toString("base64")}`, `Bearer ${f.token}x`, `Bearer ${huge(r, 5000, 9000, "abcdefghijklmnopqrstuvwxyz.-_")}`]);
      return { ...api("bad token", r.pick(["GET", "POST"]), r.pick(["/api/tasks", "/api/notifications", `/api/tasks/${f.taskId}`]), { title: "t" }), headers: { ...json, ...(token ? { authorization: token } : {}) } };
    }
    case 7:
      return api("task: unknown field", "POST", "/api/tasks", { title: "t", [r.string(6, "abcdefghij")]: r.string(5) });
    case 8:
      return api("patch: bad id or body", "PATCH", `/api/tasks/${r.pick([f.taskId, "not-a-uuid", randomUUID(), "%00", "..%2F..%2Fetc"])}`, r.pick([{}, { title: wrongValue(r) }, { dueAt: r.pick(badDates) }, { recurrence: r.pick(badRules) }, { status: "completed" }]), r.next() < 0.3 ? { "if-match": r.pick(['"abc"', "W/1", "*x"]) } : {});
    case 9:
      return api("list: bad query", "GET", `/api/tasks?${r.pick(["limit=abc", "limit=0", "limit=1000", "sort=owner", "order=sideways", "cursor=%%%", "cursor=" + r.string(20, "abc"), "dueBefore=" + encodeURIComponent(r.pick(badDates.filter(Boolean))), "status=done", "priority=urgent", "unknown=1"])}`, undefined);
    case 10:
      return api("auth: bad signup/login", "POST", r.pick(["/api/auth/signup", "/api/auth/login"]), r.pick([{ email: "not-an-email", password: "a-long-enough-passphrase-42" }, { email: wrongValue(r), password: "x" }, { email: "a@b.co", password: wrongValue(r) }, { email: "a@b.co" }, { email: `${huge(r, 300, 400)}@x.io`, password: "p" }, { email: "a@b.co", password: "short" }]));
    case 11:
      return api("complete/delete: bad id", r.pick(["POST", "DELETE"]), r.pick([`/api/tasks/not-a-uuid/complete`, `/api/tasks/${randomUUID()}/complete`, `/api/tasks/${randomUUID()}`, "/api/tasks/%ZZ"]), undefined);
    case 12:
      return event("task event: broken", r.pick(["event-processor", "websocket"] as const), "/events/task-events", JSON.stringify(brokenEvent(r, f.validTaskEvent)));
    case 13:
      return event("reminder event: broken", r.pick(["reminder-scheduler", "notification", "websocket"] as const), "/events/reminders", JSON.stringify(brokenEvent(r, f.validReminderEvent)));
    case 14:
      return event("notification event: broken", "websocket", "/events/notifications", JSON.stringify(brokenEvent(r, f.validNotificationEvent)));
    case 16: {
      const field = r.pick(["title", "description", "tags"] as const);
      const bad = r.pick(unstorableStrings);
      const value = field === "tags" ? ["ok", bad] : field === "title" ? r.pick([bad, `ok ${bad}`]) : bad;
      const onPatch = r.next() < 0.4;
      return api("task: unstorable text", onPatch ? "PATCH" : "POST", onPatch ? `/api/tasks/${f.taskId}` : "/api/tasks", onPatch ? { [field]: value } : { title: "ok", [field]: value });
    }
    case 17: {
      const field = r.pick(["dueAt", "remindAt"] as const);
      const onPatch = r.next() < 0.4;
      return api("task: date out of range", onPatch ? "PATCH" : "POST", onPatch ? `/api/tasks/${f.taskId}` : "/api/tasks", onPatch ? { [field]: r.pick(outOfRangeInstants) } : { title: "ok", [field]: r.pick(outOfRangeInstants) });
    }
    case 18: {
      const param = r.pick(["q", "tag", "dueBefore", "dueAfter", "updatedAfter"] as const);
      const value = param === "q" || param === "tag" ? r.pick(unstorableStrings.filter((s) => s.includes("\u0000"))) : r.pick(outOfRangeInstants);
      return api("list: unstorable query", "GET", `/api/tasks?${param}=${encodeURIComponent(value)}`, undefined);
    }
    case 19: {
      if (r.next() < 0.25) {
        // The change feed's cursor (`?updatedAfter=`), edited the same way.
        const feed = Buffer.from(JSON.stringify({ f: 1, at: r.pick(unstorableCursorTimes), id: randomUUID() })).toString("base64url");
        return api("list: edited cursor", "GET", `/api/tasks?updatedAfter=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&cursor=${feed}`, undefined);
      }
      const { sort, cursor } = editedCursor(r);
      return api("list: edited cursor", "GET", `/api/tasks?sort=${sort}&cursor=${cursor}`, undefined);
    }
    case 20:
      return api("auth: unstorable email", "POST", r.pick(["/api/auth/signup", "/api/auth/login"]), { email: `fault${r.pick(unstorableStrings)}@example.com`, password: "a-long-enough-passphrase-42" });
    default: {
      const target = r.pick(["event-processor", "reminder-scheduler", "notification", "websocket"] as const);
      const path = target === "event-processor" ? "/events/task-events" : "/events/reminders";
      if (r.next() < 0.5) return event("event: bad JSON", target, path, r.pick(badJson));
      return event("event: wrong content type", target, path, JSON.stringify(f.validTaskEvent), r.pick(["text/plain", "application/xml", "application/octet-stream"]));
    }
  }
}
