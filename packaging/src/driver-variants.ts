import type { Consumer } from './consumers.js';
import { DRIVERS, isDriver, type DriverName } from './drivers.js';
import { installLine } from './readme-lines.js';

/** Which end of its drivers' supported ranges a fresh project is installed at. */
export type End = 'newest' | 'oldest';

/** One fresh project: a consumer, with each driver its install lines name at one end of its range. */
export interface Variant {
  readonly consumer: Consumer;
  readonly end: End;
  /** The version each of the consumer's drivers must be at once installed. */
  readonly pins: ReadonlyMap<DriverName, string>;
  /** The consumer's name, and its drivers' versions when it has any. */
  readonly title: string;
}

/** The drivers a consumer's install lines name, in order. */
export function consumerDrivers(consumer: Consumer): DriverName[] {
  return consumer.install.flatMap((line) => installLine(line.readme, line.naming).filter(isDriver));
}

/** A consumer at its drivers' newest releases, and, for a backend, at their oldest supported versions too. */
export function variantsOf(consumer: Consumer, newest: Readonly<Record<string, string>>): Variant[] {
  const drivers = consumerDrivers(consumer);
  const ends: End[] = drivers.length > 0 && consumer.oldest === true ? ['newest', 'oldest'] : ['newest'];
  return ends.map((end) => {
    const pins = new Map(drivers.map((name) => [name, end === 'oldest' ? DRIVERS[name].oldest : newest[name]!] as const));
    const versions = [...pins].map(([name, version]) => `${name} ${version}`).join(', ');
    return { consumer, end, pins, title: drivers.length === 0 ? consumer.name : `${consumer.name}, drivers at their ${end} (${versions})` };
  });
}

/**
 * The npm install commands (the words after `npm`) that start the project: the README's lines as
 * they stand for the newest (a bare driver name gets npm's pick), with each driver named at its
 * pinned version for the oldest.
 */
export function installCommands(variant: Variant): string[][] {
  return variant.consumer.install.map((line) => {
    const [npm, ...args] = installLine(line.readme, line.naming);
    if (npm !== 'npm') throw new Error(`${line.readme}: an install line must start with npm`);
    return variant.end === 'newest' ? args : args.map((word) => (isDriver(word) ? `${word}@${variant.pins.get(word)!}` : word));
  });
}
