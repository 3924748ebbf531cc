import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BackedUp, BackupWhat, Connection, Filter } from "../bindings";
import { DriveStore } from "./drive.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  driveStatus: vi.fn(),
  beginDriveConnect: vi.fn(),
  finishDriveConnect: vi.fn(),
  backupToDrive: vi.fn(),
  cancelConnect: vi.fn(),
  sheetsStatus: vi.fn(),
  beginSheetsConnect: vi.fn(),
  googleContactsStatus: vi.fn(),
  beginGoogleContactsConnect: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

// Outside Tauri a real Channel cannot be made; this one only carries `onmessage`.
vi.mock("@tauri-apps/api/core", async (original) => ({
  ...(await original<object>()),
  Channel: class {
    onmessage: (message: unknown) => void = () => {};
  },
}));

installRunes();

type Progress = { onmessage: (message: [number, number]) => void };

const AUTHORIZE = "https://accounts.google.com/o/oauth2/v2/auth?client_id=x&scope=drive.file";
const FOLDER_ID = "1AbC-dEf_GhIjKlMnOpQrStUvWxYz0123";
const FOLDER_URL = `https://drive.google.com/drive/folders/${FOLDER_ID}`;

function connection(address = "ayşe@gmail.com"): Connection {
  return {
    id: 8,
    workspaceId: 1,
    provider: "google",
    address,
    scopes: ["https://www.googleapis.com/auth/drive.file"],
    expiresAt: null,
    status: "active",
    createdAt: "2025-01-01 10:00:00",
    updatedAt: "2025-01-01 10:00:00",
  };
}

const filter: Filter = { companyId: 3, channel: null, state: null, since: null, until: null, limit: null };
const folder = { id: FOLDER_ID, name: "Ulak yedekleri", url: FOLDER_URL };
const file = (n: number) => ({ id: `f${n}`, name: `e${n}.eml`, url: `https://drive.google.com/file/d/f${n}/view` });
const backedUp = (n: number): BackedUp => ({ folder, files: Array.from({ length: n }, (_, i) => file(i)) });

beforeEach(() => {
  vi.resetAllMocks();
});

describe("DriveStore", () => {
  it("reads Google Drive's own account, keeping the last one when reading fails", async () => {
    const store = new DriveStore();
    expect(store.status).toBeNull();
    commands.driveStatus.mockResolvedValueOnce(ok(connection()));
    expect((await store.loadStatus()).status).toBe("ok");
    expect(store.status?.address).toBe("ayşe@gmail.com");
    expect(commands.sheetsStatus).not.toHaveBeenCalled();
    expect(commands.googleContactsStatus).not.toHaveBeenCalled();
    commands.driveStatus.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.loadStatus()).toEqual(failed("store.not_open"));
    expect(store.status?.address).toBe("ayşe@gmail.com");
    commands.driveStatus.mockResolvedValueOnce(ok(null));
    await store.loadStatus();
    expect(store.status).toBeNull();
  });

  it("connects with its own sign-in: waits with the address, then takes the account", async () => {
    const store = new DriveStore();
    const finish = deferred<{ status: "ok"; data: Connection }>();
    commands.beginDriveConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishDriveConnect.mockReturnValueOnce(finish.promise);
    const running = store.connect("ayşe@gmail.com");
    await settle();
    expect(commands.beginDriveConnect).toHaveBeenCalledWith("ayşe@gmail.com");
    expect(commands.finishDriveConnect).toHaveBeenCalledTimes(1);
    expect(commands.beginSheetsConnect).not.toHaveBeenCalled();
    expect(commands.beginGoogleContactsConnect).not.toHaveBeenCalled();
    expect(store.connecting).toEqual({ url: AUTHORIZE });
    finish.resolve(ok(connection()));
    expect(await running).toEqual(ok(connection()));
    expect(store.connecting).toBeNull();
    expect(store.status).toEqual(connection());
  });

  it("never waits when the sign-in could not begin; gives a cancelled one back", async () => {
    const store = new DriveStore();
    commands.beginDriveConnect.mockResolvedValueOnce(failed("oauth.not_configured"));
    expect(await store.connect(null)).toEqual(failed("oauth.not_configured"));
    expect(commands.finishDriveConnect).not.toHaveBeenCalled();
    expect(store.connecting).toBeNull();

    commands.beginDriveConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishDriveConnect.mockResolvedValueOnce(failed("oauth.cancelled"));
    expect(await store.connect(null)).toEqual(failed("oauth.cancelled"));
    expect(store.connecting).toBeNull();
    expect(store.status).toBeNull();
  });

  it("cancels through the OAuth sign-ins' cancel", async () => {
    const store = new DriveStore();
    commands.cancelConnect.mockResolvedValueOnce(ok(true));
    expect(await store.cancelConnect()).toEqual(ok(true));
    expect(commands.cancelConnect).toHaveBeenCalledTimes(1);
  });

  it("backs up into Ulak's own folder when none is named, following the files as they go up", async () => {
    const store = new DriveStore();
    const what: BackupWhat = { kind: "emails", filter };
    const answer = deferred<{ status: "ok"; data: BackedUp }>();
    let channel: Progress | undefined;
    commands.backupToDrive.mockImplementationOnce((_what, _folder, progress: Progress) => {
      channel = progress;
      return answer.promise;
    });
    const seen: [number, number][] = [];
    const running = store.backup(what, "   ", (done, total) => seen.push([done, total]));
    await settle();
    expect(commands.backupToDrive).toHaveBeenCalledWith(what, null, channel);
    channel?.onmessage([0, 3]);
    channel?.onmessage([1, 3]);
    channel?.onmessage([2, 3]);
    expect(seen).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    answer.resolve(ok(backedUp(3)));
    expect(await running).toEqual(ok(backedUp(3)));
    expect(seen.at(-1)).toEqual([3, 3]);
  });

  it("names the folder as typed, trimmed; a campaign by its id", async () => {
    const store = new DriveStore();
    commands.backupToDrive.mockResolvedValueOnce(ok(backedUp(1)));
    expect(await store.backup({ kind: "campaign", id: 9 }, ` ${FOLDER_URL} `)).toEqual(ok(backedUp(1)));
    expect(commands.backupToDrive).toHaveBeenCalledWith({ kind: "campaign", id: 9 }, FOLDER_URL, expect.anything());
  });

  it("gives the failure back, keeping the progress told so far; no Tauri is the backend's", async () => {
    const store = new DriveStore();
    const seen: [number, number][] = [];
    commands.backupToDrive.mockImplementationOnce(async (_what, _folder, progress: Progress) => {
      progress.onmessage([1, 4]);
      return failed("drive.refused");
    });
    expect(await store.backup({ kind: "history", filter }, "", (d, t) => seen.push([d, t]))).toEqual(
      failed("drive.refused"),
    );
    expect(seen).toEqual([[1, 4]]);

    commands.backupToDrive.mockResolvedValueOnce(failed("drive.bad_folder", "folder"));
    expect(await store.backup({ kind: "history", filter }, FOLDER_ID)).toEqual(
      failed("drive.bad_folder", "folder"),
    );

    commands.backupToDrive.mockRejectedValueOnce(new Error("no Tauri"));
    const res = await store.backup({ kind: "history", filter }, "");
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
  });
});
