// CONTRACT §12: why one usage event of a batch was rejected. These are not HTTP errors (the
// request still answers 200): each rides in its event's result as {code, title, detail, source}.
// The codes are the enum of `UsageEventError` in openapi/admin.yaml (a test holds them equal).

export const USAGE_EVENT_ERRORS = {
  invalid_event: 'Invalid Event',
  account_not_found: 'Account Not Found',
  event_too_old: 'Event Too Old',
  event_in_future: 'Event In Future',
  event_id_reused: 'Event Id Reused',
} as const;

export type UsageEventErrorCode = keyof typeof USAGE_EVENT_ERRORS;

export interface UsageEventError {
  code: UsageEventErrorCode;
  title: string;
  detail: string;
  source: { pointer: string };
}

export function usageEventError(code: UsageEventErrorCode, detail: string, pointer: string): UsageEventError {
  return { code, title: USAGE_EVENT_ERRORS[code], detail, source: { pointer } };
}
