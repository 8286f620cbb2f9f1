import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
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

/**
 * A new event file's name in `dir` that sorts after every event file already there: TensorBoard
 * reads a run's files in name order, so a resumed run's file must come after the files it
 * continues, even when it starts within the same second from a process with a "smaller" pid
 * (names compare as text: pid 10234 sorts before 9876).
 */
export function nextEventFileName(dir: string, now = Date.now()): string {
  const last = readdirSync(dir).filter(isEventFileName).sort().at(-1);
  const name = eventFileName(now);
  if (last === undefined || name > last) return name;
  const lastSecs = Number(last.split('.')[3]);
  return eventFileName(Math.max(now, (lastSecs + 1) * 1000));
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
      this.path = join(this.dir, nextEventFileName(this.dir));
      appendFileSync(this.path, frameRecord(encodeEvent({ wallTime, step: 0, fileVersion: 'brain.Event:2' })), { flag: 'wx' });
    }
    appendFileSync(this.path, frameRecord(encodeEvent({ wallTime, step, values })));
  }

  /** The file written so far, if any. */
  get file(): string | undefined {
    return this.path;
  }
}
