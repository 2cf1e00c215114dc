/**
 * Work that runs in passes: on a timer, and at once when nudged (something was queued). Never
 * two passes at a time; a nudge during a pass runs one more right after it, so nothing queued
 * waits for the timer. Stopping waits for the pass under way.
 */
export class BackgroundPass {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly pass: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.nudge(), this.intervalMs);
    this.timer.unref();
    this.nudge();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs a pass now (or right after the current one); does nothing before start or after stop. */
  nudge(): void {
    if (this.stopped || !this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().catch(this.onError).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
