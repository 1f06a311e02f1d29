import type { Scheduler, SchedulerEvent } from '@jobstore/scheduler';

/** How often an idle stream sends a comment, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;

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

/** The scheduler's events as server-sent events, until the client goes away. */
export function eventStream(scheduler: Scheduler, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let stop = (): void => undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string): void => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const unsubscribe = scheduler.addListener((event) => send(`event: ${event.type}\ndata: ${JSON.stringify(eventToJson(event))}\n\n`));
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      stop = () => {
        unsubscribe();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener('abort', () => stop(), { once: true });
      send(': connected\n\n');
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' } });
}
