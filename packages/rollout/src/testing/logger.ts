import type { Logger } from '../ports.js';

export interface LogEvent {
  readonly level: 'info' | 'warn' | 'error' | 'group';
  readonly message: string;
}

/** Keeps every message, and prints nothing. */
export class MemoryLogger implements Logger {
  readonly events: LogEvent[] = [];

  info(message: string): void {
    this.events.push({ level: 'info', message });
  }

  warn(message: string): void {
    this.events.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.events.push({ level: 'error', message });
  }

  async group<T>(name: string, body: () => Promise<T>): Promise<T> {
    this.events.push({ level: 'group', message: name });
    return body();
  }

  messages(level: LogEvent['level']): string[] {
    return this.events.filter((event) => event.level === level).map((event) => event.message);
  }
}
