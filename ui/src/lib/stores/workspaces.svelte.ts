// The workspaces: the list the switcher offers, switching to one and creating one.

import { call, commands, type CmdResult } from "../api";
import type { ErrorPayload, Workspace } from "../bindings";

export class WorkspacesStore {
  items = $state<Workspace[]>([]);
  /** Why the list could not be read; cleared by the next list read. */
  error = $state<ErrorPayload | null>(null);

  async load(): Promise<CmdResult<Workspace[]>> {
    const res = await call(() => commands.listWorkspaces());
    if (res.status === "ok") {
      this.items = res.data;
      this.error = null;
    } else {
      this.error = res.error;
    }
    return res;
  }

  /** Makes `id` the active workspace (the list is not read again: the caller decides when). */
  switchTo(id: number): Promise<CmdResult<Workspace>> {
    return call(() => commands.switchWorkspace(id));
  }

  create(name: string): Promise<CmdResult<Workspace>> {
    return call(() => commands.createWorkspace(name));
  }
}
