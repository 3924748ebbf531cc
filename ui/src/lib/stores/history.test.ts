import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Detail, Entry, Filter } from "../bindings";
import { DAILY_DAYS } from "../history";
import { HistoryStore } from "./history.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  listHistory: vi.fn(),
  dailyCounts: vi.fn(),
  getMessage: vi.fn(),
  retryMessage: vi.fn(),
  cancelMessage: vi.fn(),
  deleteMessage: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const FILTER: Filter = {
  companyId: null,
  channel: null,
  state: null,
  since: null,
  until: null,
  limit: 500,
};

function entry(id: number, patch: Partial<Entry> = {}): Entry {
  return {
    id,
    channel: "email",
    provider: "sandbox",
    companyId: 1,
    companyName: "Acme",
    to: "a@acme.com",
    subject: `Konu ${id}`,
    accountId: null,
    accountEmail: null,
    sender: "biz@firma.com.tr",
    state: "sent",
    attempts: 1,
    lastError: null,
    lastCode: null,
    serverReply: null,
    delivery: null,
    deliveryError: null,
    attachmentCount: 0,
    createdAt: "2025-01-01 10:00:00",
    updatedAt: "2025-01-01 10:00:00",
    sentAt: "2025-01-01 10:00:01",
    scheduledAt: null,
    nextAttemptAt: "2025-01-01 10:00:00",
    ...patch,
  };
}

const detail = (e: Entry): Detail => ({
  entry: e,
  raw: "",
  email: null,
  attempts: [],
  skipped: [],
});

