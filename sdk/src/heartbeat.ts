/**
 * The client side of liveness, for one connection. Sends the app-level `ping` every `intervalMs`
 * (browsers can neither send nor see WebSocket pings), and runs a watchdog: when no frame at all
 * arrived for `intervalMs + timeoutMs`, `onDead` is called once. A single timeout is re-armed
 * lazily, so frames only record a timestamp (no timer churn per frame).
 */
export class Heartbeat {
  private pingTimer?: ReturnType<typeof setInterval>;
  private watchdogTimer?: ReturnType<typeof setTimeout>;
  private lastFrameAt = 0;
  private limitMs = 0;

  constructor(
    private readonly sendPing: () => void,
    private readonly onDead: () => void,
  ) {}

  get running(): boolean {
    return this.pingTimer !== undefined || this.watchdogTimer !== undefined;
  }

  /** Starts (or restarts) pings and the watchdog. Non-positive or missing values disable them. */
  start(intervalMs: number, timeoutMs: number): void {
    this.stop();
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) return;
    this.limitMs = intervalMs + (timeoutMs > 0 && Number.isFinite(timeoutMs) ? timeoutMs : 0);
    this.lastFrameAt = Date.now();
    this.pingTimer = setInterval(this.sendPing, intervalMs);
    this.arm(this.limitMs);
  }

  /** Records that a frame arrived. */
  touch(): void {
    this.lastFrameAt = Date.now();
  }

  stop(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    if (this.watchdogTimer !== undefined) clearTimeout(this.watchdogTimer);
    this.pingTimer = undefined;
    this.watchdogTimer = undefined;
  }

  private arm(delayMs: number): void {
    this.watchdogTimer = setTimeout(() => {
      this.watchdogTimer = undefined;
      const silentFor = Date.now() - this.lastFrameAt;
      if (silentFor >= this.limitMs) {
        this.stop();
        this.onDead();
      } else {
        this.arm(this.limitMs - silentFor);
      }
    }, delayMs);
  }
}
