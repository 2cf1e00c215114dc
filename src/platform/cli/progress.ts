import cliProgress from 'cli-progress';

export interface Progress {
  tick(amount?: number): void;
  done(): void;
}

/**
 * A progress bar on a terminal; on a pipe or in CI, a plain line every 10 % so logs stay
 * readable.
 */
export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let current = 0;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`, stream, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    return {
      tick(amount = 1) {
        current += amount;
        bar.update(Math.min(current, total));
      },
      done() {
        bar.update(total);
        bar.stop();
      },
    };
  }
  let lastTenth = -1;
  return {
    tick(amount = 1) {
      current += amount;
      const tenth = total > 0 ? Math.floor((10 * current) / total) : 10;
      if (tenth !== lastTenth && tenth < 10) {
        lastTenth = tenth;
        stream.write(`${label}: ${current}/${total} (${tenth * 10}%)\n`);
      }
    },
    done() {
      stream.write(`${label}: ${total}/${total} (100%)\n`);
    },
  };
}
