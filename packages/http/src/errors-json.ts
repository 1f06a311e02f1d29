/**
 * Every error the API answers has one shape: `error` (what kind), `field` (which part of the
 * request, or null), `reason`, and `error_message`, the key Flask-APScheduler's clients read.
 */
export function errorJson(status: number, error: string, reason: string, field: string | null = null, headers?: Record<string, string>): Response {
  const message = field === null ? reason : `${field}: ${reason}`;
  return Response.json({ error, field, reason, error_message: message }, headers === undefined ? { status } : { status, headers });
}
