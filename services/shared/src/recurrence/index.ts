// One recurrence module for the backend, the event-processor and the web preview. Pure: rrule and
// Intl only (no node:*), so the web bundle imports it as it is.
export { RecurrenceError, RULE_LIMITS, WEEKDAY_CODES, formatRule, parseRule, type ParsedRule, type WeekdayCode } from "./rrule-parse";
export { canonicalTimeZone, fromFloating, toFloating } from "./zoned-time";
export { HORIZON_PERIODS, canonicalRule, checkSeriesRule, firstSlotAfter, horizonText, upcomingSlots } from "./series";
export { reminderLead, applyReminderLead, shiftLocalDays, type ReminderLead } from "./reminder-lead";
export { nextOccurrence, type CompletedOccurrence, type NextOccurrence, type SeriesEnd, type SeriesPosition } from "./next-occurrence";
