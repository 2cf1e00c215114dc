import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds spent so far, read from Linux's /proc (null elsewhere): by one process, or by
 * the whole machine (every core's user and system time: the app, PostgreSQL and this client).
 * Work per unit (CPU ms per order) is steadier across machines than throughput, which also
 * moves with how fast today's cores are and what else runs on them.
 */
const TICKS_PER_SECOND = 100;

/** The command name and CPU seconds of one process, from /proc/<pid>/stat. */
function statOf(pid: number | string): { name: string; seconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

export function processCpuSeconds(pid: number): number | null {
  return statOf(pid)?.seconds ?? null;
}

/**
 * CPU seconds of every running process with this command name (`postgres`: the server and each
 * connection's backend). A process that ended between two readings takes its share with it, so
 * compare readings over a span in which the processes stay (a pool's connections do).
 */
export function processesCpuSeconds(name: string): number | null {
  try {
    return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))
      .reduce((sum, pid) => { const stat = statOf(pid); return stat?.name === name ? sum + stat.seconds : sum; }, 0);
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
