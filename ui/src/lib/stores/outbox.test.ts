import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DrainReport, OutboxChanged, SendingState } from "../bindings";
import { DONE_SHOW_MS, THROTTLE_MS } from "../progress";
import { SendingBar } from "./outbox.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const backend = vi.hoisted(() => {
  const handlers: ((event: { payload: unknown }) => void)[] = [];
  return {
    handlers,
    commands: { getSendingState: vi.fn(), setSendingPaused: vi.fn(), messageStates: vi.fn() },
    events: {
      outboxChanged: {
        listen: vi.fn(async (handler: (event: { payload: unknown }) => void) => {
          handlers.push(handler);
          return () => {
            handlers.splice(handlers.indexOf(handler), 1);
          };
        }),
      },
    },
  };
});
vi.mock("../bindings", async (original) => ({
  ...(await original<object>()),
  commands: backend.commands,
  events: backend.events,
}));
const { commands } = backend;

installRunes();

const state = (waiting: number, paused = false): SendingState => ({ paused, waiting });
const round = (sent: number): DrainReport => ({
  sent,
  failed: 0,
  retrying: 0,
  skipped: 0,
  paused: false,
  lastSent: null,
  channels: ["email"],
  failures: [],
  webhooksFailing: [],
  stuck: [],
  stuckMinutes: 0,
  reconnect: [],
  stopped: [],
  campaignsFinished: [],
  limitsReached: [],
  integrationsFailing: [],
});

/** Lets the promise callbacks run (timers are fake here). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function emit(change: OutboxChanged): void {
  for (const handler of [...backend.handlers]) handler({ payload: change });
}

beforeEach(() => {
  vi.useFakeTimers();
  commands.getSendingState.mockReset().mockResolvedValue(ok(state(5)));
  commands.setSendingPaused.mockReset();
  backend.events.outboxChanged.listen.mockClear();
  backend.handlers.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("SendingBar", () => {
  it("reads whether sending is paused and how many wait", async () => {
    const bar = new SendingBar();
    commands.getSendingState.mockResolvedValueOnce(ok(state(3)));
    await bar.load();
    expect(bar.current).toEqual(state(3));
    expect(bar.error).toBeNull();
    commands.getSendingState.mockResolvedValueOnce(failed("store.not_open"));
    await bar.load();
    expect(bar.error?.code).toBe("store.not_open");
    expect(bar.current).toEqual(state(3));
  });

  it("pauses and resumes, one at a time", async () => {
    const bar = new SendingBar();
    await bar.toggle(); // nothing read yet: nothing to toggle
    expect(commands.setSendingPaused).not.toHaveBeenCalled();
    commands.getSendingState.mockResolvedValueOnce(ok(state(2)));
    await bar.load();
    const answer = deferred<unknown>();
    commands.setSendingPaused.mockReturnValueOnce(answer.promise);
    const toggling = bar.toggle();
    expect(bar.busy).toBe(true);
    await bar.toggle();
    expect(commands.setSendingPaused).toHaveBeenCalledTimes(1);
    expect(commands.setSendingPaused).toHaveBeenCalledWith(true);
    answer.resolve(ok(state(2, true)));
    await toggling;
    expect(bar.busy).toBe(false);
    expect(bar.current?.paused).toBe(true);
  });

  it("lets the latest read or toggle decide", async () => {
    const bar = new SendingBar();
    const older = deferred<unknown>();
    commands.getSendingState.mockReturnValueOnce(older.promise).mockResolvedValueOnce(ok(state(1)));
    const first = bar.load();
    await bar.load();
    older.resolve(ok(state(9)));
    await first;
    expect(bar.current).toEqual(state(1));
  });

  it("follows a round from the events and shows it done for a while once nothing waits", async () => {
    const bar = new SendingBar();
    commands.getSendingState.mockResolvedValue(ok(state(2)));
    await bar.load();
    bar.listen();
    await flush();
    expect(backend.handlers).toHaveLength(1);

    emit({ round: round(1), messages: [] });
    expect(bar.round).toEqual(round(1));
    await flush();
    expect(commands.getSendingState).toHaveBeenCalledTimes(2); // read again at once
    expect(bar.finished).toBeNull();

    commands.getSendingState.mockResolvedValue(ok(state(0)));
    emit({ round: round(2), messages: [] });
    await vi.advanceTimersByTimeAsync(THROTTLE_MS); // the throttled read
    expect(commands.getSendingState).toHaveBeenCalledTimes(3);
    expect(bar.round).toBeNull();
    expect(bar.finished).toEqual(round(2));

    await vi.advanceTimersByTimeAsync(DONE_SHOW_MS);
    expect(bar.finished).toBeNull();
    bar.close();
  });

  it("does not end a round on a read asked for before the latest event", async () => {
    const bar = new SendingBar();
    bar.listen();
    await flush();
    emit({ round: round(1), messages: [] });
    await flush();
    const before = deferred<unknown>();
    commands.getSendingState.mockReturnValueOnce(before.promise);
    const reading = bar.load();
    emit({ round: null, messages: [] }); // only pausing changed; its read is throttled
    before.resolve(ok(state(0)));
    await reading;
    expect(bar.current).toEqual(state(0));
    expect(bar.round).toEqual(round(1));
    expect(bar.finished).toBeNull();
    bar.close();
  });

  it("stops listening on close and drops answers still on their way", async () => {
    const bar = new SendingBar();
    bar.listen();
    await flush();
    const answer = deferred<unknown>();
    commands.getSendingState.mockReturnValueOnce(answer.promise);
    const reading = bar.load();
    bar.close();
    await flush();
    expect(backend.handlers).toHaveLength(0);
    answer.resolve(ok(state(4)));
    await reading;
    expect(bar.current).toBeNull();
  });
});
