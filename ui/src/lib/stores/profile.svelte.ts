// The workspace's profile: the sender's name and address new accounts start from.

import { call, commands, type CmdResult } from "../api";
import type { ErrorPayload, Profile, ProfileInput } from "../bindings";

export class ProfileStore {
  profile = $state<Profile | null>(null);
  /** True until the profile has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);

  async load(): Promise<CmdResult<Profile>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.getProfile());
    this.loading = false;
    if (res.status === "ok") this.profile = res.data;
    else this.error = res.error;
    return res;
  }

  async save(input: ProfileInput): Promise<CmdResult<Profile>> {
    const res = await call(() => commands.saveProfile(input));
    if (res.status === "ok") this.profile = res.data;
    return res;
  }
}