/** A store showing `entries`, with message `open` open (its detail read). */
async function showing(entries: Entry[], open?: Entry): Promise<HistoryStore> {
  const store = new HistoryStore();
  commands.listHistory.mockResolvedValueOnce(ok(entries));
  await store.loadList(FILTER);
  if (open) {
    commands.getMessage.mockResolvedValueOnce(ok(detail(open)));
    await store.open(open.id);
  }
  vi.clearAllMocks();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("HistoryStore: the list", () => {
  it("reads the list with the filter, loading until the first answer", async () => {
    const store = new HistoryStore();
    expect(store.loading).toBe(true);
    commands.listHistory.mockResolvedValueOnce(ok([entry(1)]));
    await store.loadList(FILTER);
    expect(commands.listHistory).toHaveBeenCalledWith(FILTER);
    expect(store.loading).toBe(false);
    expect(store.entries.map((e) => e.id)).toEqual([1]);
  });

  it("says a bad date beside the filters and anything else above the list", async () => {
    const store = await showing([entry(1)]);
    commands.listHistory.mockResolvedValueOnce(failed("outbox.bad_date", "since"));
    await store.loadList(FILTER);
    expect(store.filterError?.code).toBe("outbox.bad_date");
    expect(store.error).toBeNull();
    commands.listHistory.mockResolvedValueOnce(failed("store.not_open"));
    await store.loadList(FILTER);
    expect(store.error?.code).toBe("store.not_open");
    expect(store.entries.map((e) => e.id)).toEqual([1]);

    commands.listHistory.mockResolvedValueOnce(ok([]));
    await store.loadList(FILTER);
    expect(store.error).toBeNull();
    expect(store.filterError).toBeNull();

    commands.listHistory.mockResolvedValueOnce(failed("outbox.bad_date", "since"));
    await store.loadList(FILTER);
    store.clearFilterError();
    expect(store.filterError).toBeNull();
  });

  it("shows the newest read's answer, whatever order the answers come in", async () => {
    const store = new HistoryStore();
    const first = deferred<unknown>();
    const second = deferred<unknown>();
    commands.listHistory.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const older = store.loadList(FILTER);
    const newer = store.loadList(FILTER);
    second.resolve(ok([entry(2)]));
    await newer;
    first.resolve(ok([entry(1)]));
    await older;
    expect(store.entries.map((e) => e.id)).toEqual([2]);
  });

  it("reads the open message again, quietly, only when its row changed", async () => {
    const sent = entry(1, { state: "queued", attempts: 0 });
    const store = await showing([sent], sent);

    commands.listHistory.mockResolvedValueOnce(ok([sent]));
    await store.loadList(FILTER);
    expect(commands.getMessage).not.toHaveBeenCalled();

    const changed = entry(1, { state: "failed", attempts: 1 });
    commands.listHistory.mockResolvedValueOnce(ok([changed]));
    commands.getMessage.mockResolvedValueOnce(failed("internal"));
    await store.loadList(FILTER);
    await settle();
    expect(commands.getMessage).toHaveBeenCalledWith(1);
    // Quiet: a failure keeps what is shown.
    expect(store.detail?.entry.state).toBe("queued");
    expect(store.detailError).toBeNull();
  });

  it("reads the daily counts, sorted", async () => {
    const store = new HistoryStore();
    commands.dailyCounts.mockResolvedValueOnce(
      ok([
        { day: "2025-01-01", accountId: null, accountEmail: null, sent: 1, failed: 0 },
        { day: "2025-01-02", accountId: null, accountEmail: null, sent: 2, failed: 0 },
      ]),
    );
    await store.loadDaily();
    expect(commands.dailyCounts).toHaveBeenCalledWith(DAILY_DAYS);
    expect(store.daily.map((d) => d.day)).toEqual(["2025-01-02", "2025-01-01"]);
    commands.dailyCounts.mockResolvedValueOnce(failed("internal"));
    await store.loadDaily();
    expect(store.dailyError?.code).toBe("internal");
  });

  it("drops every answer that comes after close", async () => {
    const store = new HistoryStore();
    const list = deferred<unknown>();
    const daily = deferred<unknown>();
    commands.listHistory.mockReturnValueOnce(list.promise);
    commands.dailyCounts.mockReturnValueOnce(daily.promise);
    const reads = [store.loadList(FILTER), store.loadDaily()];
    store.close();
    list.resolve(ok([entry(1)]));
    daily.resolve(failed("internal"));
    await Promise.all(reads);
    expect(store.entries).toEqual([]);
    expect(store.loading).toBe(true);
    expect(store.dailyError).toBeNull();
  });
});

describe("HistoryStore: the open message", () => {
  it("opens a message and reads it, once", async () => {
    const store = await showing([entry(1)]);
    commands.getMessage.mockResolvedValueOnce(ok(detail(entry(1))));
    expect(await store.open(1)).toBe(true);
    expect(store.openId).toBe(1);
    expect(store.detailLoading).toBe(false);
    expect(store.detail?.entry.id).toBe(1);
    expect(await store.open(1)).toBe(false);
    expect(commands.getMessage).toHaveBeenCalledTimes(1);
  });

  it("says why a message could not be read", async () => {
    const store = await showing([entry(1)]);
    commands.getMessage.mockResolvedValueOnce(failed("outbox.not_found"));
    await store.open(1);
    expect(store.detail).toBeNull();
    expect(store.detailError?.code).toBe("outbox.not_found");
  });

  it("drops the answer for a message closed meanwhile", async () => {
    const store = await showing([entry(1)]);
    const answer = deferred<unknown>();
    commands.getMessage.mockReturnValueOnce(answer.promise);
    const opening = store.open(1);
    expect(store.closeDetail()).toBe(1);
    answer.resolve(ok(detail(entry(1))));
    await opening;
    expect(store.openId).toBeNull();
    expect(store.detail).toBeNull();
  });

  it("retries the open message: its row and detail take the answer", async () => {
    const failedOne = entry(1, { state: "failed" });
    const store = await showing([failedOne, entry(2)], failedOne);
    const queued = entry(1, { state: "queued", attempts: 0 });
    commands.retryMessage.mockResolvedValueOnce(ok(queued));
    const retrying = store.retry();
    expect(store.retrying).toBe(true);
    expect(await retrying).toBe(1);
    expect(commands.retryMessage).toHaveBeenCalledWith(1);
    expect(store.retrying).toBe(false);
    expect(store.retryStatus).toEqual({ kind: "saved" });
    expect(store.entries.map((e) => e.state)).toEqual(["queued", "sent"]);
    expect(store.detail?.entry.state).toBe("queued");
    // Reading the list and the message again is the page's call.
    expect(commands.listHistory).not.toHaveBeenCalled();
    expect(commands.getMessage).not.toHaveBeenCalled();
  });

  it("says why a retry failed", async () => {
    const store = await showing([entry(1)], entry(1));
    commands.retryMessage.mockResolvedValueOnce(failed("outbox.not_retryable"));
    expect(await store.retry()).toBe(1);
    expect(store.retryStatus).toEqual({ kind: "error", error: failed("outbox.not_retryable").error });
  });

  it("retries nothing without an open message, and drops the answer once another is open", async () => {
    const store = await showing([entry(1), entry(2)]);
    expect(await store.retry()).toBeNull();
    expect(commands.retryMessage).not.toHaveBeenCalled();

    commands.getMessage.mockResolvedValue(ok(detail(entry(1))));
    await store.open(1);
    const answer = deferred<unknown>();
    commands.retryMessage.mockReturnValueOnce(answer.promise);
    const retrying = store.retry();
    commands.getMessage.mockResolvedValue(ok(detail(entry(2))));
    await store.open(2);
    answer.resolve(ok(entry(1, { state: "queued" })));
    expect(await retrying).toBeNull();
    expect(store.entries.map((e) => e.state)).toEqual(["sent", "sent"]);
    expect(store.retryStatus).toBeNull();
  });
});

describe("HistoryStore: cancelling and deleting the open message", () => {
  it("cancels the open message: its row and detail take the answer", async () => {
    const queued = entry(1, { state: "queued", attempts: 0, sentAt: null });
    const store = await showing([queued, entry(2)], queued);
    const cancelled = entry(1, { state: "failed", attempts: 0, sentAt: null, lastCode: "cancelled" });
    commands.cancelMessage.mockResolvedValueOnce(ok(cancelled));
    const cancelling = store.cancel();
    expect(store.cancelling).toBe(true);
    expect(store.busy).toBe(true);
    expect(await cancelling).toBe(1);
    expect(commands.cancelMessage).toHaveBeenCalledWith(1);
    expect(store.cancelling).toBe(false);
    expect(store.cancelStatus).toEqual({ kind: "saved" });
    expect(store.entries.map((e) => e.state)).toEqual(["failed", "sent"]);
    expect(store.entries.map((e) => e.lastCode)).toEqual(["cancelled", null]);
    expect(store.detail?.entry.state).toBe("failed");
    // Reading the list and the message again is the page's call.
    expect(commands.listHistory).not.toHaveBeenCalled();
    expect(commands.getMessage).not.toHaveBeenCalled();
  });

  it("says why a cancel was refused, the list unchanged", async () => {
    const waiting = entry(1, { state: "retry" });
    const store = await showing([waiting, entry(2)], waiting);
    const before = store.entries;
    commands.cancelMessage.mockResolvedValueOnce(failed("outbox.not_cancellable"));
    expect(await store.cancel()).toBe(1);
    expect(store.cancelStatus).toEqual({ kind: "error", error: failed("outbox.not_cancellable").error });
    expect(store.entries).toBe(before);
    expect(store.entries.map((e) => e.state)).toEqual(["retry", "sent"]);
    expect(store.detail?.entry.state).toBe("retry");
  });

  it("cancels nothing without an open message, or while a retry is on its way", async () => {
    const store = await showing([entry(1, { state: "retry" })]);
    expect(await store.cancel()).toBeNull();
    expect(await store.remove()).toBe(false);

    commands.getMessage.mockResolvedValueOnce(ok(detail(entry(1, { state: "retry" }))));
    await store.open(1);
    const answer = deferred<unknown>();
    commands.retryMessage.mockReturnValueOnce(answer.promise);
    const retrying = store.retry();
    expect(await store.cancel()).toBeNull();
    expect(await store.remove()).toBe(false);
    answer.resolve(ok(entry(1, { state: "queued" })));
    await retrying;
    expect(commands.cancelMessage).not.toHaveBeenCalled();
    expect(commands.deleteMessage).not.toHaveBeenCalled();
  });

  it("deletes the open message: its row goes and the detail closes", async () => {
    const failedOne = entry(1, { state: "failed" });
    const store = await showing([entry(2), failedOne, entry(3)], failedOne);
    commands.deleteMessage.mockResolvedValueOnce(ok(null));
    const deleting = store.remove();
    expect(store.deleting).toBe(true);
    expect(await deleting).toBe(true);
    expect(commands.deleteMessage).toHaveBeenCalledWith(1);
    expect(store.deleting).toBe(false);
    expect(store.entries.map((e) => e.id)).toEqual([2, 3]);
    expect(store.openId).toBeNull();
    expect(store.detail).toBeNull();
    expect(store.deleteError).toBeNull();
    expect(store.deleted?.id).toBe(1);

    // Opening another message forgets the notice.
    commands.getMessage.mockResolvedValueOnce(ok(detail(entry(2))));
    await store.open(2);
    expect(store.deleted).toBeNull();
  });

  it("counts a message already gone as deleted", async () => {
    const queued = entry(1, { state: "queued" });
    const store = await showing([queued], queued);
    commands.deleteMessage.mockResolvedValueOnce(failed("outbox.not_found"));
    expect(await store.remove()).toBe(true);
    expect(store.entries).toEqual([]);
    expect(store.deleteError).toBeNull();
  });

  it("says why a delete was refused, the list unchanged", async () => {
    const sending = entry(1, { state: "sending" });
    const store = await showing([sending, entry(2)], sending);
    commands.deleteMessage.mockResolvedValueOnce(failed("outbox.not_cancellable"));
    expect(await store.remove()).toBe(false);
    expect(store.deleteError?.code).toBe("outbox.not_cancellable");
    expect(store.entries.map((e) => e.id)).toEqual([1, 2]);
    expect(store.openId).toBe(1);
    expect(store.deleted).toBeNull();

    // The next action starts afresh.
    commands.cancelMessage.mockResolvedValueOnce(failed("outbox.not_cancellable"));
    await store.cancel();
    expect(store.deleteError).toBeNull();
  });

  it("once another message is open, a delete only takes its row away", async () => {
    const store = await showing([entry(1, { state: "failed" }), entry(2), entry(3, { state: "failed" })]);
    for (const [id, answer] of [
      [1, ok(null)],
      [3, failed("outbox.not_cancellable")],
    ] as const) {
      commands.getMessage.mockResolvedValue(ok(detail(entry(id, { state: "failed" }))));
      await store.open(id);
      const reply = deferred<unknown>();
      commands.deleteMessage.mockReturnValueOnce(reply.promise);
      const deleting = store.remove();
      commands.getMessage.mockResolvedValue(ok(detail(entry(2))));
      await store.open(2);
      reply.resolve(answer);
      expect(await deleting).toBe(answer.status === "ok");
      expect(store.openId).toBe(2);
      expect(store.detail?.entry.id).toBe(2);
      expect(store.deleteError).toBeNull();
      expect(store.deleted).toBeNull();
    }
    expect(store.entries.map((e) => e.id)).toEqual([2, 3]);
  });
});
