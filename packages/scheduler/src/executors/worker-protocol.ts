import type { DataValue } from '@jobstore/core';

/** A run sent to a worker thread or child process. */
export interface RunMessage {
  readonly kind: 'run';
  readonly id: number;
  readonly url: string;
  readonly exportName: string;
  readonly args: DataValue[];
  readonly context: { readonly jobId: string; readonly jobstore: string; readonly scheduledRunTime: number };
}

/** What comes back. Errors travel as plain fields: class instances do not survive the trip. */
export type ResultMessage =
  | { readonly kind: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: 'result'; readonly id: number; readonly ok: false; readonly error: { name: string; message: string; stack: string | undefined } };

/** A worker's error, rebuilt on the scheduler's side. */
export class WorkerTaskError extends Error {
  constructor(error: { name: string; message: string; stack: string | undefined }) {
    super(error.message);
    this.name = error.name;
    if (error.stack !== undefined) this.stack = error.stack;
  }
}
