import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { frameRecord } from './tensorboard-record';
import type { ProtoWriter } from './tensorboard-proto';
import { encodeEvent } from './tensorboard-summary';

let fileCounter = 0;

/** The name TensorFlow gives an event file: `events.out.tfevents.<secs, 10 digits>.<host>.<pid>.<n>`. */
export function eventFileName(now = Date.now()): string {
  const secs = String(Math.floor(now / 1000)).padStart(10, '0');
  return `events.out.tfevents.${secs}.${hostname()}.${process.pid}.${fileCounter++}`;
}

/** Whether a file name is an event file's (TensorBoard reads the files whose name contains "tfevents"). */
export function isEventFileName(name: string): boolean {
  return name.startsWith('events.out.tfevents.');
}

/**
 * One event file of a run directory, created on the first write and starting with the
 * `brain.Event:2` version event. Every event is appended and the file closed at once, so what was
 * written survives a kill.
 */
export class EventFileWriter {
  private path: string | undefined;

  constructor(readonly dir: string) {}

  /** Appends one event of summary values at `step`. */
  write(step: number, values: readonly ProtoWriter[]): void {
    const wallTime = Date.now() / 1000;
    if (this.path === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.path = join(this.dir, eventFileName());
      appendFileSync(this.path, frameRecord(encodeEvent({ wallTime, step: 0, fileVersion: 'brain.Event:2' })), { flag: 'wx' });
    }
    appendFileSync(this.path, frameRecord(encodeEvent({ wallTime, step, values })));
  }

  /** The file written so far, if any. */
  get file(): string | undefined {
    return this.path;
  }
}
