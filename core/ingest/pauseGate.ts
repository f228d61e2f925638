/** A gate work waits at while paused: `wait()` resolves at once when open, or on `resume()`. */
export class PauseGate {
  private opened: Promise<void> | undefined;
  private open: (() => void) | undefined;

  get paused(): boolean {
    return this.opened !== undefined;
  }

  pause(): void {
    if (this.opened) return;
    this.opened = new Promise((resolve) => (this.open = resolve));
  }

  resume(): void {
    this.open?.();
    this.opened = this.open = undefined;
  }

  wait(): Promise<void> {
    return this.opened ?? Promise.resolve();
  }
}
