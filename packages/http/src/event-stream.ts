import type { SchedulerEvent } from '@jobstore/scheduler';

/** An event as JSON: dates as ISO strings, errors as their message; return values are left out. */
export function eventToJson(event: SchedulerEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'returnValue') continue;
    if (value instanceof Date) out[key] = value.toISOString();
    else if (Array.isArray(value)) out[key] = value.map((item: unknown) => (item instanceof Date ? item.toISOString() : item));
    else if (value instanceof Error) out[key] = value.message;
    else out[key] = value;
  }
  return out;
}

const encoder = new TextEncoder();

/** One server-sent event, as the bytes every stream sends: `event: <type>` and the JSON as `data`. */
export function encodeEvent(event: SchedulerEvent): Uint8Array {
  return encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(eventToJson(event))}\n\n`);
}

/** A server-sent comment (`: text`), which clients ignore: the greeting and the keep-alive. */
export function encodeComment(text: string): Uint8Array {
  return encoder.encode(`: ${text}\n\n`);
}

/** The headers of an event stream: no caching, and no buffering by proxies (nginx reads `x-accel-buffering`). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};
