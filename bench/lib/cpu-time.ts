import { readFileSync } from 'node:fs';

/**
 * CPU seconds spent so far, read from Linux's /proc (null elsewhere): by one process, or by
 * the whole machine (every core's user and system time: the app, PostgreSQL and this client).
 * Work per unit (CPU ms per order) is steadier across machines than throughput, which also
 * moves with how fast today's cores are and what else runs on them.
 */
const TICKS_PER_SECOND = 100;

export function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export function machineCpuSeconds(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
